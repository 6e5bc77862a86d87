import type { ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import type { Middleware } from 'openapi-fetch';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  EmbedAbortError,
  EmbedApiError,
  EmbedConfigError,
  type EmbedCoreOptions,
  EmbedNetworkError,
  EmbedTimeoutError,
  EmbedValidationError,
  type GlobalFetch,
  type RetryEvent,
  createFetchTransport,
  encodeMultipart,
} from '../src/index.js';
import { createNodeFetch } from '../src/node/index.js';
import { REFERENCE_SECRET, type Received, type TestServer, delay, sendJson, startServer, verifyRequest, TEST_SCHEME, type SignedCoreOptions, createSignedCore } from './helpers.js';

type Step = (req: Received, res: ServerResponse) => void | Promise<void>;

const ok: Step = (_req, res) => sendJson(res, 200, { result: { verification_id: 'v-1' } }, { 'x-request-id': 'req-ok' });
const invalidNonce: Step = (_req, res) => sendJson(res, 401, { error: ['EAPI:Invalid nonce'] });
const status =
  (code: number, body: unknown = { error: ['EGeneral:Internal error'] }, headers: Record<string, string> = {}): Step =>
  (_req, res) =>
    sendJson(res, code, body, headers);

let server: TestServer;
let script: Step[] = [];
let calls = 0;
const nodeFetch = createNodeFetch();

beforeAll(async () => {
  server = await startServer(async (req, res) => {
    const step = script[Math.min(calls, script.length - 1)] ?? ok;
    calls++;
    if (!verifyRequest(req, REFERENCE_SECRET)) return sendJson(res, 401, { error: ['EAPI:Invalid signature'] });
    await step(req, res);
  });
});
afterEach(() => {
  script = [];
  calls = 0;
  server.received.length = 0;
});
afterAll(async () => {
  nodeFetch.close();
  await server.close();
});

function core(overrides: Partial<SignedCoreOptions> = {}) {
  return createSignedCore({
    apiKey: 'public-key',
    apiSecret: REFERENCE_SECRET,
    scheme: TEST_SCHEME,
    baseUrl: server.url,
    versionHeader: { name: 'Payward-Version', value: '2025-04-15' },
    fetch: nodeFetch,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  } as SignedCoreOptions);
}

const submit = (c: ReturnType<typeof core>, extra: object = {}) =>
  c.request({
    method: 'POST',
    path: '/b2b/verifications/{user}',
    params: { path: { user: 'AA95N84GTESTXXXX' } },
    body: { kind: 'multipart', value: encodeMultipart([{ name: 'type', value: 'identity_document' }]) },
    ...extra,
  });

const nonces = () => server.received.map((r) => BigInt(r.headers['api-nonce'] as string));

