/**
 * Issue 13, points 1, 4 and 6: one pipeline through openapi-fetch (retries re-enter its
 * middleware, signing included), a public entry without internals, never an untyped error
 * whatever the arguments, and request/response events.
 */
import fc from 'fast-check';
import type { Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as runtime from '../src/index.js';
import {
  EmbedConfigError,
  EmbedError,
  type RequestEvent,
  type ResponseEvent,
  computeApiSign,
  createEmbedCore,
  createNonceSource,
  createRequestSigner,
  createSigningMiddleware,
  encodeMultipart,
  toStandardSchema,
} from '../src/index.js';
import { createNodeFetch } from '../src/node/index.js';
import { REFERENCE_SECRET, TEST_SCHEME, type TestServer, createSignedCore, sendJson, startServer, verifyRequest } from './helpers.js';

let server: TestServer;
let failNext = 0;
const nodeFetch = createNodeFetch();

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (failNext > 0) {
      failNext--;
      return sendJson(res, 503, { error: ['EService:Unavailable'] });
    }
    sendJson(res, 200, { result: { ok: true } }, { 'x-request-id': 'req-123' });
  });
});
afterAll(async () => {
  await nodeFetch.close();
  await server.close();
});

describe('one pipeline', () => {
  it('every attempt goes through openapi-fetch: user middleware and signing run again, with a fresh nonce', async () => {
    const seen: string[] = [];
    const user: Middleware = {
      onRequest({ request }) {
        seen.push(request.method);
      },
    };
    const core = createSignedCore({
      apiKey: 'k',
      apiSecret: REFERENCE_SECRET,
      baseUrl: server.url,
      fetch: nodeFetch,
      middleware: [user],
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    failNext = 2;
    const before = server.received.length;
    const result = await core.request({ method: 'POST', path: '/b2b/x', body: { kind: 'json', value: { a: 1 } }, idempotent: true });
    expect(result.attempts).toBe(3);
    expect(seen).toEqual(['POST', 'POST', 'POST']);
    const got = server.received.slice(before);
    expect(got.every((r) => verifyRequest(r, REFERENCE_SECRET))).toBe(true);
    expect(new Set(got.map((r) => r.headers['api-nonce'])).size).toBe(3);
  });

  it('the core sends through its own openapi-fetch client (core.http), with the same middleware', async () => {
    const core = createSignedCore({ apiKey: 'k', apiSecret: REFERENCE_SECRET, baseUrl: server.url, fetch: nodeFetch });
    const { response } = await (core.http as unknown as { GET(p: string): Promise<{ response: Response }> }).GET('/b2b/assets');
    expect(response.status).toBe(200);
    expect(verifyRequest(server.received.at(-1)!, REFERENCE_SECRET)).toBe(true);
  });

  it('the public entry exports no internals', () => {
    const names = Object.keys(runtime);
    for (const internal of [
      'identity',
      'markEmbedkitTransport',
      'isEmbedkitTransport',
      'SMALL_BODY_BYTES',
      'classifyFailure',
      'decideRetry',
      'EMBED_SIGNATURE_SCHEME',
      'EMBEDKIT_BODY',
      'multipartInit',
      'getDefaultFetch',
      'toNetworkError',
      'signedPathOf',
    ]) {
      expect(names).not.toContain(internal);
    }
  });
});

describe('events and debug log', () => {
  it('reports each attempt (method, path template, attempt, status, duration, request id), never secrets or bodies', async () => {
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const lines: string[] = [];
    const core = createSignedCore({
      apiKey: 'public-key',
      apiSecret: REFERENCE_SECRET,
      baseUrl: server.url,
      fetch: nodeFetch,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
      onRequest: (e) => requests.push(e),
      onResponse: (e) => responses.push(e),
      debug: (line) => lines.push(line),
    });
    failNext = 1;
    await core.request({ method: 'GET', path: '/b2b/users/{user}', params: { path: { user: 'SECRET-USER-ID' } } });
    expect(requests).toEqual([
      { method: 'GET', path: '/b2b/users/{user}', attempt: 1 },
      { method: 'GET', path: '/b2b/users/{user}', attempt: 2 },
    ]);
    expect(responses).toHaveLength(2);
    expect(responses[0]).toMatchObject({ method: 'GET', path: '/b2b/users/{user}', attempt: 1, status: 503, errorCode: 'EMBED_API_ERROR' });
    expect(responses[1]).toMatchObject({ attempt: 2, status: 200, requestId: 'req-123' });
    expect(responses[1]!.durationMs).toBeGreaterThan(0);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\[embedkit\] GET \/b2b\/users\/\{user\} attempt 2: HTTP 200 in [\d.]+ ms request-id=req-123$/);
    const all = JSON.stringify([requests, responses, lines]);
    for (const secret of [REFERENCE_SECRET, 'SECRET-USER-ID', 'public-key', 'API-Sign']) expect(all).not.toContain(secret);
  });

  it('a throwing hook does not change the outcome', async () => {
    const core = createSignedCore({
      apiKey: 'k',
      apiSecret: REFERENCE_SECRET,
      baseUrl: server.url,
      fetch: nodeFetch,
      onRequest: () => {
        throw new Error('hook');
      },
      onResponse: () => {
        throw new Error('hook');
      },
    });
    await expect(core.request({ method: 'GET', path: '/ok' })).resolves.toMatchObject({ attempts: 1 });
  });
});

// Any JS value, including the awkward ones: lone surrogates, BigInt, cycles, throwing getters.
function hostile(): fc.Arbitrary<unknown> {
  const cyclic = fc.constant(null).map(() => {
    const o: Record<string, unknown> = { a: 1 };
    o['self'] = o;
    return o;
  });
  const throwing = fc.constant(null).map(() =>
    Object.defineProperty({ [fc.toStringMethod]: () => 'throwingGetter' }, 'kind', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    }),
  );
  const throwingProxy = fc.constant(null).map(
    () =>
      new Proxy(
        {},
        {
          get(_target, key) {
            // fast-check prints counterexamples through this method: let it.
            if (typeof key === 'symbol' || key === 'toString') return key === fc.toStringMethod || key === 'toString' ? () => 'throwingProxy' : undefined;
            throw new Error('proxy');
          },
          ownKeys() {
            throw new Error('proxy');
          },
        },
      ),
  );
  return fc.oneof(
    fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true, withDate: true, withUnicodeString: true }),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('\uD800', 'a\uDC00b', '.', '..', '', '/', 10n, Symbol('s'), () => 1),
    cyclic,
    throwing,
    throwingProxy,
  );
}

