import { createHash } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmbedNetworkError,
  encodeMultipart,
} from '../src/index.js';
import { getDefaultFetch, defaultTransportName } from '../src/internal/platform/transport-node.js';
import { signableRequestClass } from '../src/internal/signable-request.js';
import { createNodeFetch, fileFromPath } from '../src/node/index.js';
import { REFERENCE_SECRET, type TestServer, readStream, sendJson, startServer, TEST_SCHEME, createSignedCore } from './helpers.js';

let server: TestServer;
const nodeFetch = createNodeFetch({ maxBufferedResponseBytes: 1024 });
const big = Buffer.alloc(300_000, 'x');

beforeAll(async () => {
  server = await startServer((req, res) => {
    switch (req.url) {
      case '/echo':
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-len': String(req.body.byteLength), 'x-te': String(req.headers['transfer-encoding']) });
        res.end(req.body);
        return;
      case '/big':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(big.length) });
        res.end(big);
        return;
      case '/chunked':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"result":');
        res.end('"chunked"}');
        return;
      case '/gzip': {
        const zipped = gzipSync(JSON.stringify({ result: 'unzipped' }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(zipped.length) });
        res.end(zipped);
        return;
      }
      case '/redirect':
        res.writeHead(302, { location: '/elsewhere', 'content-length': '0' });
        res.end();
        return;
      case '/empty':
        res.writeHead(204);
        res.end();
        return;
      default:
        sendJson(res, 200, { result: { method: req.method, url: req.url } }, { 'set-cookie': 'a=1', 'x-multi': 'one' });
    }
  });
});

afterAll(async () => {
  nodeFetch.close();
  await server.close();
});

