import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmbedConfigError,
  type MultipartField,
  encodeMultipart,
} from '../src/index.js';
import { escapeDispositionValue, isMultipartBody, randomBoundary, validateBoundary } from '../src/multipart.js';
import { createNodeFetch, fileFromPath } from '../src/node/index.js';
import { REFERENCE_SECRET, type TestServer, parseMultipart, readStream, sendJson, startServer, verifyRequest, TEST_SCHEME, createSignedCore } from './helpers.js';

const ALL_BYTES = new Uint8Array(256).map((_, i) => i);
const METADATA = JSON.stringify({
  verifier: 'example_kyc_provider',
  verified_at: '2024-04-15T10:00:00Z',
  identity: { full_name: { first_name: 'Zoë', last_name: 'Doe' }, date_of_birth: '1990-01-15' },
  document_type: 'passport',
  document_number: 'P123456789',
  issuing_country: 'US',
});

describe('encodeMultipart layout', () => {
  it('produces the exact documented bytes for a fixed boundary', async () => {
    const body = encodeMultipart(
      [
        { name: 'type', value: 'identity_document' },
        { name: 'metadata', value: '{"a":1}', contentType: 'application/json' },
        { name: 'front', value: new File([new Uint8Array([1, 2])], 'front.jpg', { type: 'image/jpeg' }) },
        { name: 'back', value: new Uint8Array([3]) },
      ],
      { boundary: 'XyZ' },
    );
    const expected =
      '--XyZ\r\nContent-Disposition: form-data; name="type"\r\n\r\nidentity_document\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="front"; filename="front.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\x01\x02\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="back"; filename="back"\r\nContent-Type: application/octet-stream\r\n\r\n\x03\r\n' +
      '--XyZ--\r\n';
    const bytes = await body.bytes();
    expect(Buffer.from(bytes).toString('latin1')).toBe(expected);
    expect(body.contentLength).toBe(expected.length);
    expect(body.blob().size).toBe(expected.length);
    expect(body.contentType).toBe('multipart/form-data; boundary=XyZ');
    expect(isMultipartBody(body)).toBe(true);
  });

  it('is deterministic: same input and boundary give the same bytes, also via blob() and stream()', async () => {
    const file = new Blob([ALL_BYTES], { type: 'application/pdf' });
    const fields = (): MultipartField[] => [
      { name: 'type', value: 'selfie' },
      { name: 'metadata', value: METADATA, contentType: 'application/json' },
      { name: 'selfie', value: file, filename: 'me.pdf' },
    ];
    const a = await encodeMultipart(fields(), { boundary: 'fixed-boundary' }).bytes();
    const b = await encodeMultipart(fields(), { boundary: 'fixed-boundary' }).bytes();
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    const body = encodeMultipart(fields(), { boundary: 'fixed-boundary' });
    const viaBlob = new Uint8Array(await body.blob().arrayBuffer());
    expect(Buffer.compare(Buffer.from(viaBlob), Buffer.from(a))).toBe(0);
    expect(Buffer.compare(await readStream(body.stream()), Buffer.from(a))).toBe(0);
    // Read twice (hash, then send) gives the same bytes again.
    expect(Buffer.compare(Buffer.from(await body.bytes()), Buffer.from(a))).toBe(0);
  });

  it('uses a random 128-bit boundary by default', () => {
    const seen = new Set(Array.from({ length: 200 }, () => randomBoundary()));
    expect(seen.size).toBe(200);
    for (const b of seen) expect(b).toMatch(/^embedkit-[0-9a-f]{32}$/);
    const x = encodeMultipart([{ name: 'a', value: 'b' }]);
    const y = encodeMultipart([{ name: 'a', value: 'b' }]);
    expect(x.boundary).not.toBe(y.boundary);
  });

  it('escapes names and filenames per the WHATWG rules', async () => {
    expect(escapeDispositionValue('a"b\r\nc')).toBe('a%22b%0D%0Ac');
    const body = encodeMultipart([{ name: 'we"ird\nname', value: new Uint8Array([1]), filename: 'x"y\r.txt' }], { boundary: 'b' });
    const text = Buffer.from(await body.bytes()).toString('latin1');
    expect(text).toContain('name="we%22ird%0Aname"; filename="x%22y%0D.txt"');
  });

  it('validates injected boundaries (RFC 2046) and quotes ones with special characters', () => {
    for (const bad of ['', 'a'.repeat(71), 'ends with space ', 'semi;colon', 'quote"', 'new\nline', 'ü']) {
      expect(() => encodeMultipart([], { boundary: bad }), JSON.stringify(bad)).toThrow(EmbedConfigError);
    }
    expect(() => validateBoundary('a'.repeat(70))).not.toThrow();
    expect(encodeMultipart([], { boundary: "simple'+_-.9" }).contentType).toBe("multipart/form-data; boundary=simple'+_-.9");
    expect(encodeMultipart([], { boundary: 'has space:and=more?' }).contentType).toBe('multipart/form-data; boundary="has space:and=more?"');
  });

  it('reads a small body with Blob parts into exact bytes, and refuses a part whose size changed', async () => {
    const boundary = 'b';
    const parts = (blob: Blob): MultipartField[] => [{ name: 'a', value: 'x' }, { name: 'f', value: blob, filename: 'f' }, { name: 'z', value: 'y' }];
    const bytes = await encodeMultipart(parts(new Blob(['hello'])), { boundary }).bytes();
    expect(new TextDecoder().decode(bytes)).toBe(
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n' +
        '--b\r\nContent-Disposition: form-data; name="f"; filename="f"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n' +
        '--b\r\nContent-Disposition: form-data; name="z"\r\n\r\ny\r\n--b--\r\n',
    );
    // Blobs whose content no longer matches their size (a file changed under a file-backed Blob).
    class Grown extends Blob {
      override async arrayBuffer(): Promise<ArrayBuffer> {
        return new ArrayBuffer(this.size + 1);
      }
    }
    class Shrunk extends Blob {
      override async arrayBuffer(): Promise<ArrayBuffer> {
        return new ArrayBuffer(this.size - 1);
      }
    }
    await expect(encodeMultipart(parts(new Grown(['hello'])), { boundary }).bytes()).rejects.toThrow(/larger than when the body was encoded/);
    await expect(encodeMultipart(parts(new Shrunk(['hello'])), { boundary }).bytes()).rejects.toThrow(/smaller than when the body was encoded/);
  });

  it('rejects header injection through content types and bad values', () => {
    expect(() => encodeMultipart([{ name: 'm', value: '{}', contentType: 'application/json\r\nX-Evil: 1' }])).toThrow(/CR, LF/);
    expect(() => encodeMultipart([{ name: 'f', value: new Blob(['x'], { type: 'a/b' }), contentType: 'x\ny' }])).toThrow(EmbedConfigError);
    expect(() => encodeMultipart([{ name: 'f', value: 42 as unknown as string }])).toThrow(/must be a string, Blob/);
    expect(() => encodeMultipart({ name: 'a', value: 'b' } as unknown as MultipartField[])).toThrow(/array/);
  });
});