describe('successful requests', () => {
  it('parses JSON, returns request id and attempts, sends version header and exact JSON bytes', async () => {
    script = [ok];
    const result = await core({ headers: { 'X-Trace': 't1' } }).request({
      method: 'POST',
      path: '/b2b/subaccounts',
      body: { kind: 'json', value: { external_id: 'partner-user-12345' } },
    });
    expect(result.data).toEqual({ result: { verification_id: 'v-1' } });
    expect(result.attempts).toBe(1);
    expect(result.requestId).toBe('req-ok');
    const rec = server.received[0]!;
    expect(rec.body.toString()).toBe('{"external_id":"partner-user-12345"}');
    expect(rec.headers['content-type']).toBe('application/json');
    expect(rec.headers['payward-version']).toBe('2025-04-15');
    expect(rec.headers['x-trace']).toBe('t1');
    expect(rec.headers['api-key']).toBe('public-key');
  });

  it('signs GET query strings exactly as sent', async () => {
    script = [ok];
    await core().request({ method: 'GET', path: '/b2b/quotes/{id}', params: { path: { id: 'q 1' }, query: { user: 'abc', n: 3 } } });
    expect(server.received[0]!.url).toBe('/b2b/quotes/q%201?user=abc&n=3');
    expect(server.received[0]!.body.byteLength).toBe(0);
  });

  it('validateResponse: a passing validator maps the data; a failing one throws EmbedValidationError without retrying', async () => {
    script = [ok];
    const mapped = await core().request({
      method: 'GET',
      path: '/b2b/assets',
      validateResponse: (v) => ({ ok: true, value: (v as { result: { verification_id: string } }).result.verification_id }),
    });
    expect(mapped.data).toBe('v-1');
    const error = await core()
      .request({
        method: 'GET',
        path: '/b2b/assets',
        validateResponse: () => ({ ok: false, issues: [{ path: '/result/verification_id', rule: 'format', message: 'must be a UUID' }] }),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedValidationError);
    expect((error as EmbedValidationError).message).toContain('/result/verification_id: must be a UUID (format)');
    expect(calls).toBe(2);
  });

  it('the http escape hatch signs requests too', async () => {
    script = [ok];
    const c = core();
    const http = c.http as unknown as { GET(path: string): Promise<{ data: unknown; response: Response }> };
    const { response } = await http.GET('/b2b/assets');
    expect(response.status).toBe(200);
    expect(verifyRequest(server.received[0]!, REFERENCE_SECRET)).toBe(true);
  });

  it('works with user middleware (the Request then carries body and signal) and the global fetch transport', async () => {
    script = [ok];
    const seen: string[] = [];
    const middleware: Middleware = {
      onRequest({ request }) {
        seen.push(`${request.method} ${request.body === null ? 'no-body' : 'body'}`);
        request.headers.set('X-From-Middleware', '1');
      },
    };
    for (const fetch of [nodeFetch, createFetchTransport(), globalThis.fetch]) {
      await core({ middleware: [middleware], fetch }).request({ method: 'POST', path: '/p', body: { kind: 'json', value: [1, 2] } });
    }
    expect(seen).toEqual(['POST body', 'POST body', 'POST body']);
    expect(server.received.map((r) => r.headers['x-from-middleware'])).toEqual(['1', '1', '1']);
    expect(server.received.map((r) => r.body.toString())).toEqual(['[1,2]', '[1,2]', '[1,2]']);
  });

  it('the global fetch transport hands fetch the exact bytes of a core Request (not a copy of its body stream), any other Request as it is', async () => {
    script = [ok];
    const inits: (RequestInit | undefined)[] = [];
    const spy: GlobalFetch = (input, init) => {
      inits.push(init);
      return globalThis.fetch(input, init);
    };
    const transport = createFetchTransport(spy);
    await core({ fetch: transport }).request({ method: 'POST', path: '/p', body: { kind: 'json', value: [1, 2] } });
    expect(inits[0]?.body).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(inits[0]?.body as Uint8Array)).toBe('[1,2]');
    expect(server.received[0]?.headers['content-length']).toBe('5');
    expect(server.received[0]?.body.toString()).toBe('[1,2]');
    const other = await transport(new Request(`${server.url}/p`, { method: 'POST', body: 'x' }));
    expect(other.status).toBe(401);
    expect(inits[1]).toBeUndefined();
  });

  it('built-in transports without middleware: same URL, headers, body and signature as through openapi-fetch; middleware added later via http.use still runs', async () => {
    script = [ok];
    for (const fetch of [nodeFetch, createFetchTransport()]) {
      const c = core({ fetch, headers: { 'X-Extra': ' padded ' } });
      await c.request({
        method: 'POST',
        path: '/b2b/things/{id}',
        params: { path: { id: 'a b/c' }, query: { q: 'x&y', n: 2, skip: undefined } },
        body: { kind: 'json', value: { a: 1 } },
        headers: { 'x-extra': 'override' },
      });
      let seen = 0;
      c.http.use({
        onRequest() {
          seen++;
        },
      });
      await c.request({ method: 'GET', path: '/b2b/assets' });
      expect(seen).toBe(1);
    }
    const got = server.received;
    expect(got.map((r) => r.url)).toEqual(['/b2b/things/a%20b%2Fc?q=x%26y&n=2', '/b2b/assets', '/b2b/things/a%20b%2Fc?q=x%26y&n=2', '/b2b/assets']);
    expect(got.every((r) => verifyRequest(r, REFERENCE_SECRET))).toBe(true);
    for (const r of [got[0]!, got[2]!]) {
      expect(r.headers['x-extra']).toBe('override');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['payward-version']).toBe('2025-04-15');
      expect(r.headers['accept']).toBe('application/json');
      expect(r.body.toString()).toBe('{"a":1}');
    }
  });
});

