// Strict input over real sockets: text parts and JSON bodies must be well-formed UTF-8, JSON must
// not repeat a key at any depth, multipart parts must follow RFC 7578; each rejection names the part
// (or the key and its path), and a valid request is accepted right after each one.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStrictJson, type Sandbox, startSandbox } from '../src/index.js';
import { FILES, METADATA, PDF, validParts } from './fixtures.js';
import { type Part, type Reply, signedSend, submit, USER } from './helpers.js';
import { MALFORMED_UTF8, withMark } from './utf8-cases.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox.close());

const URL_PATH = `/b2b/verifications/${USER}/url`;
const invalid = (...details: string[]) => ({ error: details.map((d) => `EGeneral:Invalid arguments:${d}`) });

/** A valid submission is accepted (and recorded) right after a rejected one. */
async function expectStillAccepting() {
  const before = sandbox.submissions().length;
  const ok = await submit(sandbox, validParts('selfie'));
  expect(ok.status, ok.text).toBe(200);
  expect(sandbox.submissions()).toHaveLength(before + 1);
}

async function expectRejected(reply: Reply, ...details: string[]) {
  expect(reply.status, reply.text).toBe(400);
  expect(reply.json).toEqual(invalid(...details));
  await expectStillAccepting();
}

const selfieWith = (metadata: Buffer | string, contentType: string | undefined = 'application/json'): Part[] => [
  { name: 'type', value: 'selfie' },
  contentType === undefined ? { name: 'metadata', value: metadata } : { name: 'metadata', value: metadata, contentType },
  ...FILES.selfie,
];

const sendUrlBody = (body: Buffer, contentType = 'application/json') => signedSend(sandbox, { path: URL_PATH, body, contentType });
const validUrlBody = { type: 'selfie', metadata: METADATA.selfie, selfie_url: 'https://files.example/selfie.jpg' };

describe('text that is not well-formed UTF-8', () => {
  for (const [kind, samples] of Object.entries(MALFORMED_UTF8)) {
    it(`rejects a ${kind} in metadata (JSON part and plain text field), in type, and in the JSON route`, async () => {
      for (const bad of samples) {
        // Inside a JSON string of metadata, sent as an application/json part.
        const inString = withMark(JSON.stringify({ ...METADATA.selfie, external_verification_id: 'MARK' }), bad);
        await expectRejected(await submit(sandbox, selfieWith(inString)), 'metadata is not valid UTF-8');
        // The same as a plain text field (Kraken's curl example), and as a key.
        await expectRejected(await submit(sandbox, selfieWith(inString, undefined)), 'metadata is not valid UTF-8');
        const inKey = withMark(JSON.stringify({ MARK: 1, ...METADATA.selfie }), bad);
        await expectRejected(await submit(sandbox, selfieWith(inKey)), 'metadata is not valid UTF-8');
        // In the type field.
        const type = withMark('selfieMARK', bad);
        await expectRejected(await submit(sandbox, [{ name: 'type', value: type }, ...validParts('selfie').slice(1)]), 'type is not valid UTF-8');
        // In the JSON route's body: a metadata string, and the type.
        const urlBody = JSON.stringify({ ...validUrlBody, metadata: { ...METADATA.selfie, verifier: 'MARK' } });
        await expectRejected(await sendUrlBody(withMark(urlBody, bad)), 'the body is not valid UTF-8');
        await expectRejected(await sendUrlBody(withMark(JSON.stringify({ ...validUrlBody, type: 'selfieMARK' }), bad)), 'the body is not valid UTF-8');
      }
    });
  }

  it('accepts well-formed UTF-8 in every length, including the edges of the ranges', async () => {
    const text = 'é € 😀 \u{10FFFF} \u{FFFD} \u0080 \u07FF \u0800 \uD7FF \uE000';
    const reply = await submit(sandbox, selfieWith(JSON.stringify({ ...METADATA.selfie, external_verification_id: text })));
    expect(reply.status, reply.text).toBe(200);
    expect(sandbox.submissions().at(-1)?.metadata).toEqual({ ...METADATA.selfie, external_verification_id: text });
    const url = await sendUrlBody(Buffer.from(JSON.stringify({ ...validUrlBody, metadata: { ...METADATA.selfie, verifier: text } })));
    expect(url.status, url.text).toBe(200);
  });

  it('rejects a byte order mark, a non-UTF-8 charset, and lone surrogate escapes', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(METADATA.selfie))]);
    await expectRejected(await submit(sandbox, selfieWith(bom)), 'metadata is not valid JSON');
    await expectRejected(await sendUrlBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(validUrlBody))])), 'the body is not valid JSON');
    await expectRejected(
      await submit(sandbox, selfieWith(JSON.stringify(METADATA.selfie), 'application/json; charset=iso-8859-1')),
      'metadata must be UTF-8 text (got charset "iso-8859-1")',
    );
    await expectRejected(
      await sendUrlBody(Buffer.from(JSON.stringify(validUrlBody)), 'application/json; charset=latin1'),
      'the body must be UTF-8 (Content-Type has charset "latin1")',
    );
    const lone = JSON.stringify({ ...METADATA.selfie, external_verification_id: 'a' }).replace('"a"', '"\\ud800x"');
    await expectRejected(await submit(sandbox, selfieWith(lone)), 'metadata.external_verification_id has an unpaired surrogate escape');
    // A pair written as two escapes is one character, and fine.
    const pair = JSON.stringify({ ...METADATA.selfie, external_verification_id: 'a' }).replace('"a"', '"\\ud83d\\ude00"');
    expect((await submit(sandbox, selfieWith(pair))).status).toBe(200);
    expect(sandbox.submissions().at(-1)?.metadata).toMatchObject({ external_verification_id: '😀' });
    // The charset parameter may say UTF-8, in any spelling.
    expect((await submit(sandbox, selfieWith(JSON.stringify(METADATA.selfie), 'application/json; charset="UTF-8"'))).status).toBe(200);
  });
});

