// `pnpm bench:client`: requests/s of `verifications.submit` (small identity document) against a
// loopback server in another process, beside (a) raw global fetch with hand-signed bytes and
// (b) raw node:http with the same bytes, sequential and 32 in flight. Medians of several rounds;
// each variant runs in a fresh process; ratios are against (a) in the same run.
import { machine, median, runChild, startSinkServer } from '../lib/harness.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const variants = ['raw-fetch', 'raw-node-http', 'embedkit-global-fetch', 'embedkit-node', 'embedkit-global-fetch-bytes', 'raw-fetch-blob'];
const modes = ['sequential', 'concurrent-32'];
const script = new URL('./variant.mjs', import.meta.url).pathname;

const server = await startSinkServer();
const results = {};
const cpu = {};
try {
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) {
      for (const variant of variants) {
        const result = await runChild(script, [variant, server.url, mode, String(seconds)]);
        (results[`${variant}/${mode}`] ??= []).push(result.rps);
        (cpu[`${variant}/${mode}`] ??= []).push(result.cpuPerRequestMicros);
      }
    }
  }
} finally {
  await server.stop();
}

console.log(`\nbench:client — ${new Date().toISOString().slice(0, 10)} — ${machine()}`);
console.log(`median of ${rounds} rounds x ${seconds} s per variant and mode, each after a ${Number(process.env.BENCH_WARMUP_MS ?? 2000) / 1000} s warm-up in its own process\n`);
console.log('| variant | sequential req/s | ratio to (a) | 32 in flight req/s | ratio to (a) | client CPU/request, 32 in flight |');
console.log('|---|---|---|---|---|---|');
const baseline = (mode) => median(results[`raw-fetch/${mode}`]);
const rows = {};
for (const variant of variants) {
  const cells = modes.map((mode) => {
    const rps = median(results[`${variant}/${mode}`]);
    return { rps, ratio: rps / baseline(mode) };
  });
  rows[variant] = cells;
  const cpuMicros = median(cpu[`${variant}/concurrent-32`]);
  console.log(
    `| ${variant} | ${cells[0].rps.toFixed(0)} | ${cells[0].ratio.toFixed(2)}x | ${cells[1].rps.toFixed(0)} | ${cells[1].ratio.toFixed(2)}x | ${cpuMicros.toFixed(0)} µs |`,
  );
}
const fetchOk = rows['embedkit-global-fetch'].every((cell) => cell.ratio >= 1.0);
const verdict = (ok) => (ok ? 'met' : 'NOT met');
const [nodeSequential, nodeConcurrent] = rows['embedkit-node'];
console.log(`\ntarget: embedkit through global fetch >= 1.0x (a), both modes: ${verdict(fetchOk)}`);
console.log(`target: embedkit through the Node transport >= 2.5x (a) at 32 in flight: ${verdict(nodeConcurrent.ratio >= 2.5)}`);
console.log(
  `        sequential (no target; the anchors expect about 1.8x): ${nodeSequential.ratio.toFixed(2)}x (raw node:http, the floor of a Node client, ${rows['raw-node-http'][0].ratio.toFixed(2)}x)`,
);
console.log('(embedkit-global-fetch-bytes is a diagnostic: the same request with the file as a Uint8Array instead of a Blob)');
console.log('(raw-fetch-blob is a diagnostic: (a) building the body per request from the Blob, as code that sends a new file each time must)');
