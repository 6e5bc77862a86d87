// Contract test through an independent path: the exact requests the generated client sends for
// all five verification types are captured on 127.0.0.1 and validated by Prism 5.14.2, an OpenAPI
// request validator nobody here wrote, against the spec.
//
// Prism's known limitation: it rejects a JSON-object part inside multipart/form-data even when it
// is valid. Prism therefore validates a copy of the spec derived in a temp dir (see
// `deriveSpecForPrism`), where the `metadata` part is a string with `contentMediaType:
// application/json` and `contentSchema`. With that copy Prism checks the form's structure (type,
// required and allowed parts) but NOT the fields inside `metadata`: a test below shows it. Those
// fields are covered separately by replaying the same bytes to @embedkit/sandbox, whose Ajv
// validators are compiled from the original spec.
import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createEmbedClient, type SubmitVerificationInput } from '@embedkit/client-2025-04-15';
import { type Sandbox, startSandbox } from '@embedkit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSubmissions, SAMPLES_DIR } from '../src/submissions.js';
import {
  boundaryOf,
  type CapturedRequest,
  deriveSpecForPrism,
  joinParts,
  replay,
  splitParts,
  startCaptureServer,
  startPrism,
} from './contract-tools.js';

const SPEC = fileURLToPath(new URL('../../../spec/2025-04-15/openapi.yaml', import.meta.url));
const USER = 'AA95N84GCONTRACT01';
const API_KEY = 'contract-test-key';
const API_SECRET = Buffer.alloc(64, 42).toString('base64');

let submissions: SubmitVerificationInput[];
let captured: CapturedRequest[];
let prism: Awaited<ReturnType<typeof startPrism>>;
let derived: Awaited<ReturnType<typeof deriveSpecForPrism>>;

beforeAll(async () => {
  const capture = await startCaptureServer();
  try {
    const client = createEmbedClient({ apiKey: API_KEY, apiSecret: API_SECRET, baseUrl: capture.url });
    submissions = await buildSubmissions();
    for (const submission of submissions) await client.verifications.submit(USER, submission);
  } finally {
    await capture.close();
  }
  captured = capture.requests;
  derived = await deriveSpecForPrism(SPEC);
  prism = await startPrism(derived.path);
});

afterAll(async () => {
  await prism?.close();
  await derived?.cleanup();
});

const byType = (type: string) => captured[submissions.findIndex((s) => s.type === type)]!;

/** API-Sign computed here with node:crypto, independent of the runtime and of the sandbox. */
function resign(request: CapturedRequest, body: Buffer, nonce: string): CapturedRequest {
  const digest = createHash('sha256').update(nonce).update(body).digest();
  const signature = createHmac('sha512', Buffer.from(API_SECRET, 'base64')).update(request.target).update(digest).digest('base64');
  return { ...request, body, headers: { ...request.headers, 'api-nonce': nonce, 'api-sign': signature } };
}

/** The identity_document request with its metadata's date of birth replaced by a non-date. */
function withBadDateOfBirth(): Buffer {
  const request = byType('identity_document');
  const boundary = boundaryOf(request);
  const parts = splitParts(request.body, boundary).map((part) => {
    if (part.name !== 'metadata') return part;
    const metadata = JSON.parse(part.content.toString('utf8'));
    metadata.identity.date_of_birth = '15/01/1990';
    return { ...part, content: Buffer.from(JSON.stringify(metadata)) };
  });
  return joinParts(parts, boundary);
}

describe('the requests the client sends', () => {
  it('are five signed multipart POSTs, with a JSON metadata part and no filename on it', () => {
    expect(captured.map((r) => `${r.method} ${r.target}`)).toEqual(Array(5).fill(`POST /b2b/verifications/${USER}`));
    for (const request of captured) {
      expect(request.headers['content-type']).toMatch(/^multipart\/form-data; ?boundary=/);
      expect(request.headers['api-key']).toBe(API_KEY);
      expect(request.headers['api-nonce']).toMatch(/^\d{1,20}$/);
      expect(request.headers['api-sign']).toMatch(/^[A-Za-z0-9+/]{86}==$/);
      expect(request.headers['payward-version']).toBe('2025-04-15');
      const metadata = splitParts(request.body, boundaryOf(request)).find((p) => p.name === 'metadata')!;
      expect(metadata.headers).toMatch(/content-type: application\/json/i);
      expect(metadata.headers).not.toMatch(/filename/i);
    }
    expect(captured.map((r) => splitParts(r.body, boundaryOf(r)).find((p) => p.name === 'type')!.content.toString())).toEqual(
      submissions.map((s) => s.type),
    );
  });
});

