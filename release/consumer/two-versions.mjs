// Two API versions' clients in one service: one nonce source for the shared API key, each client
// talking to its own version of one sandbox (the sandbox picks the version of each request from
// its Payward-Version header and records it with the submission).
import { createEmbedClient as createClient2025 } from '@embedkit/client-2025-04-15';
import { createEmbedClient as createClient2099 } from '@embedkit/client-2099-01-01';
import { createNonceSource } from '@embedkit/runtime';
import { startSandbox } from '@embedkit/sandbox';
import submission from './submission.cjs';

const [specPath2099] = process.argv.slice(2);
const apiKey = 'shared-api-key';
const apiSecret = Buffer.from('a shared secret of the two services').toString('base64');
// 2025-04-15 is shipped with the sandbox; the second version's spec is added.
const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', apiKey, apiSecret, extraSpecs: [specPath2099] });
try {
  const issued = [];
  const source = createNonceSource();
  const nonces = {
    next: (options) => {
      const nonce = source.next(options);
      issued.push(nonce);
      return nonce;
    },
  };
  const client2025 = createClient2025({ apiKey, apiSecret, baseUrl: sandbox.url, nonces });
  const client2099 = createClient2099({ apiKey, apiSecret, baseUrl: sandbox.url, nonces });
  const results = [];
  for (let round = 0; round < 2; round++) {
    results.push({ apiVersion: '2025-04-15', verification_id: (await client2025.verifications.submit(submission.USER, submission.identityDocument('2025-04-15'))).verification_id });
    results.push({ apiVersion: '2099-01-01', verification_id: (await client2099.verifications.submit(submission.USER, submission.identityDocument('2099-01-01'))).verification_id });
  }
  console.log(
    JSON.stringify({
      apiVersions: sandbox.apiVersions,
      results,
      nonces: issued.map(String),
      // What the server recorded, in order: each submission's id and the version it was served as.
      recorded: sandbox.submissions().map((s) => ({ apiVersion: s.apiVersion, verification_id: s.verification_id })),
    }),
  );
} finally {
  await sandbox.close();
}
