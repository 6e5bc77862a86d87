/**
 * Issue 13, points 2 and 3: a call settles within its timeout or abort (plus a small margin) in
 * every phase, nonce wait and hashing included; response bodies are bounded.
 */
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmbedAbortError,
  EmbedApiError,
  EmbedResponseTooLargeError,
  EmbedTimeoutError,
  type FetchLike,
  type NonceSource,
  createFetchTransport,
  encodeMultipart,
} from '../src/index.js';
import { createNodeFetch, fileFromPath } from '../src/node/index.js';
import { REFERENCE_SECRET, type TestServer, createSignedCore, sendJson, startServer } from './helpers.js';

// Settling later than the deadline by more than this fails (generous: a shared, loaded 2-core
// machine, where loading undici on the first request alone can block the event loop ~100 ms).
const MARGIN_MS = 750;

let server: TestServer;
const stalled: ServerResponse[] = [];
const nodeFetch = createNodeFetch();

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/ok') return sendJson(res, 200, { result: { ok: true } });
    if (req.url === '/stall-headers') {
      stalled.push(res);
      return;
    }
    if (req.url === '/stall-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"result":');
      stalled.push(res);
      return;
    }
    if (req.url === '/huge-declared') {
      // Declares 600 MB, sends a little, then waits.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(600 * 1024 * 1024) });
      res.write('{"result":"');
      stalled.push(res);
      return;
    }
    if (req.url === '/endless' || req.url === '/endless-500') {
      res.writeHead(req.url === '/endless' ? 200 : 500, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) {
          // fill the socket buffer
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      res.write('{"result":"');
      pump();
      return;
    }
    res.statusCode = 404;
    res.end();
  });
});

afterAll(async () => {
  for (const res of stalled) res.destroy();
  await nodeFetch.close();
  await server.close();
});

const hungSource = (seen: AbortSignal[] = []): NonceSource => ({
  next(options) {
    if (options?.signal) seen.push(options.signal);
    return new Promise<bigint>(() => undefined);
  },
});

async function settleTime(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return { ms: performance.now() - started, error };
}

describe.each<[string, FetchLike]>([
  ['Node transport', nodeFetch],
  ['global fetch transport', createFetchTransport()],
])('deadlines cover every phase (%s)', (_label, fetch) => {
  const base = { apiKey: 'k', apiSecret: REFERENCE_SECRET, baseUrl: '', fetch, retry: { maxAttempts: 1 } };

  it('a nonce source that never answers: timeoutMs settles the call, with the signal passed to the source', async () => {
    const seen: AbortSignal[] = [];
    const core = createSignedCore({ ...base, baseUrl: server.url, nonces: hungSource(seen), timeoutMs: 300 });
    const before = server.received.length;
    const { ms, error } = await settleTime(core.request({ method: 'GET', path: '/ok' }));
    expect(error).toBeInstanceOf(EmbedTimeoutError);
    expect(ms).toBeLessThan(300 + MARGIN_MS);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.aborted).toBe(true);
    expect(server.received.length).toBe(before); // nothing sent
  });

  it("a nonce source that never answers: the caller's signal settles the call", async () => {
    const core = createSignedCore({ ...base, baseUrl: server.url, nonces: hungSource(), timeoutMs: 60_000 });
    const { ms, error } = await settleTime(core.request({ method: 'GET', path: '/ok', signal: AbortSignal.timeout(300) }));
    expect(error).toBeInstanceOf(EmbedAbortError);
    expect(ms).toBeLessThan(300 + MARGIN_MS);
  });

  it('no response headers, or a body that stops: timeoutMs settles the call', async () => {
    const core = createSignedCore({ ...base, baseUrl: server.url, timeoutMs: 300 });
    for (const path of ['/stall-headers', '/stall-body']) {
      const { ms, error } = await settleTime(core.request({ method: 'GET', path }));
      expect(error).toBeInstanceOf(EmbedTimeoutError);
      expect(ms).toBeLessThan(300 + MARGIN_MS);
    }
  });

  it('an unreachable connect (a blackhole address) settles within the timeout', async () => {
    // 10.255.255.1 is not routed on the test machine's loopback setup: the connect hangs or fails.
    const core = createSignedCore({ ...base, baseUrl: 'http://10.255.255.1:9', timeoutMs: 300 });
    const { ms, error } = await settleTime(core.request({ method: 'GET', path: '/ok' }));
    expect(ms).toBeLessThan(300 + MARGIN_MS);
    expect((error as Error).name).toMatch(/^Embed/);
  });
});

