// One sandbox, two API versions, two generated clients: 2025-04-15 (the real version, its committed
// client) and the generator's test-only version 2099-01-01 (its fixture spec, served as an extra
// spec, and its golden client sources; see vitest.config.ts). Each request is validated, recorded
// and answered by the version its Payward-Version / Kraken-Version header names.
import { fileURLToPath } from 'node:url';
import { createEmbedClient, createNonceSource } from '@embedkit/client-2025-04-15';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, shippedSpecs, startSandbox } from '../src/index.js';
import { JPEG, METADATA, validParts } from './fixtures.js';
import { signedSend, submit, USER } from './helpers.js';

const FIXTURE_2099 = fileURLToPath(new URL('../../../generators/test/fixtures/2099-01-01/openapi.yaml', import.meta.url));

/** The part of the 2099-01-01 client this test uses (its own types live with the golden sources). */
interface Client2099 {
  verifications: {
    submit(user: string, input: { type: string; metadata: unknown; files?: Record<string, Blob> }): Promise<{ verification_id: string }>;
  };
  users: { get(user: string): Promise<{ user: string; status: { required_actions: Array<{ verification_type: string }> } }> };
}
type Create2099 = (options: { baseUrl: string; apiKey: string; apiSecret: string; nonces: ReturnType<typeof createNonceSource> }) => Client2099;

let sandbox: Sandbox;
let client2025: ReturnType<typeof createEmbedClient>;
let client2099: Client2099;
// One nonce sequence for both clients and the hand-signed requests: they share the sandbox's one API key.
const nonces = createNonceSource();
const nonce = () => String(nonces.next());

beforeAll(async () => {
  sandbox = await startSandbox({ extraSpecs: [FIXTURE_2099] });
  const credentials = { baseUrl: sandbox.url, apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret, nonces };
  client2025 = createEmbedClient(credentials);
  const specifier = '@embedkit/client-2099-01-01';
  const module2099 = (await import(/* @vite-ignore */ specifier)) as { createEmbedClient: Create2099 };
  client2099 = module2099.createEmbedClient(credentials);
});
afterAll(() => sandbox.close());

const front = () => new File([JPEG], 'front.jpg', { type: 'image/jpeg' });
const user = (n: number) => `AA95N84GVERS${String(n).padStart(4, '0')}`;

describe('every API version in one sandbox', () => {
  it('serves the shipped versions plus the extra spec, the latest by default', () => {
    expect(sandbox.apiVersions).toEqual([...shippedSpecs().keys(), '2099-01-01']);
    expect(sandbox.apiVersions).toContain('2025-04-15');
    expect(sandbox.apiVersion).toBe('2099-01-01');
  });

  it("answers each version's client by that version's spec, and records the version", async () => {
    const old = await client2025.verifications.submit(user(1), {
      type: 'identity_document',
      metadata: METADATA.identity_document,
      files: { front: front() },
    });
    const next = await client2099.verifications.submit(user(1), {
      type: 'identity_document',
      metadata: { ...METADATA.identity_document, issue_date: '2020-01-15' },
      files: { front_image: front() },
    });
    const video = await client2099.verifications.submit(user(1), {
      type: 'liveness_video',
      metadata: { verifier: 'example_kyc_provider', verified_at: '2024-04-15T10:00:00Z', passed: true },
      files: { video: new File([new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70])], 'v.mp4', { type: 'video/mp4' }) },
    });
    const records = sandbox.submissions({ user: user(1) });
    expect(records.map((r) => [r.verification_id, r.apiVersion, r.type, r.files.map((f) => f.part)])).toEqual([
      [old.verification_id, '2025-04-15', 'identity_document', ['front']],
      [next.verification_id, '2099-01-01', 'identity_document', ['front_image']],
      [video.verification_id, '2099-01-01', 'liveness_video', ['video']],
    ]);
    expect(records[1]?.metadata).toMatchObject({ issue_date: '2020-01-15' });
    expect(sandbox.submissions({ apiVersion: '2025-04-15', user: user(1) })).toHaveLength(1);
  });

  it("rejects one version's shape sent under the other version", async () => {
    const identity2099 = [
      { name: 'type', value: 'identity_document' },
      { name: 'metadata', value: JSON.stringify(METADATA.identity_document), contentType: 'application/json' },
      { name: 'front_image', value: JPEG, filename: 'f.jpg', contentType: 'image/jpeg' },
    ];
    const as2025 = await submit(sandbox, identity2099, { nonce: nonce(), headers: { 'Payward-Version': '2025-04-15' } });
    expect(as2025.json).toEqual({ error: ['EGeneral:Invalid arguments:unknown part "front_image"'] });
    const as2099 = await submit(sandbox, validParts('identity_document'), { nonce: nonce(), headers: { 'Kraken-Version': '2099-01-01' } });
    expect(as2099.json).toEqual({ error: ['EGeneral:Invalid arguments:unknown part "front"'] });
    // Without a version header: the default (latest) version, 2099-01-01.
    expect((await submit(sandbox, validParts('identity_document'), { nonce: nonce() })).json).toEqual(as2099.json);
    expect((await submit(sandbox, identity2099, { nonce: nonce() })).status).toBe(200);
    // The JSON route too: liveness_video does not exist in 2025-04-15.
    const body = Buffer.from(JSON.stringify({ type: 'liveness_video', metadata: {}, video_url: 'https://files.example/v.mp4' }));
    const url = await signedSend(sandbox, { path: `/b2b/verifications/${USER}/url`, body, contentType: 'application/json', nonce: nonce(), headers: { 'Payward-Version': '2025-04-15' } });
    expect(url.status).toBe(400);
    expect(url.json.error?.[0]).toMatch(/^EGeneral:Invalid arguments:type must be one of the allowed values: identity_document, /);
  });

  it("reads users with each version's client, from submissions of both versions", async () => {
    await client2025.verifications.submit(user(3), { type: 'selfie', metadata: METADATA.selfie, files: { selfie: front() } });
    await client2099.verifications.submit(user(3), { type: 'residence_document', metadata: METADATA.residence_document, files: { document: front() } });
    const expected = ['identity', 'tax_id', 'watchlists'];
    const viaOld = await client2025.users.get(user(3));
    const viaNew = await client2099.users.get(user(3));
    expect(viaOld.status.required_actions?.map((a) => a.verification_type)).toEqual(expected);
    expect(viaNew.status.required_actions.map((a) => a.verification_type)).toEqual(expected);
  });
});
