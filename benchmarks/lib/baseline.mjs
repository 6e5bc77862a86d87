// Hand-written baselines: the request a careful integrator would build without embedkit. The body
// layout matches the generated client's (type, metadata as application/json, then files).
import { createHash, createHmac } from 'node:crypto';

const CRLF = '\r\n';

export const METADATA = {
  verifier: 'example_kyc_provider',
  verified_at: '2024-04-15T10:00:00Z',
  identity: { full_name: { first_name: 'John', last_name: 'Doe' }, date_of_birth: '1990-01-15' },
  document_type: 'passport',
  document_number: 'P123456789',
  issuing_country: 'US',
  nationality: 'US',
};

/** Multipart head and tail around one file part, for a fixed boundary. */
export function multipartFrame(boundary, fileName = 'front.jpg') {
  const head =
    `--${boundary}${CRLF}Content-Disposition: form-data; name="type"${CRLF}${CRLF}identity_document${CRLF}` +
    `--${boundary}${CRLF}Content-Disposition: form-data; name="metadata"${CRLF}Content-Type: application/json${CRLF}${CRLF}` +
    `${JSON.stringify(METADATA)}${CRLF}` +
    `--${boundary}${CRLF}Content-Disposition: form-data; name="front"; filename="${fileName}"${CRLF}Content-Type: image/jpeg${CRLF}${CRLF}`;
  const tail = `${CRLF}--${boundary}--${CRLF}`;
  return { head: Buffer.from(head), tail: Buffer.from(tail), contentType: `multipart/form-data; boundary=${boundary}` };
}

let lastNonce = 0n;
/** Strictly increasing epoch-nanosecond nonces. */
export function nextNonce() {
  const now = BigInt(Date.now()) * 1_000_000n;
  lastNonce = now > lastNonce ? now : lastNonce + 1n;
  return lastNonce;
}

/** API-Sign over a body given as a list of buffers (hashed in order). */
export function sign(secret, pathWithQuery, nonce, chunks) {
  const hash = createHash('sha256').update(String(nonce));
  for (const chunk of chunks) hash.update(chunk);
  return createHmac('sha512', Buffer.from(secret, 'base64'))
    .update(Buffer.concat([Buffer.from(pathWithQuery), hash.digest()]))
    .digest('base64');
}