describe('duplicate JSON keys', () => {
  const identity = METADATA.identity_document;
  const identityParts = (metadata: string): Part[] => [
    { name: 'type', value: 'identity_document' },
    { name: 'metadata', value: metadata, contentType: 'application/json' },
    ...FILES.identity_document,
  ];

  it('rejects a repeated key at the top of metadata, naming it', async () => {
    const text = JSON.stringify(identity).replace('{', '{"document_type":"id_card",');
    await expectRejected(await submit(sandbox, identityParts(text)), 'metadata has duplicate key "document_type"');
  });

  it('rejects a repeated key at any depth, naming the key and its path', async () => {
    const nested = JSON.stringify(identity).replace('"first_name":"John"', '"first_name":"John","first_name":"Jane"');
    await expectRejected(await submit(sandbox, identityParts(nested)), 'metadata.identity.full_name has duplicate key "first_name"');
    const inArray = JSON.stringify({ ...identity, verifier_response: { checks: [{ id: 1 }, { id: 2 }] } }).replace('{"id":2}', '{"id":2,"id":3}');
    await expectRejected(await submit(sandbox, identityParts(inArray)), 'metadata.verifier_response.checks[1] has duplicate key "id"');
    const watch = JSON.stringify(METADATA.watchlists).replace('"status":"Cleared"', '"status":"Cleared","status":"Matched"');
    await expectRejected(
      await submit(sandbox, [{ name: 'type', value: 'watchlists' }, { name: 'metadata', value: watch }]),
      'metadata.sanctions has duplicate key "status"',
    );
  });

  it('compares keys after unescaping, and allows the same key in different objects', async () => {
    const escaped = JSON.stringify(identity).replace('{', '{"\\u0076erifier":"other",');
    await expectRejected(await submit(sandbox, identityParts(escaped)), 'metadata has duplicate key "verifier"');
    const sameKeyElsewhere = JSON.stringify({ ...identity, verifier_response: { verifier: 'x', a: { verifier: 'y' } } });
    const ok = await submit(sandbox, identityParts(sameKeyElsewhere));
    expect(ok.status, ok.text).toBe(200);
  });

  it('rejects repeated keys in the JSON route, at the top and below', async () => {
    const top = JSON.stringify(validUrlBody).replace('{', '{"type":"selfie",');
    await expectRejected(await sendUrlBody(Buffer.from(top)), 'the body has duplicate key "type"');
    const below = JSON.stringify(validUrlBody).replace('"selfie_type":"selfie"', '"selfie_type":"selfie","selfie_type":"selfie"');
    await expectRejected(await sendUrlBody(Buffer.from(below)), 'metadata has duplicate key "selfie_type"');
  });
});

