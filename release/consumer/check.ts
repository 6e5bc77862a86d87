// Type-checked as check.mts and check.cts (node16), and as check.ts under nodenext (CommonJS
// here), bundler and node10, with strict and skipLibCheck off: every `@ts-expect-error` must
// meet an error, so a wrong metadata field that type-checks fails the compile.
import { createEmbedClient, EmbedValidationError } from '@embedkit/client-2025-04-15';
import { createNonceSource } from '@embedkit/runtime';
import { fileFromPath } from '@embedkit/runtime/node';
import { validateIdentityDocumentMetadata } from '@embedkit/validators-2025-04-15/schemas/IdentityDocumentMetadata';

const metadata = {
  verifier: 'example_kyc_provider',
  verified_at: '2024-04-15T10:00:00Z',
  identity: { full_name: { first_name: 'John', last_name: 'Doe' }, date_of_birth: '1990-01-15' },
  document_type: 'passport',
  document_number: 'P123456789',
  issuing_country: 'US',
} as const;

export async function submit(): Promise<string> {
  const client = createEmbedClient({ apiKey: 'key', apiSecret: 'c2VjcmV0', nonces: createNonceSource() });
  const front = await fileFromPath('front.jpg', { type: 'image/jpeg' });
  const { verification_id } = await client.verifications.submit('AA95N84GTESTXXXX', { type: 'identity_document', metadata, files: { front } });
  await client.verifications.submit('AA95N84GTESTXXXX', {
    type: 'identity_document',
    // @ts-expect-error: document_type is one of the spec's enum values
    metadata: { ...metadata, document_type: 'napkin' },
    files: { front },
  });
  return verification_id;
}

export function check(value: unknown): string | undefined {
  const result = validateIdentityDocumentMetadata(value);
  if (!result.ok) return result.issues.map((issue) => issue.message).join('; ');
  // @ts-expect-error: the validator returns the real type (document_number is a string)
  const wrong: number = result.value.document_number;
  return String(wrong);
}

export const isValidationError = (error: unknown): boolean => error instanceof EmbedValidationError;
