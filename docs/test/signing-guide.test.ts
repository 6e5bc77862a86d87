// The signing guide states test vectors and intermediate values. Compiling its code is not enough
// to keep them true, so each stated value is recomputed here (with node:crypto, independently of
// the runtime, and with the runtime's own signer) and must appear verbatim in the guide.
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeApiSign, encodeMultipart } from '@embedkit/runtime';
import { describe, expect, test } from 'vitest';
import { docsRoot } from '../scripts/packages.mjs';

const guide = readFileSync(join(docsRoot, 'guides/signing.md'), 'utf8');
const SECRET = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';

interface Vector {
  name: string;
  path: string;
  nonce: string;
  body: string;
  /** The published or previously computed signature the guide quotes. */
  expected: string;
  /** Whether the guide walks through the intermediate steps of this vector. */
  stepByStep: boolean;
}

const VECTORS: Vector[] = [
  {
    name: "Kraken's official Spot vector",
    path: '/0/private/AddOrder',
    nonce: '1616492376594',
    body: 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25',
    expected: '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==',
    stepByStep: true,
  },
  {
    name: 'Embed POST with JSON',
    path: '/b2b/subaccounts',
    nonce: '1700000000000000001',
    body: '{"external_id":"partner-user-12345"}',
    expected: 'SwPTcQKpxDwrDSRzi8bRqQLnoFJeJ97MyBouFQcFWgbQ0ud6D3BeeHjJfvD3iz1iUiC9EQ/UE3c4fByRlQWALQ==',
    stepByStep: true,
  },
  {
    name: 'Embed GET',
    path: '/b2b/assets',
    nonce: '1700000000000000000',
    body: '',
    expected: 'kVjBKgyzF8j8D3A0EXY7jw0FtboJOd4YwRjdQOKnjocQ3YSICH99/ZDUpdj4qcZD3xIA7wUfcC4aNVBcvhBG+Q==',
    stepByStep: false,
  },
  {
    name: 'Embed GET with a query',
    path: '/b2b/quotes?user=abc',
    nonce: '1700000000000000000',
    body: '',
    expected: 'sAWRopP53V3Prt8AriC7Qehe1hq/W0ii/9HglMmnZhgkI4Tx3DM37yQgs/3yTYTl0QJzUQ5ELMAfm86EwGvarQ==',
    stepByStep: false,
  },
];

function steps(vector: Vector) {
  const digest = createHash('sha256').update(vector.nonce, 'utf8').update(vector.body, 'utf8').digest();
  const path = Buffer.from(vector.path, 'utf8');
  const key = Buffer.from(SECRET, 'base64');
  const mac = createHmac('sha512', key).update(Buffer.concat([path, digest])).digest();
  return { digest, path, key, mac, sign: mac.toString('base64') };
}

describe('the signing guide states true values', () => {
  test.each(VECTORS)('$name', async (vector) => {
    const s = steps(vector);
    expect(s.sign).toBe(vector.expected);
    expect(await computeApiSign(SECRET, vector.path, vector.nonce, vector.body === '' ? undefined : new TextEncoder().encode(vector.body))).toBe(vector.expected);
    expect(guide).toContain(vector.expected);
    if (vector.stepByStep) {
      expect(guide).toContain(`\`${vector.nonce}${vector.body}\``); // the hashed text
      expect(guide).toContain(s.digest.toString('hex'));
      expect(guide).toContain(s.path.toString('hex'));
      expect(guide).toContain(`the ${s.path.length} bytes of \`${vector.path}\``);
      expect(guide).toContain(`${s.path.length + 32} bytes in all`);
      expect(guide).toContain(s.mac.toString('hex'));
      expect(guide).toContain(`${s.key.length} bytes, starting \`${s.key.subarray(0, 8).toString('hex')}\``);
    }
  });

  test('the multipart example: its bytes, size and signature', async () => {
    const metadata = { verifier: 'example_kyc_provider', verified_at: '2024-04-15T10:05:00Z', selfie_type: 'selfie' };
    const body = encodeMultipart(
      [
        { name: 'type', value: 'selfie' },
        { name: 'metadata', value: JSON.stringify(metadata), contentType: 'application/json' },
        { name: 'selfie', value: new File([new TextEncoder().encode('<JPEG bytes>')], 'selfie.jpg', { type: 'image/jpeg' }) },
      ],
      { boundary: 'embedkit-guide-boundary' },
    );
    const text = new TextDecoder().decode(await body.bytes());
    const shown = /<!-- embedkit:multipart-bytes -->\n```text\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(shown, 'the guide shows the multipart bytes after <!-- embedkit:multipart-bytes -->').toBeDefined();
    expect(shown?.replaceAll('\n', '\r\n')).toBe(text);
    expect(guide).toContain(`console.log(body.contentLength); // ${body.contentLength}`);
    expect(guide).toContain(`The ${body.contentLength} bytes that are hashed and sent`);
    const signature = await computeApiSign(SECRET, '/b2b/verifications/AA95N84GTESTXXXX', 1700000000000000002n, body);
    expect(guide).toContain(`// ${signature}`);
    // Independently: the same bytes through node:crypto.
    const digest = createHash('sha256').update('1700000000000000002').update(text, 'utf8').digest();
    const mac = createHmac('sha512', Buffer.from(SECRET, 'base64'))
      .update(Buffer.concat([Buffer.from('/b2b/verifications/AA95N84GTESTXXXX'), digest]))
      .digest('base64');
    expect(mac).toBe(signature);
  });
});
