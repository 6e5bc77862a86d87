// Plain ESM: import by name, submit one verification to the sandbox, print what it recorded.
import { createEmbedClient } from '@embedkit/client-2025-04-15';
import { startSandbox } from '@embedkit/sandbox';
import submission from './submission.cjs';

const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
try {
  const client = createEmbedClient({ apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret, baseUrl: sandbox.url });
  const { verification_id } = await client.verifications.submit(submission.USER, submission.identityDocument('2025-04-15'));
  console.log(JSON.stringify({ format: 'esm', verification_id, recorded: sandbox.submissions().length }));
} finally {
  await sandbox.close();
}
