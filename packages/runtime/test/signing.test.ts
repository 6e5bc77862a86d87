import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmbedConfigError,
  type SignatureScheme,
  computeApiSign,
  createFetchTransport,
  createNonceSource,
  createRequestSigner,
  createSigningMiddleware,
  encodeMultipart,
} from '../src/index.js';
import { signedPathOf } from '../src/signing.js';
import { createNodeFetch } from '../src/node/index.js';
import { cryptoProvider as nodeCrypto } from '../src/internal/platform/crypto-node.js';
import { cryptoProvider as webCrypto } from '../src/internal/platform/crypto-web.js';
import { REFERENCE_SECRET, type TestServer, expectedSignature, sendJson, startServer, verifyRequest, TEST_SCHEME, createSignedCore } from './helpers.js';

const enc = new TextEncoder();

// Reference section 2.3: the official Spot vector and the three computed Embed vectors.
const VECTORS = [
  {
    name: 'official Spot AddOrder',
    path: '/0/private/AddOrder',
    nonce: '1616492376594',
    body: 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25',
    sign: '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==',
  },
  {
    name: 'GET',
    path: '/b2b/assets',
    nonce: '1700000000000000000',
    body: undefined,
    sign: 'kVjBKgyzF8j8D3A0EXY7jw0FtboJOd4YwRjdQOKnjocQ3YSICH99/ZDUpdj4qcZD3xIA7wUfcC4aNVBcvhBG+Q==',
  },
  {
    name: 'GET + query',
    path: '/b2b/quotes?user=abc',
    nonce: '1700000000000000000',
    body: undefined,
    sign: 'sAWRopP53V3Prt8AriC7Qehe1hq/W0ii/9HglMmnZhgkI4Tx3DM37yQgs/3yTYTl0QJzUQ5ELMAfm86EwGvarQ==',
  },
  {
    name: 'POST JSON',
    path: '/b2b/subaccounts',
    nonce: '1700000000000000001',
    body: '{"external_id":"partner-user-12345"}',
    sign: 'SwPTcQKpxDwrDSRzi8bRqQLnoFJeJ97MyBouFQcFWgbQ0ud6D3BeeHjJfvD3iz1iUiC9EQ/UE3c4fByRlQWALQ==',
  },
] as const;

describe('computeApiSign reference vectors', () => {
  for (const v of VECTORS) {
    it(`${v.name}: bytes body, string nonce`, async () => {
      const body = v.body === undefined ? undefined : enc.encode(v.body);
      expect(await computeApiSign(REFERENCE_SECRET, v.path, v.nonce, body)).toBe(v.sign);
    });
    it(`${v.name}: bigint nonce, Blob body, null for no body`, async () => {
      const body = v.body === undefined ? null : new Blob([v.body]);
      expect(await computeApiSign(REFERENCE_SECRET, v.path, BigInt(v.nonce), body)).toBe(v.sign);
    });
  }

  it('the independent node:crypto verifier agrees with every vector (so server tests are trustworthy)', () => {
    for (const v of VECTORS) {
      expect(expectedSignature(REFERENCE_SECRET, v.path, v.nonce, enc.encode(v.body ?? ''))).toBe(v.sign);
    }
  });

  it('an empty body signs like no body (nonce only)', async () => {
    const none = await computeApiSign(REFERENCE_SECRET, '/b2b/assets', 1700000000000000000n);
    expect(await computeApiSign(REFERENCE_SECRET, '/b2b/assets', 1700000000000000000n, new Uint8Array(0))).toBe(none);
  });
});

describe('crypto providers (node:crypto and @noble/hashes) agree', () => {
  for (const provider of [nodeCrypto, webCrypto]) {
    it(`${provider.name} provider reproduces every vector`, () => {
      const key = provider.importHmacKey(new Uint8Array(Buffer.from(REFERENCE_SECRET, 'base64')));
      for (const v of VECTORS) {
        const hash = provider.createSha256();
        hash.update(v.nonce);
        if (v.body !== undefined) hash.update(enc.encode(v.body));
        expect(provider.hmacSha512Base64(key, v.path, hash.digest())).toBe(v.sign);
      }
    });
  }

  it('web provider hashes incrementally like node:crypto over many chunks', () => {
    const data = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
    const a = nodeCrypto.createSha256();
    const b = webCrypto.createSha256();
    for (let i = 0; i < data.length; i += 4099) {
      a.update(data.subarray(i, i + 4099));
      b.update(data.subarray(i, i + 4099));
    }
    expect(Buffer.from(b.digest()).toString('hex')).toBe(Buffer.from(a.digest()).toString('hex'));
  });
});

