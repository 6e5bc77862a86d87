// One variant of `pnpm bench:client`, in its own process: submits a small identity document
// (JSON metadata + a 2 KB file) to the sink server, sequentially or with 32 in flight, and prints
// {"variant","mode","requests","seconds","rps"} as its last line.
import http from 'node:http';
import { createEmbedClient } from '@embedkit/client-2025-04-15';
import { createFetchTransport } from '@embedkit/runtime';
import { API_KEY, API_SECRET, USER } from '../lib/harness.mjs';
import { METADATA, multipartFrame, nextNonce, sign } from '../lib/baseline.mjs';

const [variant, baseUrl, mode, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
const inFlight = mode === 'sequential' ? 1 : 32;
const path = `/b2b/verifications/${USER}`;
const file = new Uint8Array(2048).map((_, i) => i % 251);

function rawBody() {
  const { head, tail, contentType } = multipartFrame('----embedkitbenchboundary');
  return { bytes: Buffer.concat([head, file, tail]), contentType };
}

function makeSend() {
  if (variant === 'raw-fetch') {
    // (a) global fetch, body built once as bytes, signed by hand per request.
    const { bytes, contentType } = rawBody();
    return async () => {
      const nonce = nextNonce();
      const response = await fetch(baseUrl + path, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          'API-Key': API_KEY,
          'API-Nonce': String(nonce),
          'API-Sign': sign(API_SECRET, path, nonce, [bytes]),
          'Payward-Version': '2025-04-15',
        },
        body: bytes,
      });
      const json = await response.json();
      if (!json.result) throw new Error('bad response');
    };
  }
  if (variant === 'raw-fetch-blob') {
    // Diagnostic: (a) with the body built per request from the same Blob, as hand-written code
    // sending a new document each time must (metadata serialized, file read, parts joined).
    const blob = new Blob([file], { type: 'image/jpeg' });
    return async () => {
      const { head, tail, contentType } = multipartFrame('----embedkitbenchboundary');
      const bytes = Buffer.concat([head, new Uint8Array(await blob.arrayBuffer()), tail]);
      const nonce = nextNonce();
      const response = await fetch(baseUrl + path, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          'API-Key': API_KEY,
          'API-Nonce': String(nonce),
          'API-Sign': sign(API_SECRET, path, nonce, [bytes]),
          'Payward-Version': '2025-04-15',
        },
        body: bytes,
      });
      const json = await response.json();
      if (!json.result) throw new Error('bad response');
    };
  }
  if (variant === 'raw-node-http') {
    // (b) raw node:http with a keep-alive agent, same bytes.
    const { bytes, contentType } = rawBody();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const { hostname, port } = new URL(baseUrl);
    return () =>
      new Promise((resolve, reject) => {
        const nonce = nextNonce();
        const request = http.request(
          {
            agent,
            hostname,
            port,
            path,
            method: 'POST',
            headers: {
              'content-type': contentType,
              'content-length': bytes.length,
              'API-Key': API_KEY,
              'API-Nonce': String(nonce),
              'API-Sign': sign(API_SECRET, path, nonce, [bytes]),
              'Payward-Version': '2025-04-15',
            },
          },
          (response) => {
            const chunks = [];
            response.on('data', (chunk) => chunks.push(chunk));
            response.on('end', () => {
              const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              if (!json.result) reject(new Error('bad response'));
              else resolve();
            });
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(bytes);
      });
  }
  // embedkit: the generated client, through the global-fetch transport or the default (Node) one.
  const options = { apiKey: API_KEY, apiSecret: API_SECRET, baseUrl };
  // The runtime's global-fetch transport: what the client uses by default off Node.
  if (variant.startsWith('embedkit-global-fetch')) options.fetch = createFetchTransport(globalThis.fetch);
  else if (variant !== 'embedkit-node') throw new Error(`unknown variant ${variant}`);
  const client = createEmbedClient(options);
  // The file as a Blob (what the targets are judged on); the "-bytes" diagnostic variant passes the
  // same 2 KB as a Uint8Array, to show what reading a Blob costs per request.
  const blob = variant.endsWith('-bytes') ? file : new Blob([file], { type: 'image/jpeg' });
  return async () => {
    const result = await client.verifications.submit(USER, {
      type: 'identity_document',
      metadata: METADATA,
      files: { front: blob },
    });
    if (!result.verification_id) throw new Error('bad result');
  };
}

const send = makeSend();
async function runFor(ms) {
  const deadline = performance.now() + ms;
  let count = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      await send();
      count += 1;
    }
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  return { count, elapsed: (performance.now() - started) / 1000, cpuMicros: cpu.user + cpu.system };
}

// Warm-up (JIT, sockets) long enough to measure the steady state: on this 2-core machine 0.7 s left
// the client's code (validators, encoder, core) partly unoptimized, which a long-running service is not.
await runFor(Number(process.env.BENCH_WARMUP_MS ?? 2000));
const { count, elapsed, cpuMicros } = await runFor(seconds * 1000);
// Client CPU per request is steadier than req/s on a busy machine; both are reported.
console.log(JSON.stringify({ variant, mode, requests: count, seconds: elapsed, rps: count / elapsed, cpuPerRequestMicros: cpuMicros / count }));
process.exit(0);
