/**
 * The generated client (committed 2025-04-15 sources) on the real runtime, with a fake transport:
 * validation before any I/O, the multipart body in the spec's part order and encoding, the
 * version and auth headers (the signature checked with independent node:crypto code), typed
 * results and typed errors.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createEmbedClient,
  EmbedApiError,
  EmbedValidationError,
  signatureScheme,
  VERSION_HEADER,
} from '../../../packages/2025-04-15/client/src/index.js';

const SECRET = Buffer.from('embedkit test secret, not a real one').toString('base64');
const USER = 'AA95N84GTESTXXXX';
const metadata = {
  verifier: 'example_kyc_provider',
  verified_at: '2024-04-15T10:00:00Z',
  identity: { full_name: { first_name: 'John', last_name: 'Doe' }, date_of_birth: '1990-01-15' },
  document_type: 'passport' as const,
  document_number: 'P123456789',
  issuing_country: 'US' as const,
};

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** A transport that records requests and answers with the given responses in turn. */
function fakeFetch(...responses: (() => Response)[]) {
  const seen: Seen[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    seen.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: Buffer.from(await request.arrayBuffer()),
    });
    const next = responses[Math.min(seen.length - 1, responses.length - 1)];
    return next!();
  };
  return { fetch, seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** API-Sign recomputed with node:crypto, independently of the runtime. */
function expectedSign(pathWithQuery: string, nonce: string, body: Buffer): string {
  const digest = createHash('sha256').update(nonce).update(body).digest();
  return createHmac('sha512', Buffer.from(SECRET, 'base64')).update(Buffer.concat([Buffer.from(pathWithQuery), digest])).digest('base64');
}

/** Splits a multipart body into its parts' headers and bodies. */
function parts(body: Buffer, contentType: string) {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)![1]!;
  const text = body.toString('latin1');
  return text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => {
      const [head, ...rest] = chunk.slice(2, -2).split('\r\n\r\n');
      return { headers: head!.split('\r\n'), body: rest.join('\r\n\r\n') };
    });
}