describe('retries', () => {
  it('429 with Retry-After, then 200: waits as told (capped) and re-signs with a fresh nonce', async () => {
    script = [status(429, { error: ['EAPI:Rate limit exceeded'] }, { 'retry-after': '1' }), ok];
    const events: RetryEvent[] = [];
    const t0 = performance.now();
    const result = await submit(core({ retry: { baseDelayMs: 0, maxRetryAfterMs: 300 }, onRetry: (e) => events.push(e) }));
    const elapsed = performance.now() - t0;
    expect(result.attempts).toBe(2);
    expect(calls).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(290); // Retry-After honoured (backoff alone would be 0)
    expect(elapsed).toBeLessThan(950); // ... and capped at maxRetryAfterMs
    expect(events).toMatchObject([{ kind: 'safe', delayMs: 300, attempt: 1 }]);
    const [first, second] = server.received;
    expect(nonces()[1]! > nonces()[0]!).toBe(true);
    expect(second!.headers['api-sign']).not.toBe(first!.headers['api-sign']);
    expect(verifyRequest(second!, REFERENCE_SECRET)).toBe(true);
    expect(Buffer.compare(first!.body, second!.body)).toBe(0); // same bytes, new signature
  });

  it('honours retry-after-ms and HTTP-date Retry-After on 503', async () => {
    const date = new Date(Date.now() + 60_000).toUTCString();
    script = [status(503, {}, { 'retry-after-ms': '120' }), status(503, {}, { 'retry-after': date }), ok];
    const events: RetryEvent[] = [];
    await submit(core({ retry: { baseDelayMs: 0, maxRetryAfterMs: 150 }, onRetry: (e) => events.push(e) }));
    expect(events.map((e) => e.delayMs)).toEqual([120, 150]);
    expect(calls).toBe(3);
  });

  it('500 on a non-idempotent request is not retried by default: exactly one request', async () => {
    script = [status(500)];
    const error = await submit(core()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedApiError);
    expect((error as EmbedApiError).status).toBe(500);
    expect((error as EmbedApiError).attempts).toBe(1);
    expect(server.received).toHaveLength(1);
  });

  it('500 on a non-idempotent request is retried with retryAmbiguous', async () => {
    script = [status(500), status(502), ok];
    const result = await submit(core({ retry: { baseDelayMs: 1, retryAmbiguous: true } }));
    expect(result.attempts).toBe(3);
    expect(new Set(nonces()).size).toBe(3);
  });

  it('GET (idempotent) retries 500/502/504 up to maxAttempts, then throws the last error', async () => {
    script = [status(500), status(504), status(502)];
    const error = await core().request({ method: 'GET', path: '/b2b/assets' }).catch((e: unknown) => e);
    expect((error as EmbedApiError).status).toBe(502);
    expect((error as EmbedApiError).attempts).toBe(3);
    expect(calls).toBe(3);
  });

  it('does not retry 400/401/403/404/409', async () => {
    for (const code of [400, 401, 403, 404, 409]) {
      script = [status(code), ok];
      calls = 0;
      const error = await core().request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
      expect((error as EmbedApiError).status).toBe(code);
      expect(calls).toBe(1);
    }
  });

  it('EAPI:Invalid nonce is retried on its own budget (even for a submission), with a larger nonce', async () => {
    script = [invalidNonce, invalidNonce, invalidNonce, ok];
    const result = await submit(core({ retry: { maxAttempts: 1 } }));
    expect(result.attempts).toBe(4);
    const n = nonces();
    expect(n.every((v, i) => i === 0 || v > n[i - 1]!)).toBe(true);
  });

  it('gives up after maxNonceRetries; also treats a 200 carrying an error envelope as an error', async () => {
    script = [(_r, res) => sendJson(res, 200, { error: ['EAPI:Invalid nonce'] })];
    const error = await submit(core({ retry: { maxNonceRetries: 2 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedApiError);
    expect((error as EmbedApiError).isInvalidNonce).toBe(true);
    expect((error as EmbedApiError).status).toBe(200);
    expect(calls).toBe(3);
  });
});

describe('timeouts and aborts', () => {
  const slow: Step = async (_req, res) => {
    await delay(3_000);
    if (!res.destroyed) sendJson(res, 200, {});
  };

  it('a slow response times out with EmbedTimeoutError; a submission is not retried after it', async () => {
    script = [slow];
    const t0 = performance.now();
    const error = await submit(core({ timeoutMs: 150 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedTimeoutError);
    expect((error as EmbedTimeoutError).timeoutMs).toBe(150);
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(calls).toBe(1);
  });

  it('a GET is retried after a timeout and can then succeed; per-request timeout overrides', async () => {
    script = [slow, ok];
    const result = await core({ timeoutMs: 10_000 }).request({ method: 'GET', path: '/b2b/assets', timeoutMs: 150 });
    expect(result.attempts).toBe(2);
  });

  it('the global-fetch transport times out too', async () => {
    script = [slow];
    const error = await submit(core({ timeoutMs: 150, fetch: createFetchTransport() })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedTimeoutError);
  });

  it('caller abort during the request rejects with EmbedAbortError carrying the reason', async () => {
    script = [slow];
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 100);
    const t0 = performance.now();
    const error = await submit(core(), { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedAbortError);
    expect(((error as EmbedAbortError).cause as Error).message).toBe('user cancelled');
    expect(performance.now() - t0).toBeLessThan(1_500);
  });

  it('an already-aborted signal sends nothing; abort during a retry wait stops the wait', async () => {
    const error = await submit(core(), { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedAbortError);
    expect(calls).toBe(0);

    script = [status(503, {}, { 'retry-after': '5' })];
    const controller = new AbortController();
    const t0 = performance.now();
    const pending = submit(core({ retry: { maxRetryAfterMs: 10_000 } }), { signal: controller.signal });
    setTimeout(() => controller.abort(), 150);
    await expect(pending).rejects.toBeInstanceOf(EmbedAbortError);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(calls).toBe(1);
  });
});

describe('network failures', () => {
  async function closedPort(): Promise<number> {
    const srv = createServer();
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const { port } = srv.address() as { port: number };
    await new Promise<void>((resolve) => srv.close(() => resolve()));
    return port;
  }

  for (const [label, fetch] of [
    ['node transport', nodeFetch],
    ['global fetch transport', createFetchTransport()],
  ] as const) {
    it(`${label}: connection refused is EmbedNetworkError sent:false and retried, even for a submission`, async () => {
      const port = await closedPort();
      const events: RetryEvent[] = [];
      const error = await submit(core({ baseUrl: `http://127.0.0.1:${port}`, fetch, onRetry: (e) => events.push(e) })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbedNetworkError);
      expect((error as EmbedNetworkError).sent).toBe(false);
      expect((error as EmbedNetworkError).systemCode).toBe('ECONNREFUSED');
      expect((error as EmbedNetworkError).attempts).toBe(3);
      expect(events.map((e) => e.kind)).toEqual(['safe', 'safe']);
    });
  }

  it('a connection dropped after the body was sent is ambiguous: sent:true, a submission is not retried, a GET is', async () => {
    const drop: Step = (_req, res) => {
      res.socket?.destroy();
    };
    script = [drop];
    const error = await submit(core()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedNetworkError);
    expect((error as EmbedNetworkError).sent).toBe(true);
    expect(calls).toBe(1);

    calls = 0;
    script = [drop, ok];
    const result = await core().request({ method: 'GET', path: '/b2b/assets' });
    expect(result.attempts).toBe(2);
  });
});

describe('redirects are never followed by signed requests', () => {
  const redirect: Step = (_req, res) => {
    res.writeHead(307, { location: 'http://127.0.0.1:1/steal', 'content-length': '0' });
    res.end();
  };

  it('node transport: the 3xx surfaces as a non-retried EmbedApiError', async () => {
    script = [redirect];
    const error = await core().request({ method: 'GET', path: '/b2b/assets' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedApiError);
    expect((error as EmbedApiError).status).toBe(307);
    expect(calls).toBe(1);
  });

  it('fetch transports: an EmbedNetworkError UNEXPECTED_REDIRECT, not retried, nothing sent elsewhere', async () => {
    for (const fetch of [createFetchTransport(), globalThis.fetch]) {
      script = [redirect];
      calls = 0;
      const error = await core({ fetch }).request({ method: 'GET', path: '/b2b/assets' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbedNetworkError);
      expect((error as EmbedNetworkError).systemCode).toBe('UNEXPECTED_REDIRECT');
      expect(calls).toBe(1);
    }
  });
});

describe('EmbedApiError', () => {
  it('parses the {"error": [...]} envelope, request id, status and body', async () => {
    script = [status(400, { error: ['ENexus:Invalid user ID', 'EGeneral:Bad data'] }, { 'x-request-id': 'abc-123' })];
    const error = (await core()
      .request({ method: 'GET', path: '/b2b/users/{user}', params: { path: { user: 'x' } } })
      .catch((e: unknown) => e)) as EmbedApiError;
    expect(error).toBeInstanceOf(EmbedApiError);
    expect(error.code).toBe('EMBED_API_ERROR');
    expect(error.name).toBe('EmbedApiError');
    expect(error.status).toBe(400);
    expect(error.requestId).toBe('abc-123');
    expect(error.errors).toEqual([
      { category: 'ENexus', message: 'Invalid user ID', raw: 'ENexus:Invalid user ID' },
      { category: 'EGeneral', message: 'Bad data', raw: 'EGeneral:Bad data' },
    ]);
    expect(error.body).toEqual({ error: ['ENexus:Invalid user ID', 'EGeneral:Bad data'] });
    expect(error.message).toBe('Embed API error: HTTP 400: ENexus:Invalid user ID; EGeneral:Bad data (request id abc-123)');
    expect(error.response?.status).toBe(400);
  });

  it('parses {"errors": [...]} and non-JSON bodies', async () => {
    script = [status(409, { errors: ['EPTL:Not enough depth on book'] }, { 'cf-ray': 'ray-9' })];
    const e1 = (await core().request({ method: 'GET', path: '/a' }).catch((e: unknown) => e)) as EmbedApiError;
    expect(e1.errors[0]).toMatchObject({ category: 'EPTL', message: 'Not enough depth on book' });
    expect(e1.requestId).toBe('ray-9');

    calls = 0;
    script = [
      (_req, res) => {
        res.writeHead(418, { 'content-type': 'text/html' });
        res.end('<html>teapot</html>');
      },
    ];
    const e2 = (await core().request({ method: 'GET', path: '/a' }).catch((e: unknown) => e)) as EmbedApiError;
    expect(e2.status).toBe(418);
    expect(e2.errors).toEqual([]);
    expect(e2.body).toBe('<html>teapot</html>');
    expect(e2.message).toContain('<html>teapot</html>');
  });

  it('a 2xx with a content-type of JSON but an invalid body is an EmbedValidationError', async () => {
    script = [
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{not json');
      },
    ];
    await expect(core().request({ method: 'GET', path: '/a' })).rejects.toBeInstanceOf(EmbedValidationError);
  });
});

describe('configuration is validated up front', () => {
  const cases: Array<[string, Partial<SignedCoreOptions>, RegExp]> = [
    ['bad secret', { apiSecret: 'not base64!' }, /apiSecret/],
    ['empty key', { apiKey: '' }, /apiKey/],
    ['key with newline', { apiKey: 'a\nb' }, /apiKey/],
    ['relative baseUrl', { baseUrl: '/api' }, /baseUrl/],
    ['ftp baseUrl', { baseUrl: 'ftp://example.com' }, /baseUrl/],
    ['baseUrl with query', { baseUrl: 'https://example.com/?a=1' }, /baseUrl/],
    ['baseUrl with credentials', { baseUrl: 'https://u:p@example.com' }, /baseUrl/],
    ['maxAttempts 0', { retry: { maxAttempts: 0 } }, /maxAttempts/],
    ['negative delay', { retry: { baseDelayMs: -1 } }, /baseDelayMs/],
    ['zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['bad version header', { versionHeader: { name: 'Bad Header', value: 'x' } }, /versionHeader/],
    ['header injection', { headers: { 'X-A': 'a\r\nb' } }, /headers/],
    ['fetch not a function', { fetch: 'nope' as unknown as typeof fetch }, /fetch/],
  ];
  for (const [label, override, message] of cases) {
    it(`rejects ${label}`, () => {
      expect(() => core(override)).toThrow(EmbedConfigError);
      expect(() => core(override)).toThrow(message);
    });
  }

  it('normalizes a trailing slash and keeps a path prefix in the signed path', async () => {
    script = [ok];
    const c = core({ baseUrl: `${server.url}/prefix/` });
    expect(c.baseUrl).toBe(`${server.url}/prefix`);
    await c.request({ method: 'GET', path: '/b2b/assets' });
    expect(server.received[0]!.url).toBe('/prefix/b2b/assets');
  });

  it('rejects bad request options', async () => {
    await expect(core().request({ method: 'get' as 'GET', path: '/a' })).rejects.toThrow(/method/);
    await expect(core().request({ method: 'GET', path: 'a' })).rejects.toThrow(/path/);
    await expect(core().request({ method: 'POST', path: '/a', body: { kind: 'json', value: undefined } })).rejects.toThrow(/JSON/);
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    await expect(core().request({ method: 'POST', path: '/a', body: { kind: 'json', value: circular } })).rejects.toThrow(EmbedConfigError);
    await expect(core().request({ method: 'POST', path: '/a', body: { kind: 'json', value: { n: 1n } } })).rejects.toThrow(EmbedConfigError);
    expect(calls).toBe(0);
  });
});
