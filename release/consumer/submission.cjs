// The verification every consumer submits (CommonJS, so the ESM and CommonJS entries share it).
const metadata = {
  verifier: 'example_kyc_provider',
  verified_at: '2024-04-15T10:00:00Z',
  identity: { full_name: { first_name: 'John', last_name: 'Doe' }, date_of_birth: '1990-01-15' },
  document_type: 'passport',
  document_number: 'P123456789',
  issuing_country: 'US',
};
const jpeg = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])], { type: 'image/jpeg' });

/** The input of `verifications.submit` for an API version (2099-01-01 renamed the front file part). */
function identityDocument(apiVersion) {
  const files = apiVersion === '2099-01-01' ? { front_image: jpeg() } : { front: jpeg() };
  return { type: 'identity_document', metadata, files };
}

module.exports = { identityDocument, USER: 'AA95N84GTESTXXXX' };
