/**
 * The signing emitter: the scheme constant comes from x-embed-signature, and the generated
 * functions reproduce the reference vectors through the runtime.
 */
import { describe, expect, it } from 'vitest';
import { createRequestSigner, signatureScheme, signRequest } from '../../../packages/2025-04-15/signing/src/index.js';
import { fileOf, generate } from '../helpers.js';

// Kraken's documented example key (Spot REST docs), reused by the reference Embed vectors.
const SECRET = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';

describe('emitSigning', () => {
  it('writes the scheme read from the spec', async () => {
    const code = fileOf(await generate('2025-04-15'), 'signing/src/index.ts');
    expect(code).toContain(
      [
        'export const signatureScheme = Object.freeze({',
        '  keyHeader: "API-Key",',
        '  nonceHeader: "API-Nonce",',
        '  signHeader: "API-Sign",',
        '  secretEncoding: "base64",',
        '  hmac: "SHA-512",',
        '  bodyHash: "SHA-256",',
        '  signedPath: "path-with-query",',
        '} as const satisfies SignatureScheme);',
      ].join('\n'),
    );
    expect(code).toContain("return createRuntimeSigningMiddleware({ ...options, scheme: signatureScheme });");
    expect(fileOf(await generate('2025-04-15'), 'signing/README.md')).toContain('| signature header | `API-Sign` |');
  });
});

describe('generated signing package', () => {
  it.each([
    ['/b2b/assets', 1700000000000000000n, undefined, 'kVjBKgyzF8j8D3A0EXY7jw0FtboJOd4YwRjdQOKnjocQ3YSICH99/ZDUpdj4qcZD3xIA7wUfcC4aNVBcvhBG+Q=='],
    ['/b2b/quotes?user=abc', 1700000000000000000n, undefined, 'sAWRopP53V3Prt8AriC7Qehe1hq/W0ii/9HglMmnZhgkI4Tx3DM37yQgs/3yTYTl0QJzUQ5ELMAfm86EwGvarQ=='],
    [
      '/b2b/subaccounts',
      1700000000000000001n,
      '{"external_id":"partner-user-12345"}',
      'SwPTcQKpxDwrDSRzi8bRqQLnoFJeJ97MyBouFQcFWgbQ0ud6D3BeeHjJfvD3iz1iUiC9EQ/UE3c4fByRlQWALQ==',
    ],
  ])('signRequest reproduces the reference vector for %s', async (pathWithQuery, nonce, body, sign) => {
    const headers = await signRequest({
      apiKey: 'key',
      apiSecret: SECRET,
      pathWithQuery,
      nonce,
      body: body === undefined ? null : new TextEncoder().encode(body),
    });
    expect(headers).toEqual({ 'API-Key': 'key', 'API-Nonce': String(nonce), 'API-Sign': sign });
  });

  it('signs with increasing nonces through a reusable signer', async () => {
    const signer = createRequestSigner({ apiKey: 'key', apiSecret: SECRET });
    expect(signer.scheme).toBe(signatureScheme);
    const a = await signer.sign({ pathWithQuery: '/b2b/assets' });
    const b = await signer.sign({ pathWithQuery: '/b2b/assets' });
    expect(Object.keys(a)).toEqual(['API-Key', 'API-Nonce', 'API-Sign']);
    expect(BigInt(b['API-Nonce']!)).toBeGreaterThan(BigInt(a['API-Nonce']!));
  });
});