describe('createNodeFetch', () => {
  it('is the default transport on Node and is marked as embedkit-aware', () => {
    expect(defaultTransportName).toBe('node');
  });

  it('returns a real Response: status, headers, url, json(), bodyUsed, clone()', async () => {
    const res = await nodeFetch(`${server.url}/hello?x=1`);
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.url).toBe(`${server.url}/hello?x=1`);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-multi')).toBe('one');
    const copy = res.clone();
    expect(res.bodyUsed).toBe(false);
    expect(await res.json()).toEqual({ result: { method: 'GET', url: '/hello?x=1' } });
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
    // The clone reads independently, also through its body stream.
    expect(JSON.parse((await readStream(copy.body!)).toString())).toEqual({ result: { method: 'GET', url: '/hello?x=1' } });
    expect(copy.bodyUsed).toBe(true);
  });

  it('streams large, chunked and compressed responses', async () => {
    const large = await nodeFetch(`${server.url}/big`);
    expect((await large.arrayBuffer()).byteLength).toBe(big.length);
    expect(await (await nodeFetch(`${server.url}/chunked`)).json()).toEqual({ result: 'chunked' });
    expect(await (await nodeFetch(`${server.url}/gzip`)).json()).toEqual({ result: 'unzipped' });
  });

  it('does not follow redirects and handles null-body statuses', async () => {
    const redirect = await nodeFetch(`${server.url}/redirect`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/elsewhere');
    const empty = await nodeFetch(`${server.url}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    expect(await empty.text()).toBe('');
  });

  it('sends the exact body a core Request was built from, with an exact Content-Length', async () => {
    const bytes = new Uint8Array(100_000).map((_, i) => i & 255);
    const SignableRequest = signableRequestClass();
    const request = new SignableRequest(`${server.url}/echo`, { method: 'POST', body: new Blob([bytes]) });
    const res = await nodeFetch(request);
    expect(res.headers.get('x-len')).toBe('100000');
    expect(res.headers.get('x-te')).toBe('undefined'); // Content-Length, not chunked
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), Buffer.from(bytes))).toBe(0);
  });

  it('falls back to streaming request.body (chunked) without a side channel', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('hello '));
        c.enqueue(new TextEncoder().encode('world'));
        c.close();
      },
    });
    const res = await nodeFetch(`${server.url}/echo`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(await res.text()).toBe('hello world');
    expect(res.headers.get('x-te')).toBe('chunked');
  });

  it('rejects with the abort reason, and rejects unsupported protocols', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(nodeFetch(`${server.url}/x`, { signal: controller.signal })).rejects.toThrow('stop');
    await expect(nodeFetch('ftp://127.0.0.1/x')).rejects.toThrow(/unsupported protocol/);
  });

  it('maps a refused connection to EmbedNetworkError with sent:false', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await nodeFetch(`http://127.0.0.1:${port}/x`, { method: 'POST', body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedNetworkError);
    expect((error as EmbedNetworkError).sent).toBe(false);
    expect((error as EmbedNetworkError).systemCode).toBe('ECONNREFUSED');
  });

  it('reports a connection lost mid-response as sent, and a lost stream as a stream error', async () => {
    const cut = http.createServer((req, res) => {
      req.resume();
      // Promise 1,000 bytes, send 10, then drop the connection.
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': req.url === '/small' ? '1000' : '5000000' });
      res.write('0123456789');
      setTimeout(() => res.destroy(), 20);
    });
    await new Promise<void>((resolve) => cut.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(cut.address() as AddressInfo).port}`;
    const fetcher = createNodeFetch();
    try {
      // Buffered (small, known length): the promise itself rejects.
      const error = await fetcher(`${base}/small`, { method: 'POST', body: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbedNetworkError);
      expect((error as EmbedNetworkError).sent).toBe(true);
      expect((error as Error).message).toMatch(/connection lost while reading the response/);
      // Streamed (large): the Response arrives, reading its body fails.
      const res = await fetcher(`${base}/large`);
      await expect(res.arrayBuffer()).rejects.toThrow(/connection lost/);
    } finally {
      await fetcher.close();
      cut.closeAllConnections();
      await new Promise<void>((resolve) => cut.close(() => resolve()));
    }
  });

  it('queues beyond maxSockets, and an abort while queued sends nothing', async () => {
    let seen = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = http.createServer(async (req, res) => {
      seen++;
      req.resume();
      await gate;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    const fetcher = createNodeFetch({ maxSockets: 1 });
    try {
      const first = fetcher(`${base}/a`, { method: 'POST', body: 'first' });
      const controller = new AbortController();
      const queued = fetcher(`${base}/b`, { method: 'POST', body: 'second', signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort(new Error('changed my mind'));
      await expect(queued).rejects.toThrow('changed my mind');
      release();
      expect((await first).status).toBe(200);
      // Give a wrongly written second request time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).toBe(1);
    } finally {
      await fetcher.close();
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it("loads undici's Agent alone: its module is the class the package exports", async () => {
    const { default: AgentAlone } = await import('undici/lib/dispatcher/agent.js' as string);
    const { Agent } = await import('undici');
    expect(AgentAlone).toBe(Agent);
  });

  it('sends through a dispatcher passed in, and close() leaves that one open', async () => {
    const { Agent } = await import('undici');
    const agent = new Agent({ connections: 1 });
    let connections = 0;
    const counting = http.createServer((req, res) => sendJson(res, 200, { result: req.url }));
    counting.on('connection', () => connections++);
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(counting.address() as AddressInfo).port}`;
    const fetcher = createNodeFetch({ dispatcher: agent });
    try {
      for (const path of ['/1', '/2', '/3']) expect(await (await fetcher(`${base}${path}`)).json()).toEqual({ result: path });
      expect(connections).toBe(1);
      await fetcher.close();
      expect(agent.closed).toBe(false);
      expect(await (await fetcher(`${base}/4`)).json()).toEqual({ result: '/4' });
    } finally {
      await agent.close();
      counting.closeAllConnections();
      await new Promise<void>((resolve) => counting.close(() => resolve()));
    }
  });

  it('maps DNS failures to EmbedNetworkError with sent:false', async () => {
    const error = await nodeFetch('http://embedkit-does-not-exist.invalid/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedNetworkError);
    expect((error as EmbedNetworkError).sent).toBe(false);
  });
});

describe('uploads from disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedkit-up-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams a 96 MB file without buffering it (hash pass included) and the server receives it byte-exact', async () => {
    const size = 96 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 13) & 255;
    const path = join(dir, 'scan.bin');
    // Written chunk by chunk so the test itself never holds the file (it would skew RSS).
    const handle = await open(path, 'w');
    for (let i = 0; i < size / chunk.length; i++) await handle.write(chunk);
    await handle.close();

    // A server that hashes the file part as it streams in, holding nothing.
    const upload = http.createServer((req, res) => {
      const hash = createHash('sha256');
      let total = 0;
      req.on('data', (c: Buffer) => {
        total += c.length;
        hash.update(c);
      });
      req.on('end', () => sendJson(res, 200, { result: { total, sha256: hash.digest('hex') } }));
    });
    await new Promise<void>((resolve) => upload.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(upload.address() as AddressInfo).port}`;
    try {
      const core = createSignedCore({ apiKey: 'k', apiSecret: REFERENCE_SECRET, scheme: TEST_SCHEME, baseUrl, fetch: nodeFetch });
      // The body is only the file (one part with a fixed boundary), so the hash of what the
      // server received can be compared with the file's own bytes plus known framing.
      const file = await fileFromPath(path);
      const body = encodeMultipart([{ name: 'front', value: file }], { boundary: 'B' });
      const head = Buffer.from('--B\r\nContent-Disposition: form-data; name="front"; filename="scan.bin"\r\nContent-Type: application/octet-stream\r\n\r\n');
      const tail = Buffer.from('\r\n--B--\r\n');
      expect(body.contentLength).toBe(head.length + size + tail.length);

      (globalThis as { gc?: () => void }).gc?.();
      const start = process.memoryUsage().rss;
      let peak = start;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 5);
      const result = await core.request({ method: 'POST', path: '/upload', body: { kind: 'multipart', value: body } });
      clearInterval(sampler);
      const growthMb = (peak - start) / 1024 / 1024;
      console.log(`[upload] 96 MB from disk: peak RSS growth ${growthMb.toFixed(1)} MB`);

      const full = createHash('sha256');
      full.update(head);
      // Recompute the expected full-body hash from the file pattern without holding it twice.
      for (let i = 0; i < size / chunk.length; i++) full.update(chunk);
      full.update(tail);
      expect(result.data).toEqual({ result: { total: body.contentLength, sha256: full.digest('hex') } });
      // Buffering the file (even once) would grow RSS by at least its size.
      expect(growthMb).toBeLessThan(80);
    } finally {
      upload.closeAllConnections();
      await new Promise<void>((resolve) => upload.close(() => resolve()));
    }
  });
});
