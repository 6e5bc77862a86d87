// `pnpm bench:upload`: submit 200 MB of files from disk to a loopback server (another process) that
// discards the body; report the client's peak RSS growth for embedkit beside the naive FormData way
// and raw node:http piping, all in one run, each variant in a fresh process (median of rounds).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomFillSync } from 'node:crypto';
import { machine, median, runChild, startSinkServer } from '../lib/harness.mjs';

const totalMB = Number(process.env.BENCH_UPLOAD_MB ?? 200);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const variants = ['naive-formdata', 'raw-node-http', 'embedkit-node', 'embedkit-global-fetch'];
const script = new URL('./variant.mjs', import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), 'embedkit-bench-upload-'));
const front = join(dir, 'front.jpg');
const back = join(dir, 'back.jpg');
const half = (totalMB / 2) * 2 ** 20;
const chunk = Buffer.alloc(2 ** 20);
for (const file of [front, back]) {
  const parts = [];
  for (let written = 0; written < half; written += chunk.length) parts.push(randomFillSync(Buffer.from(chunk)));
  writeFileSync(file, Buffer.concat(parts));
}

const server = await startSinkServer();
const results = {};
try {
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) {
      const result = await runChild(script, [variant, server.url, front, back]);
      if (result.receivedBytes !== null && result.receivedBytes < totalMB * 2 ** 20) {
        throw new Error(`${variant}: the server received only ${result.receivedBytes} bytes`);
      }
      (results[variant] ??= []).push(result);
    }
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nbench:upload — ${new Date().toISOString().slice(0, 10)} — ${machine()}`);
console.log(`${totalMB} MB in two files, median of ${rounds} rounds\n`);
console.log('| variant | peak RSS growth | time |');
console.log('|---|---|---|');
for (const variant of variants) {
  const growth = median(results[variant].map((r) => r.growthMB));
  const seconds = median(results[variant].map((r) => r.seconds));
  console.log(`| ${variant} | ${growth.toFixed(0)} MB | ${seconds.toFixed(2)} s |`);
}
const ours = median(results['embedkit-node'].map((r) => r.growthMB));
console.log(`\ntarget: embedkit (default Node transport) peak RSS growth <= 64 MB: ${ours <= 64 ? 'met' : 'NOT met'} (${ours.toFixed(0)} MB)`);
