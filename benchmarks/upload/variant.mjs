// One variant of `pnpm bench:upload`, in its own process: sends two files from disk (front and
// back of an identity document, 200 MB together) to the sink server and prints the client's peak
// RSS growth over its resting RSS as its last line.
import { createReadStream, openAsBlob } from 'node:fs';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { createEmbedClient } from '@embedkit/client-2025-04-15';
import { createFetchTransport } from '@embedkit/runtime';
import { fileFromPath } from '@embedkit/runtime/node';
import { API_KEY, API_SECRET, USER } from '../lib/harness.mjs';
import { METADATA, nextNonce, sign } from '../lib/baseline.mjs';
import { createHash, createHmac } from 'node:crypto';

const [variant, baseUrl, frontPath, backPath] = process.argv.slice(2);
const path = `/b2b/verifications/${USER}`;

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 2);

async function naiveFormData() {
  // The obvious way: a FormData body, signed by reading a clone of the Request.
  const form = new FormData();
  form.set('type', 'identity_document');
  form.set('metadata', new Blob([JSON.stringify(METADATA)], { type: 'application/json' }));
  form.set('front', await openAsBlob(frontPath, { type: 'image/jpeg' }), 'front.jpg');
  form.set('back', await openAsBlob(backPath, { type: 'image/jpeg' }), 'back.jpg');
  const request = new Request(baseUrl + path, { method: 'POST', body: form });
  const bytes = new Uint8Array(await request.clone().arrayBuffer());
  const nonce = nextNonce();
  request.headers.set('API-Key', API_KEY);
  request.headers.set('API-Nonce', String(nonce));
  request.headers.set('API-Sign', sign(API_SECRET, path, nonce, [bytes]));
  const response = await fetch(request);
  return response.json();
}

async function rawNodeHttp() {
  // The floor: node:http piping the files, with a streaming hash pass for the signature.
  const boundary = '----embedkitbenchboundary';
  const part = (name, file) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${file}"\r\nContent-Type: image/jpeg\r\n\r\n`);
  const head = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\nidentity_document\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(METADATA)}\r\n`),
    part('front', 'front.jpg'),
  ]);
  const middle = Buffer.concat([Buffer.from('\r\n'), part('back', 'back.jpg')]);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const nonce = nextNonce();
  const hash = createHash('sha256').update(String(nonce)).update(head);
  for await (const chunk of createReadStream(frontPath)) hash.update(chunk);
  hash.update(middle);
  for await (const chunk of createReadStream(backPath)) hash.update(chunk);
  hash.update(tail);
  const signature = createHmac('sha512', Buffer.from(API_SECRET, 'base64'))
    .update(Buffer.concat([Buffer.from(path), hash.digest()]))
    .digest('base64');
  const { size: frontSize } = await openAsBlob(frontPath);
  const { size: backSize } = await openAsBlob(backPath);
  const length = head.length + frontSize + middle.length + backSize + tail.length;
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        hostname,
        port,
        path,
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': length,
          'API-Key': API_KEY,
          'API-Nonce': String(nonce),
          'API-Sign': signature,
        },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      },
    );
    request.on('error', reject);
    (async () => {
      request.write(head);
      await pipeline(createReadStream(frontPath), request, { end: false });
      request.write(middle);
      await pipeline(createReadStream(backPath), request, { end: false });
      request.end(tail);
    })().catch(reject);
  });
}

async function embedkit(fetchOption) {
  const options = { apiKey: API_KEY, apiSecret: API_SECRET, baseUrl };
  if (fetchOption) options.fetch = fetchOption;
  const client = createEmbedClient(options);
  return client.verifications.submit(USER, {
    type: 'identity_document',
    metadata: METADATA,
    files: {
      front: await fileFromPath(frontPath, { type: 'image/jpeg' }),
      back: await fileFromPath(backPath, { type: 'image/jpeg' }),
    },
  });
}

const run = {
  'naive-formdata': naiveFormData,
  'raw-node-http': rawNodeHttp,
  'embedkit-node': () => embedkit(undefined),
  'embedkit-global-fetch': () => embedkit(createFetchTransport(globalThis.fetch)),
}[variant];
if (!run) throw new Error(`unknown variant ${variant}`);

globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 50));
const resting = process.memoryUsage.rss();
peak = resting;
const started = performance.now();
const result = await run();
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
const sent = result.bytes ?? null;
console.log(JSON.stringify({ variant, growthMB: (peak - resting) / 2 ** 20, seconds, receivedBytes: sent }));
process.exit(0);