async function onlyTyped(run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof EmbedError)) throw new Error(`untyped error from ${String(run).slice(0, 120)}: ${String(error)}`);
  }
}

describe('never an untyped error', () => {
  const makeCore = () => createSignedCore({ apiKey: 'k', apiSecret: REFERENCE_SECRET, baseUrl: server.url, fetch: nodeFetch, retry: { maxAttempts: 1 } });

  it('core.request with any options, params, body and headers', { timeout: 120_000 }, async () => {
    const core = makeCore();
    const before = server.received.length;
    await fc.assert(
      fc.asyncProperty(hostile(), hostile(), hostile(), hostile(), async (user, query, body, headers) => {
        await onlyTyped(() => core.request({ method: 'POST', path: '/b2b/users/{user}', params: { path: { user }, query }, body, headers } as never));
        await onlyTyped(() => core.request(user as never));
      }),
      { numRuns: 40 },
    );
    // Whatever was sent was well-formed and signed, on a path the caller chose.
    for (const r of server.received.slice(before)) {
      expect(verifyRequest(r, REFERENCE_SECRET)).toBe(true);
      expect(r.url.startsWith('/b2b/users/')).toBe(true);
      expect(r.url.split('?')[0]!.split('/')).toHaveLength(4);
    }
  });

  it('dot segments and unencodable values are refused even without any validation', async () => {
    const core = makeCore();
    const before = server.received.length;
    for (const user of ['.', '..', '', 'AA95N84GTESTXXX\uD800']) {
      const error = await core.request({ method: 'GET', path: '/b2b/users/{user}', params: { path: { user } } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbedConfigError);
      expect((error as EmbedConfigError).option).toBe('params.path.user');
    }
    const bigint = await core.request({ method: 'POST', path: '/x', body: { kind: 'json', value: { n: 10n } } }).catch((e: unknown) => e);
    expect(bigint).toBeInstanceOf(EmbedConfigError);
    expect(server.received.length).toBe(before);
  });

  it('every other public function', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(hostile(), hostile(), hostile(), hostile(), async (a, b, c, d) => {
        await onlyTyped(() => createEmbedCore(a as never));
        await onlyTyped(() => createEmbedCore({ baseUrl: server.url, signing: a, headers: b, retry: c, timeoutMs: d } as never));
        await onlyTyped(() => encodeMultipart(a as never, b as never));
        await onlyTyped(() => encodeMultipart([{ name: 'n', value: a, contentType: b, filename: c }] as never));
        await onlyTyped(() => computeApiSign(REFERENCE_SECRET, a as never, b as never, c as never));
        await onlyTyped(() => computeApiSign(a as never, '/p', 1n));
        await onlyTyped(() => createRequestSigner(a as never));
        await onlyTyped(() => createRequestSigner({ apiKey: 'k', apiSecret: REFERENCE_SECRET, scheme: TEST_SCHEME }).sign(a as never));
        await onlyTyped(() => createSigningMiddleware({ apiKey: a, apiSecret: b, scheme: c } as never));
        await onlyTyped(() => createNonceSource(a as never).next());
        await onlyTyped(() => createRequestSigner({ apiKey: 'k', apiSecret: REFERENCE_SECRET, scheme: TEST_SCHEME, nonces: a as never }).sign({ pathWithQuery: '/p' }));
        await onlyTyped(() => toStandardSchema(() => ({ ok: true, value: a }))['~standard'].validate(b));
      }),
      { numRuns: 150 },
    );
  });
});
