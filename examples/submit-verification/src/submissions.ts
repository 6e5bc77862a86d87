/**
 * The five sample verifications the demo submits, one per `type`, with the small sample files
 * shipped in `samples/` (tiny valid JPEG, PNG and PDF files; no real person's data).
 */
import { fileURLToPath } from 'node:url';
import type { SubmitVerificationInput } from '@embedkit/client-2025-04-15';
import { fileFromPath } from '@embedkit/runtime/node';

/** The directory holding the sample documents. */
export const SAMPLES_DIR = fileURLToPath(new URL('../samples/', import.meta.url));

/** A sample user (IIBAN, 14 to 42 characters). Override with `EMBED_USER`. */
export const DEMO_USER = 'AA95N84GDEMO0001';

const verifiedAt = '2025-04-15T10:00:00Z';

const sample = (name: string, type: string) => fileFromPath(`${SAMPLES_DIR}${name}`, { type });

/** Builds the five submissions (files are opened lazily from `samples/`). */
export async function buildSubmissions(): Promise<SubmitVerificationInput[]> {
  return [
    {
      type: 'identity_document',
      metadata: {
        verifier: 'example_kyc_provider',
        verified_at: verifiedAt,
        identity: { full_name: { first_name: 'Jane', middle_name: 'Q', last_name: 'Example' }, date_of_birth: '1990-01-15' },
        document_type: 'passport',
        document_number: 'P123456789',
        issuing_country: 'GB',
        nationality: 'GB',
        expiration_date: '2030-01-14',
      },
      files: { front: await sample('id-front.jpg', 'image/jpeg'), back: await sample('id-back.png', 'image/png') },
    },
    {
      type: 'residence_document',
      metadata: {
        verifier: 'example_kyc_provider',
        verified_at: verifiedAt,
        address: { line1: '1 Example Street', city: 'London', postal_code: 'EC1A 1AA', country: 'GB' },
        document_type: 'utility_bill',
      },
      files: { document: await sample('proof-of-address.pdf', 'application/pdf') },
    },
    {
      type: 'tax_id_document',
      metadata: {
        verifier: 'example_kyc_provider',
        verified_at: verifiedAt,
        tax_id_type: 'national_insurance_number',
        document_type: 'tax_return',
        country: 'GB',
      },
      files: { tax_id: await sample('tax-return.pdf', 'application/pdf') },
    },
    {
      type: 'selfie',
      metadata: { verifier: 'example_kyc_provider', verified_at: verifiedAt, selfie_type: 'selfie' },
      files: { selfie: await sample('selfie.jpg', 'image/jpeg') },
    },
    {
      type: 'watchlists',
      metadata: {
        sanctions: { verifier: 'example_screening_provider', verified_at: verifiedAt, status: 'Cleared' },
        pep: { verifier: 'example_screening_provider', verified_at: verifiedAt, status: 'Cleared' },
        negative_news: { verifier: 'example_screening_provider', verified_at: verifiedAt, status: 'Cleared' },
      },
      files: { sanctions_verifier_response: await sample('screening-report.pdf', 'application/pdf') },
    },
  ];
}