describe('secret validation', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['empty', '', /empty/],
    ['URL-safe alphabet', 'kQH5HW_8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==', /URL-safe/],
    ['whitespace', `${REFERENCE_SECRET}\n`, /whitespace/],
    ['missing padding', REFERENCE_SECRET.replace(/=+$/, ''), /multiple of 4/],
    ['bad characters', 'abc*defg', /A-Z, a-z, 0-9/],
    ['only padding', '====', /not valid standard base64/],
    ['not a string', 42, /must be a string/],
  ];
  for (const [label, secret, message] of bad) {
    it(`rejects a ${label} secret with EmbedConfigError naming the rule, not the value`, async () => {
      const error = await computeApiSign(secret as string, '/x', '1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmbedConfigError);
      expect((error as EmbedConfigError).code).toBe('EMBED_CONFIG_ERROR');
      expect((error as Error).message).toMatch(message);
      if (typeof secret === 'string' && secret.length > 4) {
        expect((error as Error).message).not.toContain(secret.trim());
        expect((error as Error).message).not.toContain(secret.slice(0, 12));
      }
    });
  }

  it('rejects invalid nonces and paths', async () => {
    await expect(computeApiSign(REFERENCE_SECRET, '/x', '12a')).rejects.toThrow(EmbedConfigError);
    await expect(computeApiSign(REFERENCE_SECRET, '/x', -1n)).rejects.toThrow(EmbedConfigError);
    await expect(computeApiSign(REFERENCE_SECRET, '/x', 1n << 64n)).rejects.toThrow(/unsigned 64-bit/);
    await expect(computeApiSign(REFERENCE_SECRET, 'x', '1')).rejects.toThrow(/start/);
  });

  it('rejects unsupported signature schemes', () => {
    const scheme = { ...TEST_SCHEME, hmac: 'SHA-256' } as unknown as SignatureScheme;
    expect(() => createRequestSigner({ apiKey: 'k', apiSecret: REFERENCE_SECRET, scheme })).toThrow(/scheme.hmac/);
    const badHeader = { ...TEST_SCHEME, signHeader: 'API Sign' };
    expect(() => createRequestSigner({ apiKey: 'k', apiSecret: REFERENCE_SECRET, scheme: badHeader })).toThrow(/signHeader/);
  });
});

describe('streaming bodies', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedkit-sign-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hashes a file-backed Blob and a multipart body with a large file like the same bytes in memory', async () => {
    const data = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 255);
    const path = join(dir, 'big.bin');
    await writeFile(path, data);
    const fileBlob = await openAsBlob(path);
    const fromFile = await computeApiSign(REFERENCE_SECRET, '/b2b/x', '5', fileBlob);
    expect(fromFile).toBe(expectedSignature(REFERENCE_SECRET, '/b2b/x', '5', data));

    const body = encodeMultipart([{ name: 'meta', value: '{}', contentType: 'application/json' }, { name: 'front', value: fileBlob, filename: 'f.bin' }], {
      boundary: 'b0undary',
    });
    const bytes = await body.bytes();
    expect(bytes.byteLength).toBe(body.contentLength);
    expect(await computeApiSign(REFERENCE_SECRET, '/b2b/x', '6', body)).toBe(expectedSignature(REFERENCE_SECRET, '/b2b/x', '6', bytes));
  });
});