describe(`Prism (validating mock) against the spec`, () => {
  it('is @stoplight/prism-cli 5.14.2, given a derived copy where only the JSON part changed', () => {
    expect(prism.version).toBe('5.14.2');
    expect(derived.jsonParts).toEqual(['metadata']);
  });

  it.each(['identity_document', 'residence_document', 'tax_id_document', 'selfie', 'watchlists'])('accepts the %s request as sent', async (type) => {
    const reply = await replay(prism.url, byType(type));
    expect(reply.headers['sl-violations'], String(reply.headers['sl-violations'])).toBeUndefined();
    expect(reply.status).toBe(200);
  });

  it('rejects a request missing its required file part (so this test can fail)', async () => {
    const request = byType('identity_document');
    const boundary = boundaryOf(request);
    const body = joinParts(
      splitParts(request.body, boundary).filter((p) => p.name !== 'front'),
      boundary,
    );
    const reply = await replay(prism.url, request, { body });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(String(reply.headers['sl-violations'])).toContain("required property 'front'");
  });

  it('rejects a request missing its metadata part, or with a part the type does not allow', async () => {
    const request = byType('selfie');
    const boundary = boundaryOf(request);
    const parts = splitParts(request.body, boundary);
    const noMetadata = await replay(prism.url, request, { body: joinParts(parts.filter((p) => p.name !== 'metadata'), boundary) });
    expect(noMetadata.status).toBe(400);
    expect(String(noMetadata.headers['sl-violations'])).toContain("required property 'metadata'");
    const extra = { headers: 'Content-Disposition: form-data; name="back"; filename="back.png"\r\nContent-Type: image/png', content: Buffer.from('png') };
    const withBack = await replay(prism.url, request, { body: joinParts([...parts, extra], boundary) });
    expect(withBack.status).toBe(400);
    expect(String(withBack.headers['sl-violations'])).toContain("additional properties; found 'back'");
  });

  it('does NOT validate the fields inside metadata (the documented limitation of the derived spec)', async () => {
    const reply = await replay(prism.url, byType('identity_document'), { body: withBadDateOfBirth() });
    expect(reply.status).toBe(200);
  });
});

describe('the sandbox (Ajv compiled from the original spec) covers the metadata fields', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ apiKey: API_KEY, apiSecret: API_SECRET });
  });
  afterAll(() => sandbox.close());

  it('accepts the five captured requests byte for byte (signature, nonce, metadata and files)', async () => {
    for (const request of captured) {
      const reply = await replay(sandbox.url, request);
      expect(reply.status, reply.text).toBe(200);
    }
    expect(sandbox.submissions().map((s) => s.type)).toEqual(submissions.map((s) => s.type));
    expect(sandbox.submissions().map((s) => s.metadata)).toEqual(submissions.map((s) => s.metadata));
    const front = sandbox.submissions()[0]!.files.find((f) => f.part === 'front')!;
    const bytes = await readFile(`${SAMPLES_DIR}id-front.jpg`);
    expect(front).toMatchObject({ filename: 'id-front.jpg', contentType: 'image/jpeg', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  });

  it('rejects the metadata Prism let through, naming the field', async () => {
    const last = BigInt(String(captured.at(-1)!.headers['api-nonce']));
    const request = resign(byType('identity_document'), withBadDateOfBirth(), String(last + 1n));
    const reply = await replay(sandbox.url, request);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toEqual({ error: ['EGeneral:Invalid arguments:metadata.identity.date_of_birth must match format "date"'] });
  });
});
