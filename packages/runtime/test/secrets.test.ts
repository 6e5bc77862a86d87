import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ApiCredentials,
  EmbedConfigError,
  EmbedError,
  computeApiSign,
  createFetchTransport,
  createRequestSigner,
  createSigningMiddleware,
  encodeMultipart,
} from '../src/index.js';
import { createNodeFetch } from '../src/node/index.js';
import { type TestServer, delay, sendJson, startServer, verifyRequest, TEST_SCHEME, createSignedCore } from './helpers.js';

// A distinctive secret whose decoded form is readable text, so a leak of either is detectable.
const DECODED = 'EMBEDKIT-LEAK-CANARY-decoded-secret-0123456789-abcdefghijklmnopqrstu';
const SECRET = Buffer.from(DECODED).toString('base64');
const FORBIDDEN = [SECRET, DECODED, SECRET.slice(0, 24), DECODED.slice(0, 24), Buffer.from(DECODED).toString('hex').slice(0, 32)];

function assertClean(label: string, text: string): void {
  for (const needle of FORBIDDEN) {
    if (text.includes(needle)) throw new Error(`${label} leaks the secret (${needle.slice(0, 6)}...)`);
  }
}

function renderings(value: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['util.inspect', inspect(value, { depth: 10 })],
    ['util.inspect showHidden', inspect(value, { depth: 10, showHidden: true })],
    ['String', String(value)],
  ];
  try {
    out.push(['JSON.stringify', JSON.stringify(value) ?? '']);
  } catch (error) {
    out.push(['JSON.stringify threw', String(error)]);
  }
  if (value instanceof Error) {
    out.push(['message', value.message], ['stack', value.stack ?? '']);
    let cause = value.cause;
    for (let i = 0; cause !== undefined && i < 5; i++) {
      out.push([`cause[${i}]`, inspect(cause, { depth: 10, showHidden: true })]);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return out;
}

let server: TestServer;
const nodeFetch = createNodeFetch();

beforeAll(async () => {
  server = await startServer(async (req, res) => {
    if (!verifyRequest(req, SECRET)) return sendJson(res, 401, { error: ['EAPI:Invalid signature'] });
    if (req.url.startsWith('/status/')) return sendJson(res, Number(req.url.slice(8)), { error: ['EGeneral:Internal error'] });
    if (req.url === '/nonce') return sendJson(res, 401, { error: ['EAPI:Invalid nonce'] });
    if (req.url === '/slow') return void (await delay(2_000));
    if (req.url === '/drop') return void req.headers; // never answered; the client times out
    sendJson(res, 200, { result: { ok: 1 } });
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  nodeFetch.close();
  await server.close();
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('the API secret never leaks', () => {
  it('credentials, signer, middleware and client render as redacted', () => {
    const credentials = new ApiCredentials('public-key', SECRET);
    expect(inspect(credentials)).toBe("ApiCredentials { apiKey: 'public-key', apiSecret: '[redacted]' }");
    expect(String(credentials)).toContain('[redacted]');
    expect(JSON.parse(JSON.stringify(credentials))).toEqual({ apiKey: 'public-key', apiSecret: '[redacted]' });
    const core = createSignedCore({ credentials, scheme: TEST_SCHEME, baseUrl: server.url, fetch: nodeFetch });
    const signer = createRequestSigner({ apiKey: 'k', apiSecret: SECRET, scheme: TEST_SCHEME });
    const middleware = createSigningMiddleware({ apiKey: 'k', apiSecret: SECRET, scheme: TEST_SCHEME });
    for (const [name, value] of Object.entries({ credentials, core, signer, middleware })) {
      for (const [how, text] of renderings(value)) assertClean(`${name} ${how}`, text);
    }
  });

  it('errors of every kind, and console output, never contain it', async () => {
    const logged: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => inspect(a, { depth: 10 })).join(' '));
      });
    }
    const writes: string[] = [];
    const stdout = process.stdout.write.bind(process.stdout);
    const stderr = process.stderr.write.bind(process.stderr);
    const capture =
      (orig: typeof process.stdout.write) =>
      (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        writes.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
      };
    process.stdout.write = capture(stdout) as typeof process.stdout.write;
    process.stderr.write = capture(stderr) as typeof process.stderr.write;

    const errors: unknown[] = [];
    const collect = (p: Promise<unknown>) => p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => errors.push(e),
    );
    try {
      const base = { apiKey: 'public-key', apiSecret: SECRET, scheme: TEST_SCHEME, baseUrl: server.url, retry: { baseDelayMs: 1 } };
      for (const fetch of [nodeFetch, createFetchTransport()]) {
        const core = createSignedCore({ ...base, fetch });
        const body = { kind: 'multipart' as const, value: encodeMultipart([{ name: 'metadata', value: '{}', contentType: 'application/json' }]) };
        await collect(core.request({ method: 'POST', path: '/status/500', body })); // bad status
        await collect(core.request({ method: 'GET', path: '/status/404' }));
        await collect(core.request({ method: 'POST', path: '/nonce', body, retry: { maxNonceRetries: 1 } })); // nonce budget exhausted
        await collect(core.request({ method: 'GET', path: '/ok', validateResponse: () => ({ ok: false, issues: [{ path: '/result', rule: 'type', message: 'bad' }] }) }));
        await collect(core.request({ method: 'POST', path: '/drop', body, timeoutMs: 100 })); // timeout
        await collect(core.request({ method: 'POST', path: '/slow', body, signal: AbortSignal.timeout(50) })); // caller abort
        const refused = createSignedCore({ ...base, fetch, baseUrl: `http://127.0.0.1:${await closedPort()}` });
        await collect(refused.request({ method: 'POST', path: '/x', body })); // network error
      }
      // Config errors with a valid distinctive secret, and with an invalid one built from it.
      for (const bad of [
        () => createSignedCore({ apiKey: 'k', apiSecret: SECRET, scheme: TEST_SCHEME, baseUrl: 'not a url' }),
        () => createSignedCore({ apiKey: 'k', apiSecret: `${SECRET}!`, scheme: TEST_SCHEME, baseUrl: server.url }),
        () => createSignedCore({ apiKey: 'k', apiSecret: `${SECRET} `, scheme: TEST_SCHEME, baseUrl: server.url }),
        () => createSignedCore({ apiKey: 'k', apiSecret: SECRET.replace(/=+$/, ''), scheme: TEST_SCHEME, baseUrl: server.url }),
        () => new ApiCredentials('', SECRET),
      ]) {
        try {
          bad();
          throw new Error('expected a config error');
        } catch (error) {
          expect(error).toBeInstanceOf(EmbedConfigError);
          errors.push(error);
        }
      }
      await collect(computeApiSign(`-${SECRET.slice(1)}`, '/x', '1'));
    } finally {
      process.stdout.write = stdout;
      process.stderr.write = stderr;
    }

    expect(errors.length).toBe(20);
    const codes = new Set(errors.map((e) => (e as EmbedError).code));
    expect([...codes].sort()).toEqual([
      'EMBED_ABORTED',
      'EMBED_API_ERROR',
      'EMBED_CONFIG_ERROR',
      'EMBED_NETWORK_ERROR',
      'EMBED_TIMEOUT',
      'EMBED_VALIDATION_ERROR',
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(EmbedError);
      for (const [how, text] of renderings(error)) assertClean(`${(error as Error).name} ${how}`, text);
      // Also what a logger would print.
      console.error('request failed', error);
    }
    for (const line of [...logged, ...writes]) assertClean('console output', line);
    expect(logged.length).toBe(errors.length); // the capture worked
  });
});
