// A Jest 29 test file (CommonJS, Jest's default): the client and the sandbox load through `require`.
const { createEmbedClient, EmbedValidationError } = require('@embedkit/client-2025-04-15');
const { startSandbox } = require('@embedkit/sandbox');
const { identityDocument, USER } = require('./submission.cjs');

let sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
});
afterAll(() => sandbox.close());

test('submits a verification to the sandbox', async () => {
  const client = createEmbedClient({ apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret, baseUrl: sandbox.url });
  const { verification_id } = await client.verifications.submit(USER, identityDocument('2025-04-15'));
  expect(typeof verification_id).toBe('string');
  expect(sandbox.submissions()).toHaveLength(1);
});

test('refuses an invalid request before sending it', async () => {
  const client = createEmbedClient({ apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret, baseUrl: sandbox.url });
  const input = identityDocument('2025-04-15');
  await expect(client.verifications.submit(USER, { ...input, metadata: { ...input.metadata, document_type: 'napkin' } })).rejects.toBeInstanceOf(
    EmbedValidationError,
  );
  expect(sandbox.submissions()).toHaveLength(1);
});
