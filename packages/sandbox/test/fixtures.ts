// One valid submission per verification type, as multipart parts built by hand. JPEG is a real
// 16x16 baseline JPEG (the example's samples/selfie.jpg); PDF is a minimal PDF-shaped byte string.
import type { Part } from './helpers.js';

export const JPEG = Buffer.from(
  [
    'ffd8ffe000104a46494600010100000100010000ffdb00430006040506050406060506070706080a100a0a09090a140e0f0c',
    '1017141818171416161a1d251f1a1b231c1616202c20232627292a29191f2d302d283025282928ffdb0043010707070a080a',
    '130a0a13281a161a282828282828282828282828282828282828282828282828282828282828282828282828282828282828',
    '2828282828282828ffc00011080010001003012200021101031101ffc4001500010100000000000000000000000000000006',
    'ffc4001e10000201050003000000000000000000000102040306112131004171ffc400150101010000000000000000000000',
    '0000000204ffc4001f110001020603000000000000000000000011001214152425418182b1d1ffda000c0301000211031100',
    '3f00a2b52dca13a20993c3b233114e986c0603449237df9cf79f175db9420c4332007545602a532d90a0e8104efbf7beb1e2',
    'd4b8e8418821cf2ea8ac4d3a8172141d9040df7ef7d63c5d771d09d10c3805d91981a950ae0301b0003befce7bcf97dc2619',
    '61e2de88d94296170e1b3e2fffd9',
  ].join(''),
  'hex',
);
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

const at = '2024-04-15T10:00:00Z';

export const METADATA = {
  identity_document: {
    verifier: 'example_kyc_provider',
    verified_at: at,
    identity: { full_name: { first_name: 'John', last_name: 'Doe' }, date_of_birth: '1990-01-15' },
    document_type: 'passport',
    document_number: 'P123456789',
    issuing_country: 'US',
    nationality: 'US',
  },
  residence_document: {
    verifier: 'example_kyc_provider',
    verified_at: at,
    address: { line1: '1 Main Street', city: 'Springfield', postal_code: '12345', country: 'US' },
    document_type: 'utility_bill',
  },
  tax_id_document: {
    verifier: 'example_kyc_provider',
    verified_at: at,
    tax_id_type: 'ssn',
    document_type: 'tax_return',
    country: 'US',
  },
  selfie: { verifier: 'example_kyc_provider', verified_at: at, selfie_type: 'selfie' },
  watchlists: {
    sanctions: { verifier: 'example_screening_provider', verified_at: at, status: 'Cleared' },
    pep: { verifier: 'example_screening_provider', verified_at: at, status: 'Matched' },
  },
} as const;

export type VerificationType = keyof typeof METADATA;
export const TYPES = Object.keys(METADATA) as VerificationType[];

const file = (name: string, filename: string, contentType: string, value: Buffer): Part => ({
  name,
  filename,
  contentType,
  value,
});

/** The file parts each type's valid submission carries. */
export const FILES: Record<VerificationType, Part[]> = {
  identity_document: [file('front', 'front.jpg', 'image/jpeg', JPEG), file('back', 'back.jpg', 'image/jpeg', JPEG)],
  residence_document: [file('document', 'bill.pdf', 'application/pdf', PDF)],
  tax_id_document: [file('tax_id', 'tax.pdf', 'application/pdf', PDF)],
  selfie: [file('selfie', 'selfie.jpg', 'image/jpeg', JPEG)],
  watchlists: [file('sanctions_verifier_response', 'sanctions.pdf', 'application/pdf', PDF)],
};

/** A complete valid form for a type, with optional overrides of the metadata. */
export function validParts(type: VerificationType, metadata: unknown = METADATA[type]): Part[] {
  return [
    { name: 'type', value: type },
    { name: 'metadata', value: JSON.stringify(metadata), contentType: 'application/json' },
    ...FILES[type],
  ];
}