describe('hashing a large upload stops on abort', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedkit-hash-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a 2 GiB file: the call settles promptly and reading the file stops', async () => {
    const path = join(dir, 'big.bin');
    await writeFile(path, '');
    await truncate(path, 2 * 1024 * 1024 * 1024); // sparse: no disk used
    const file = await fileFromPath(path, { type: 'application/octet-stream' });
    // Count the chunks read from the file: they must stop soon after the abort.
    let chunks = 0;
    const counting = new Proxy(file, {
      get(target, key) {
        if (key === 'stream') {
          return () => {
            const reader = target.stream().getReader();
            return new ReadableStream<Uint8Array>({
              async pull(controller) {
                const { done, value } = await reader.read();
                if (done) controller.close();
                else {
                  chunks++;
                  controller.enqueue(value);
                }
              },
              cancel: (reason) => reader.cancel(reason),
            });
          };
        }
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    Object.setPrototypeOf(counting, Object.getPrototypeOf(file));
    const body = encodeMultipart([{ name: 'front', value: counting as File, filename: 'big.bin' }]);
    const core = createSignedCore({ apiKey: 'k', apiSecret: REFERENCE_SECRET, baseUrl: server.url, fetch: nodeFetch, retry: { maxAttempts: 1 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 300);
    const { ms, error } = await settleTime(
      core.request({ method: 'POST', path: '/ok', body: { kind: 'multipart', value: body }, signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(EmbedAbortError);
    expect(ms).toBeLessThan(300 + MARGIN_MS);
    const atAbort = chunks;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(chunks - atAbort).toBeLessThanOrEqual(2);
    expect(chunks * 64 * 1024).toBeLessThan(2 * 1024 * 1024 * 1024);
  });
});

describe.each<[string, FetchLike]>([
  ['Node transport', nodeFetch],
  ['global fetch transport', createFetchTransport()],
])('response bodies are bounded (%s)', (_label, fetch) => {
  const core = () =>
    createSignedCore({ apiKey: 'k', apiSecret: REFERENCE_SECRET, baseUrl: server.url, fetch, retry: { maxAttempts: 1 }, maxResponseBytes: 1024 * 1024, timeoutMs: 20_000 });

  it('a declared 600 MB body is refused at once', async () => {
    const { ms, error } = await settleTime(core().request({ method: 'GET', path: '/huge-declared' }));
    expect(error).toBeInstanceOf(EmbedResponseTooLargeError);
    expect((error as EmbedResponseTooLargeError).limitBytes).toBe(1024 * 1024);
    expect(ms).toBeLessThan(5_000);
  });

  it('an endless chunked body (200 or 500) stops at the limit, with bounded memory', async () => {
    const rss = process.memoryUsage().rss;
    for (const path of ['/endless', '/endless-500']) {
      const { ms, error } = await settleTime(core().request({ method: 'GET', path }));
      expect(error).toBeInstanceOf(EmbedResponseTooLargeError);
      expect(error).not.toBeInstanceOf(EmbedApiError);
      expect(ms).toBeLessThan(10_000);
    }
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
  });

  it('the default limit is 4 MiB and a small response passes', async () => {
    const c = createSignedCore({ apiKey: 'k', apiSecret: REFERENCE_SECRET, baseUrl: server.url, fetch });
    await expect(c.request({ method: 'GET', path: '/ok' })).resolves.toMatchObject({ data: { result: { ok: true } } });
    const error = await c.request({ method: 'GET', path: '/endless', retry: { maxAttempts: 1 } }).catch((e: unknown) => e);
    expect((error as EmbedResponseTooLargeError).limitBytes).toBe(4 * 1024 * 1024);
  });
});