describe('multipart bodies parsed by busboy on a real server', () => {
  let server: TestServer;
  let dir: string;
  const nodeFetch = createNodeFetch();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedkit-mp-'));
    server = await startServer((req, res) => {
      if (!verifyRequest(req, REFERENCE_SECRET)) return sendJson(res, 401, { error: ['EAPI:Invalid signature'] });
      sendJson(res, 200, { result: { verification_id: `v${server.received.length}` } });
    });
  });
  afterAll(async () => {
    nodeFetch.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const core = (fetch?: typeof globalThis.fetch) =>
    createSignedCore({
      apiKey: 'k',
      apiSecret: REFERENCE_SECRET,
      scheme: TEST_SCHEME,
      baseUrl: server.url,
      fetch: fetch ?? nodeFetch,
    });

  it('JSON part has Content-Type application/json and no filename; binary files arrive byte-exact', async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 3).map((_, i) => (i * 131 + 7) & 255);
    const path = join(dir, 'passport-back.bin');
    await writeFile(path, big);
    const back = await fileFromPath(path, { type: 'image/png' });
    expect(back.name).toBe('passport-back.bin');
    expect(back.size).toBe(big.byteLength);

    const body = encodeMultipart([
      { name: 'type', value: 'identity_document' },
      { name: 'metadata', value: METADATA, contentType: 'application/json' },
      { name: 'front', value: new File([ALL_BYTES], 'front.jpg', { type: 'image/jpeg' }) },
      { name: 'back', value: back },
      { name: 'verifier_response', value: ALL_BYTES.buffer.slice(0), filename: 'resp.json', contentType: 'application/json' },
    ]);
    const result = await core().request({
      method: 'POST',
      path: '/b2b/verifications/{user}',
      params: { path: { user: 'AA95N84GTESTXXXX' } },
      body: { kind: 'multipart', value: body },
    });
    expect(result.response.status).toBe(200);
    const rec = server.received.at(-1)!;
    expect(rec.headers['content-type']).toBe(body.contentType);
    // Exact Content-Length, equal to the bytes the server received.
    expect(rec.headers['content-length']).toBe(String(body.contentLength));
    expect(rec.body.byteLength).toBe(body.contentLength);

    const parts = await parseMultipart(rec.headers['content-type']!, rec.body);
    expect(parts.map((p) => p.name)).toEqual(['type', 'metadata', 'front', 'back', 'verifier_response']);
    const [type, metadata, front, backPart, resp] = parts;
    expect(type).toMatchObject({ isFile: false, mimeType: 'text/plain' });
    expect(type!.data.toString()).toBe('identity_document');
    expect(metadata).toMatchObject({ isFile: false, mimeType: 'application/json' });
    expect(JSON.parse(metadata!.data.toString('utf8'))).toEqual(JSON.parse(METADATA));
    expect(rec.body.toString('latin1')).toContain('Content-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n');
    expect(front).toMatchObject({ isFile: true, filename: 'front.jpg', mimeType: 'image/jpeg' });
    expect(Buffer.compare(front!.data, Buffer.from(ALL_BYTES))).toBe(0);
    expect(backPart).toMatchObject({ isFile: true, filename: 'passport-back.bin', mimeType: 'image/png' });
    expect(Buffer.compare(backPart!.data, Buffer.from(big))).toBe(0);
    expect(resp).toMatchObject({ isFile: true, filename: 'resp.json', mimeType: 'application/json' });
    expect(Buffer.compare(resp!.data, Buffer.from(ALL_BYTES))).toBe(0);
  });

  it('the global-fetch transport sends the same bytes', async () => {
    const body = encodeMultipart(
      [
        { name: 'metadata', value: METADATA, contentType: 'application/json' },
        { name: 'selfie', value: new Blob([ALL_BYTES]), filename: 'we"ird.bin' },
      ],
      { boundary: 'same-bytes' },
    );
    await core(globalThis.fetch).request({ method: 'POST', path: '/b2b/verifications/u', body: { kind: 'multipart', value: body } });
    const rec = server.received.at(-1)!;
    expect(Buffer.compare(rec.body, Buffer.from(await body.bytes()))).toBe(0);
    const parts = await parseMultipart(rec.headers['content-type']!, rec.body);
    expect(parts[1]).toMatchObject({ name: 'selfie', filename: 'we%22ird.bin', isFile: true });
  });
});
