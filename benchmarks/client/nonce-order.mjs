// Nonce rejections within one process: 1,000 submissions, 16 in flight, one client, against the
// sandbox in strict nonce mode (no window). Prints the rejections the client retried.
// Run: node benchmarks/client/nonce-order.mjs (after pnpm build).
import { createEmbedClient } from '@embedkit/client-2025-04-15';
import { startSandbox } from '@embedkit/sandbox';
import { METADATA } from '../lib/baseline.mjs';

const sandbox = await startSandbox({ port: 0, nonceWindow: 0 });
let nonceRetries = 0;
const client = createEmbedClient({
  apiKey: sandbox.apiKey,
  apiSecret: sandbox.apiSecret,
  baseUrl: sandbox.url,
  onRetry: (event) => {
    if (event.kind === 'nonce') nonceRetries++;
  },
});
const file = new Blob([new Uint8Array(2048).map((_, i) => i % 251)], { type: 'image/jpeg' });
let next = 0;
let failed = 0;
const total = Number(process.env.NONCE_ORDER_TOTAL ?? 1000);
async function worker() {
  while (next < total) {
    next++;
    await client.verifications
      .submit('AA95N84GTESTXXXX', { type: 'identity_document', metadata: METADATA, files: { front: file } })
      .catch(() => failed++);
  }
}
await Promise.all(Array.from({ length: 16 }, worker));
console.log(JSON.stringify({ submissions: total, inFlight: 16, nonceRetries, failed }));
await sandbox.close();
process.exit(0);