describe('createRequestSigner', () => {
  it('returns the three headers with a fresh, increasing nonce per call', async () => {
    let t = 1000n;
    const signer = createRequestSigner({
      apiKey: 'public-key',
      apiSecret: REFERENCE_SECRET,
      scheme: TEST_SCHEME,
      nonces: createNonceSource({ now: () => t }),
    });
    const a = await signer.sign({ pathWithQuery: '/b2b/assets' });
    const b = await signer.sign({ pathWithQuery: '/b2b/assets' });
    t = 500n; // clock steps back: still increasing
    const c = await signer.sign({ pathWithQuery: '/b2b/assets', body: null });
    expect(Object.keys(a).sort()).toEqual(['API-Key', 'API-Nonce', 'API-Sign']);
    expect(a['API-Key']).toBe('public-key');
    expect([a['API-Nonce'], b['API-Nonce'], c['API-Nonce']]).toEqual(['1000', '1001', '1002']);
    expect(a['API-Sign']).toBe(expectedSignature(REFERENCE_SECRET, '/b2b/assets', '1000', new Uint8Array(0)));
    expect(b['API-Sign']).not.toBe(a['API-Sign']);
  });

  it('uses the scheme header names and accepts an async nonce source', async () => {
    const scheme: SignatureScheme = { ...TEST_SCHEME, keyHeader: 'X-Key', nonceHeader: 'X-Nonce', signHeader: 'X-Sign' };
    const signer = createRequestSigner({ apiKey: 'k', apiSecret: REFERENCE_SECRET, scheme, nonces: { next: async () => 42n } });
    const h = await signer.sign({ pathWithQuery: '/p?q=1', body: enc.encode('{}') });
    expect(h).toEqual({ 'X-Key': 'k', 'X-Nonce': '42', 'X-Sign': expectedSignature(REFERENCE_SECRET, '/p?q=1', '42', enc.encode('{}')) });
  });

  it('rejects a nonce source that returns something other than a bigint', async () => {
    const signer = createRequestSigner({
      apiKey: 'k',
      apiSecret: REFERENCE_SECRET,
      scheme: TEST_SCHEME,
      nonces: { next: () => 1.5 as unknown as bigint },
    });
    await expect(signer.sign({ pathWithQuery: '/p' })).rejects.toThrow(EmbedConfigError);
  });

  it('signedPathOf keeps the query exactly as sent and drops the fragment', () => {
    expect(signedPathOf('https://h.example/b2b/quotes?user=abc&x=%20#frag')).toBe('/b2b/quotes?user=abc&x=%20');
    expect(signedPathOf('http://127.0.0.1:8080/a%20b')).toBe('/a%20b');
  });
});

describe('signing middleware over real HTTP (verified server-side with node:crypto)', () => {
  let server: TestServer;
  const nodeFetch = createNodeFetch();
  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (!verifyRequest(req, REFERENCE_SECRET)) return sendJson(res, 401, { error: ['EAPI:Invalid signature'] });
      sendJson(res, 200, { result: { ok: true } });
    });
  });
  afterAll(async () => {
    nodeFetch.close();
    await server.close();
  });

  const transports = [
    ['global fetch (Request body, no side channel)', globalThis.fetch],
    ['createFetchTransport', createFetchTransport()],
    ['createNodeFetch', nodeFetch],
  ] as const;

  for (const [label, fetch] of transports) {
    it(`${label}: GET with a query string, JSON and multipart bodies all verify`, async () => {
      const http = createClient<Record<string, never>>({ baseUrl: server.url, fetch });
      http.use(createSigningMiddleware({ apiKey: 'k', apiSecret: REFERENCE_SECRET, scheme: TEST_SCHEME }));
      const loose = http as unknown as {
        GET(p: string, init: object): Promise<{ response: Response }>;
        POST(p: string, init: object): Promise<{ response: Response }>;
      };
      const before = server.received.length;

      const get = await loose.GET('/b2b/quotes', { params: { query: { user: 'a b&c', n: 2 } } });
      expect(get.response.status).toBe(200);

      const json = await loose.POST('/b2b/subaccounts', { body: { external_id: 'partner-user-12345' } });
      expect(json.response.status).toBe(200);

      const body = encodeMultipart([
        { name: 'type', value: 'identity_document' },
        { name: 'front', value: new Blob([new Uint8Array([0, 1, 2, 255])]), filename: 'f.bin' },
      ]);
      const multi = await loose.POST('/b2b/verifications/{user}', { params: { path: { user: 'AA95 N84G' } }, body: body.blob(), bodySerializer: (b: Blob) => b, headers: { 'Content-Type': body.contentType } });
      expect(multi.response.status).toBe(200);

      const got = server.received.slice(before);
      expect(got.map((r) => r.url)).toEqual(['/b2b/quotes?user=a%20b%26c&n=2', '/b2b/subaccounts', '/b2b/verifications/AA95%20N84G']);
      expect(got.every((r) => verifyRequest(r, REFERENCE_SECRET))).toBe(true);
      expect(got[1]!.body.toString()).toBe('{"external_id":"partner-user-12345"}');
      expect(Buffer.compare(got[2]!.body, Buffer.from(await body.bytes()))).toBe(0);
    });
  }

  it('a wrong secret is detected by the server (the verifier is not vacuous)', async () => {
    const other = Buffer.alloc(64, 7).toString('base64');
    const http = createClient<Record<string, never>>({ baseUrl: server.url, fetch: nodeFetch });
    http.use(createSigningMiddleware({ apiKey: 'k', apiSecret: other, scheme: TEST_SCHEME }));
    const { response } = await (http as unknown as { GET(p: string): Promise<{ response: Response }> }).GET('/b2b/assets');
    expect(response.status).toBe(401);
  });
});
