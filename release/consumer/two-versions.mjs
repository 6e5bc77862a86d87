// Two API versions' clients in one service: one nonce source for the shared API key, each client
// talking to a server of its own version (the sandbox checks the Payward-Version header).
import { createEmbedClient as createClient2025 } from '@embedkit/client-2025-04-15';
import { createEmbedClient as createClient2099 } from '@embedkit/client-2099-01-01';
import { createNonceSource } from '@embedkit/runtime';
import { startSandbox } from '@embedkit/sandbox';
import submission from './submission.cjs';

const [specPath2099] = process.argv.slice(2);
const apiKey = 'shared-api-key';
const apiSecret = Buffer.from('a shared secret of the two services').toString('base64');
const server2025 = await startSandbox({ port: 0, host: '127.0.0.1', apiKey, apiSecret, apiVersion: '2025-04-15' });
const server2099 = await startSandbox({ port: 0, host: '127.0.0.1', apiKey, apiSecret, apiVersion: '2099-01-01', specPath: specPath2099 });
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
  const client2025 = createClient2025({ apiKey, apiSecret, baseUrl: server2025.url, nonces });
  const client2099 = createClient2099({ apiKey, apiSecret, baseUrl: server2099.url, nonces });
  const results = [];
  for (let round = 0; round < 2; round++) {
    results.push((await client2025.verifications.submit(submission.USER, submission.identityDocument('2025-04-15'))).verification_id);
    results.push((await client2099.verifications.submit(submission.USER, submission.identityDocument('2099-01-01'))).verification_id);
  }
  console.log(
    JSON.stringify({
      results,
      nonces: issued.map(String),
      recorded: { '2025-04-15': server2025.submissions().length, '2099-01-01': server2099.submissions().length },
    }),
  );
} finally {
  await Promise.all([server2025.close(), server2099.close()]);
}