describe('multipart structure (RFC 7578)', () => {
  const raw = (body: string, boundary = 'b0undary') =>
    signedSend(sandbox, { path: `/b2b/verifications/${USER}`, body: Buffer.from(body, 'latin1'), contentType: `multipart/form-data; boundary=${boundary}` });
  const metadata = JSON.stringify(METADATA.selfie);
  const selfiePart = '--b0undary\r\nContent-Disposition: form-data; name="selfie"; filename="s.jpg"\r\nContent-Type: image/jpeg\r\n\r\nJPEG\r\n';
  const typePart = '--b0undary\r\nContent-Disposition: form-data; name="type"\r\n\r\nselfie\r\n';
  const metadataPart = `--b0undary\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${metadata}\r\n`;

  it('accepts a hand-written form, with a preamble, transport padding and an epilogue', async () => {
    const ok = await raw(`preamble\r\n${typePart}${metadataPart.replace('--b0undary\r\n', '--b0undary  \t\r\n')}${selfiePart}--b0undary--\r\nepilogue`);
    expect(ok.status, ok.text).toBe(200);
  });

  it('rejects what RFC 7578 forbids instead of skipping it', async () => {
    await expectRejected(await raw(`${typePart}--b0undary\r\nContent-Type: application/json\r\n\r\n${metadata}\r\n${selfiePart}--b0undary--\r\n`), 'malformed multipart body (a part has no Content-Disposition header)');
    await expectRejected(
      await raw(`${typePart}--b0undary\r\nContent-Disposition: attachment; name="metadata"\r\n\r\n${metadata}\r\n${selfiePart}--b0undary--\r\n`),
      'malformed multipart body (a part\'s Content-Disposition must be "form-data")',
    );
    await expectRejected(
      await raw(`${typePart}--b0undary\r\nContent-Disposition: form-data\r\n\r\n${metadata}\r\n${selfiePart}--b0undary--\r\n`),
      "malformed multipart body (a part's Content-Disposition has no name parameter)",
    );
    await expectRejected(
      await raw(`${typePart}${metadataPart}--b0undary\r\nContent-Disposition: form-data; name="selfie"; filename*=UTF-8''s.jpg\r\n\r\nJPEG\r\n--b0undary--\r\n`),
      'part "selfie": the filename* parameter is not allowed in multipart/form-data (RFC 7578 4.2)',
    );
    await expectRejected(
      await raw(`${typePart}${metadataPart}--b0undary\r\nContent-Disposition: form-data; name="selfie"; filename="s.jpg"\r\nContent-Transfer-Encoding: base64\r\n\r\nSlBFRw==\r\n--b0undary--\r\n`),
      'part "selfie": Content-Transfer-Encoding "base64" is not supported (RFC 7578 4.7)',
    );
    await expectRejected(
      await raw(`${typePart}--b0undary\r\nContent-Disposition: form-data; name="metadata"; name="type"\r\n\r\n${metadata}\r\n${selfiePart}--b0undary--\r\n`),
      'malformed multipart body (bad Content-Disposition: parameter name is repeated)',
    );
    await expectRejected(
      await raw(`${typePart}--b0undary\r\nContent-Disposition: form-data;\r\n name="metadata"\r\n\r\n${metadata}\r\n${selfiePart}--b0undary--\r\n`),
      'malformed multipart body (folded part header lines are not allowed)',
    );
    await expectRejected(await raw(`${typePart}${metadataPart}${selfiePart}`), 'malformed multipart body (Unexpected end of form)');
    await expectRejected(await raw(`${typePart}${metadataPart}${selfiePart}--b0undaryX\r\n`), 'malformed multipart body (a boundary delimiter must end its line)');
  });

  it('rejects a part name that is not UTF-8', async () => {
    await expectRejected(
      await raw(`${typePart}${metadataPart}${selfiePart}--b0undary\r\nContent-Disposition: form-data; name="x\xff"\r\n\r\nv\r\n--b0undary--\r\n`),
      'a part name is not valid UTF-8',
    );
  });
});

describe('the tax-ID document file part', () => {
  const taxParts = (files: Part[]): Part[] => [...validParts('tax_id_document').slice(0, 2), ...files];
  const pdf = (name: string): Part => ({ name, value: PDF, filename: 'tax.pdf', contentType: 'application/pdf' });

  it('accepts it as tax_id (the spec) or as document (the other candidate), and records the name used', async () => {
    for (const name of ['tax_id', 'document']) {
      const reply = await submit(sandbox, taxParts([pdf(name)]));
      expect(reply.status, reply.text).toBe(200);
      expect(sandbox.submissions().at(-1)?.files.map((f) => f.part)).toEqual([name]);
    }
  });

  it('rejects both at once, naming them', async () => {
    await expectRejected(
      await submit(sandbox, taxParts([pdf('tax_id'), pdf('document')])),
      'tax_id and document must not both be sent: they are two names for the file of a tax_id_document (send one of them)',
    );
    const neither = await submit(sandbox, taxParts([]));
    expect(neither.json).toEqual(invalid('tax_id is required'));
  });
});

describe('parseStrictJson', () => {
  it('agrees with JSON.parse on any JSON without repeated keys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const parsed = parseStrictJson(text, 'm');
        expect(parsed).toEqual({ ok: true, value: JSON.parse(text) });
        // Pretty-printed too.
        expect(parseStrictJson(JSON.stringify(value, null, 2), 'm').ok).toBe(true);
      }),
      { numRuns: 500, seed: 20250415 },
    );
  });

  it('finds a repeated key wherever it is put', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ minLength: 1, maxLength: 8 }), (value, key) => {
        const text = JSON.stringify({ wrap: [value, { [key]: 1 }] }).replace(`${JSON.stringify(key)}:1`, `${JSON.stringify(key)}:1,${JSON.stringify(key)}:2`);
        const parsed = parseStrictJson(text, 'm');
        expect(parsed).toEqual({ ok: false, problem: `m.wrap[1] has duplicate key ${JSON.stringify(key)}` });
      }),
      { numRuns: 300, seed: 20250416 },
    );
  });

  it('names the whole body when the root is empty', () => {
    expect(parseStrictJson('{"a":1,"a":1}', '')).toEqual({ ok: false, problem: 'the body has duplicate key "a"' });
    expect(parseStrictJson('{"a":', '')).toEqual({ ok: false, problem: 'the body is not valid JSON' });
    expect(parseStrictJson('[{"a":{"b":[0,{"c":1,"c":2}]}}]', '')).toEqual({ ok: false, problem: '[0].a.b[1] has duplicate key "c"' });
  });
});
