// The sandbox's verifier against the signing vectors of the reference
// (../shared/reference/kraken-embed-api.md, section 2.3), plus the nonce rules.
import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  createBodyHash,
  MAX_NONCE,
  NonceTracker,
  parseNonce,
  signatureFromBodyDigest,
  signatureMatches,
  verifySignature,
} from '../src/index.js';

const SECRET = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';

const VECTORS = [
  {
    name: 'official Spot REST example (same primitive)',
    pathWithQuery: '/0/private/AddOrder',
    nonce: '1616492376594',
    body: 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25',
    signature: '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==',
  },
  {
    name: 'GET without body (computed, not official)',
    pathWithQuery: '/b2b/assets',
    nonce: '1700000000000000000',
    body: '',
    signature: 'kVjBKgyzF8j8D3A0EXY7jw0FtboJOd4YwRjdQOKnjocQ3YSICH99/ZDUpdj4qcZD3xIA7wUfcC4aNVBcvhBG+Q==',
  },
  {
    name: 'GET with query (computed, not official)',
    pathWithQuery: '/b2b/quotes?user=abc',
    nonce: '1700000000000000000',
    body: '',
    signature: 'sAWRopP53V3Prt8AriC7Qehe1hq/W0ii/9HglMmnZhgkI4Tx3DM37yQgs/3yTYTl0QJzUQ5ELMAfm86EwGvarQ==',
  },
  {
    name: 'POST JSON (computed, not official)',
    pathWithQuery: '/b2b/subaccounts',
    nonce: '1700000000000000001',
    body: '{"external_id":"partner-user-12345"}',
    signature: 'SwPTcQKpxDwrDSRzi8bRqQLnoFJeJ97MyBouFQcFWgbQ0ud6D3BeeHjJfvD3iz1iUiC9EQ/UE3c4fByRlQWALQ==',
  },
];

describe('API-Sign verifier', () => {
  it.each(VECTORS)('$name', (vector) => {
    const input = { secret: SECRET, pathWithQuery: vector.pathWithQuery, nonce: vector.nonce, body: vector.body };
    expect(computeSignature(input)).toBe(vector.signature);
    expect(verifySignature({ ...input, signature: vector.signature })).toBe(true);
  });

  it('streams: hashing the body in chunks gives the same signature', () => {
    const vector = VECTORS[0]!;
    const hash = createBodyHash(vector.nonce);
    for (let i = 0; i < vector.body.length; i += 7) hash.update(vector.body.slice(i, i + 7));
    const raw = signatureFromBodyDigest(SECRET, vector.pathWithQuery, hash.digest());
    expect(raw.toString('base64')).toBe(vector.signature);
  });

  it.each([
    ['a different path', { pathWithQuery: '/b2b/quotes?user=abd' }],
    ['the query left out', { pathWithQuery: '/b2b/quotes' }],
    ['a different nonce', { nonce: '1700000000000000001' }],
    ['one more body byte', { body: ' ' }],
  ])('rejects %s', (_name, change) => {
    const vector = VECTORS[2]!;
    const input = { secret: SECRET, pathWithQuery: vector.pathWithQuery, nonce: vector.nonce, body: vector.body, ...change };
    expect(verifySignature({ ...input, signature: vector.signature })).toBe(false);
  });

  it('rejects malformed signatures without throwing (length guard)', () => {
    const expected = signatureFromBodyDigest(SECRET, '/x', createBodyHash('1').digest());
    expect(signatureMatches(expected.toString('base64'), expected)).toBe(true);
    for (const bad of ['', 'abc', '!!!!', expected.subarray(1).toString('base64'), Buffer.alloc(65).toString('base64'), `${expected.toString('base64')}=`]) {
      expect(signatureMatches(bad, expected)).toBe(false);
    }
    const flipped = Buffer.from(expected);
    flipped[10]! ^= 1;
    expect(signatureMatches(flipped.toString('base64'), expected)).toBe(false);
  });
});

describe('API-Nonce', () => {
  it('parses decimal unsigned 64-bit integers only', () => {
    expect(parseNonce('0')).toBe(0n);
    expect(parseNonce('1700000000000000000')).toBe(1700000000000000000n);
    expect(parseNonce(MAX_NONCE.toString())).toBe(MAX_NONCE);
    for (const bad of ['', '-1', '+1', '1.0', '1e3', ' 1', '0x10', (MAX_NONCE + 1n).toString(), '123456789012345678901', 'abc']) {
      expect(parseNonce(bad), bad).toBeUndefined();
    }
  });

  it('is strictly increasing per key without a window', () => {
    const tracker = new NonceTracker();
    expect(tracker.check('k', 10n)).toBe(true);
    tracker.accept('k', 10n);
    expect(tracker.check('k', 10n)).toBe(false);
    expect(tracker.check('k', 9n)).toBe(false);
    expect(tracker.check('k', 11n)).toBe(true);
    expect(tracker.check('other', 1n)).toBe(true);
  });

  it('accepts out-of-order nonces inside the window, each only once', () => {
    const tracker = new NonceTracker(5);
    tracker.accept('k', 100n);
    expect(tracker.check('k', 97n)).toBe(true);
    tracker.accept('k', 97n);
    expect(tracker.check('k', 97n)).toBe(false);
    expect(tracker.check('k', 100n)).toBe(false);
    expect(tracker.check('k', 95n)).toBe(true);
    expect(tracker.check('k', 94n)).toBe(false);
    tracker.accept('k', 200n);
    expect(tracker.check('k', 99n)).toBe(false);
    expect(tracker.check('k', 196n)).toBe(true);
    expect(tracker.highest('k')).toBe(200n);
  });
});