describe('generated client', () => {
  it('submits a verification: multipart parts in spec order, headers, signature, typed result', async () => {
    const { fetch, seen } = fakeFetch(json(200, { result: { verification_id: 'ver-1' } }));
    const client = createEmbedClient({ apiKey: 'key-1', apiSecret: SECRET, fetch });
    const front = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'passport.jpg', { type: 'image/jpeg' });
    const result = await client.verifications.submit(USER, { type: 'identity_document', metadata, files: { front, back: new Uint8Array([1, 2, 3]) } });
    expect(result).toEqual({ verification_id: 'ver-1' });

    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`https://nexus.kraken.com/b2b/verifications/${USER}`);
    expect(request.headers[VERSION_HEADER.name.toLowerCase()]).toBe('2025-04-15');
    expect(request.headers['api-key']).toBe('key-1');
    expect(request.headers['api-nonce']).toMatch(/^\d+$/);
    expect(request.headers['api-sign']).toBe(expectedSign(`/b2b/verifications/${USER}`, request.headers['api-nonce']!, request.body));

    const got = parts(request.body, request.headers['content-type']!);
    expect(got.map((p) => p.headers)).toEqual([
      ['Content-Disposition: form-data; name="type"'],
      ['Content-Disposition: form-data; name="metadata"', 'Content-Type: application/json'],
      ['Content-Disposition: form-data; name="front"; filename="passport.jpg"', 'Content-Type: image/jpeg'],
      ['Content-Disposition: form-data; name="back"; filename="back"', 'Content-Type: application/octet-stream'],
    ]);
    expect(got[0]!.body).toBe('identity_document');
    expect(JSON.parse(got[1]!.body)).toEqual(metadata);
    expect(Buffer.from(got[2]!.body, 'latin1')).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('rejects an invalid request before any I/O, listing every issue', async () => {
    const { fetch, seen } = fakeFetch(json(200, { result: { verification_id: 'x' } }));
    const client = createEmbedClient({ apiKey: 'key-1', apiSecret: SECRET, fetch });
    const error = await client.verifications
      .submit('short', { type: 'selfie', metadata: { ...metadata, selfie_type: 'selfie' } as never, files: {} as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedValidationError);
    expect((error as EmbedValidationError).issues.map((i) => `${i.path} ${i.rule}`)).toEqual([
      'user minLength',
      'metadata.identity additionalProperties',
      'metadata.document_type additionalProperties',
      'metadata.document_number additionalProperties',
      'metadata.issuing_country additionalProperties',
      'files.selfie required',
    ]);
    expect((error as Error).message).toContain('- files.selfie: is required (required)');
    expect(seen).toHaveLength(0);
  });

  it('validates the response', async () => {
    const { fetch } = fakeFetch(json(200, { result: { verification_id: '' } }));
    const client = createEmbedClient({ apiKey: 'key-1', apiSecret: SECRET, fetch });
    const error = await client.verifications.submit(USER, { type: 'identity_document', metadata, files: { front: new Uint8Array([1]) } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedValidationError);
    expect((error as EmbedValidationError).issues).toEqual([{ path: 'result.verification_id', rule: 'minLength', message: 'must not be empty' }]);
    expect((error as Error).message).toMatch(/^Invalid response body/);
  });

  it('can skip validation', async () => {
    const { fetch, seen } = fakeFetch(json(200, { result: { verification_id: '' } }));
    const client = createEmbedClient({ apiKey: 'key-1', apiSecret: SECRET, fetch, validate: false });
    expect(await client.users.get(USER)).toEqual({ verification_id: '' });
    expect(seen).toHaveLength(1);
  });

  it('maps API errors to EmbedApiError with the Kraken error strings parsed', async () => {
    const { fetch } = fakeFetch(json(403, { error: ['EAPI:User Locked'] }, { 'x-request-id': 'req-9' }));
    const client = createEmbedClient({ apiKey: 'key-1', apiSecret: SECRET, fetch });
    const error = await client.users.get(USER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbedApiError);
    expect(error).toMatchObject({ status: 403, requestId: 'req-9', errors: [{ category: 'EAPI', message: 'User Locked' }] });
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it('gets a user and submits from URLs as JSON, each signed with a fresh nonce', async () => {
    const user = {
      user: USER,
      status: { state: 'ok', required_actions: [{ action_type: 'verification', verification_type: 'identity', reasons: ['initial_onboarding'] }] },
    };
    const { fetch, seen } = fakeFetch(json(200, { result: user }), json(200, { result: { verification_id: 'ver-2' } }));
    const client = createEmbedClient({ apiKey: 'key-1', apiSecret: SECRET, fetch, baseUrl: 'http://127.0.0.1:9/prefix' });
    expect(await client.users.get(USER)).toEqual(user);
    const body = { type: 'selfie' as const, metadata: { verifier: 'v', verified_at: '2024-04-15T10:00:00Z', selfie_type: 'selfie' as const }, selfie_url: 'https://files.partner.example/s.jpg' };
    expect(await client.verifications.submitFromUrls(USER, body)).toEqual({ verification_id: 'ver-2' });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([`GET http://127.0.0.1:9/prefix/b2b/users/${USER}`, `POST http://127.0.0.1:9/prefix/b2b/verifications/${USER}/url`]);
    expect(seen[0]!.body.length).toBe(0);
    expect(seen[1]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[1]!.body.toString())).toEqual(body);
    expect(seen[1]!.headers['api-sign']).toBe(expectedSign(`/prefix/b2b/verifications/${USER}/url`, seen[1]!.headers['api-nonce']!, seen[1]!.body));
    expect(BigInt(seen[1]!.headers['api-nonce']!)).toBeGreaterThan(BigInt(seen[0]!.headers['api-nonce']!));
  });

  it('binds the spec signature scheme', () => {
    expect(signatureScheme).toEqual({
      keyHeader: 'API-Key',
      nonceHeader: 'API-Nonce',
      signHeader: 'API-Sign',
      secretEncoding: 'base64',
      hmac: 'SHA-512',
      bodyHash: 'SHA-256',
      signedPath: 'path-with-query',
    });
    expect(Object.isFrozen(signatureScheme)).toBe(true);
  });
});
