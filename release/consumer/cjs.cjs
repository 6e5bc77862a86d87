// CommonJS: require by name, submit one verification to the sandbox, print what it recorded.
const { createEmbedClient } = require('@embedkit/client-2025-04-15');
const { startSandbox } = require('@embedkit/sandbox');
const { identityDocument, USER } = require('./submission.cjs');

async function main() {
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  try {
    const client = createEmbedClient({ apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret, baseUrl: sandbox.url });
    const { verification_id } = await client.verifications.submit(USER, identityDocument('2025-04-15'));
    console.log(JSON.stringify({ format: 'cjs', verification_id, recorded: sandbox.submissions().length }));
  } finally {
    await sandbox.close();
  }
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
