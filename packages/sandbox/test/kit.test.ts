// The test kit for services: readiness, JSON request logs without secrets, submissions(), reset()
// (and their HTTP forms under /_sandbox/), faults queued over HTTP.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults, type RequestLogEntry, type Sandbox, startSandbox } from '../src/index.js';
import { METADATA, validParts } from './fixtures.js';
import { nextNonce, type Reply, send, sign, signedSend, submit, USER } from './helpers.js';

const lines: string[] = [];
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ logger: { info: (line) => lines.push(line), error: (line) => lines.push(line) } });
});
afterAll(() => sandbox.close());

const control = (method: string, path: string, body?: unknown): Promise<Reply> => {
  const options: Parameters<typeof send>[1] = { method, path: `/_sandbox/${path}`, headers: { 'content-type': 'application/json' } };
  if (body !== undefined) options.body = JSON.stringify(body);
  return send(sandbox.url, options);
};
const requestsLogged = () => lines.map((line) => JSON.parse(line) as RequestLogEntry).filter((entry) => entry.event === 'request');

describe('readiness', () => {
  it('answers GET /_sandbox/ready with the versions it serves', async () => {
    const ready = await control('GET', 'ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ result: { ready: true, apiVersions: sandbox.apiVersions, defaultApiVersion: sandbox.apiVersion } });
    expect((await control('POST', 'ready')).status).toBe(405);
    expect((await control('GET', 'nothing')).status).toBe(404);
  });
});

describe('request logs', () => {
  it('writes one JSON line per request, and never the secret, the signature, headers or bodies', async () => {
    lines.length = 0;
    const nonce = nextNonce();
    const path = `/b2b/verifications/${USER}`;
    const ok = await submit(sandbox, validParts('selfie'), { nonce });
    const bad = await submit(sandbox, validParts('selfie', { ...METADATA.selfie, selfie_type: 'portrait' }));
    const unsigned = await send(sandbox.url, { path, headers: { 'API-Key': sandbox.apiKey, 'API-Nonce': nextNonce(), 'API-Sign': 'c2lnbmF0dXJl' } });
    await send(sandbox.url, { method: 'GET', path: `/b2b/users/${USER}?x=1` });

    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    const entries = requestsLogged();
    expect(entries.map((e) => [e.method, e.path, e.status])).toEqual([
      ['POST', path, 200],
      ['POST', path, 400],
      ['POST', path, 401],
      ['GET', `/b2b/users/${USER}`, 401],
    ]);
    expect(entries[0]).toMatchObject({ apiVersion: sandbox.apiVersion, operationId: 'submitVerification', verification_id: ok.json.result?.['verification_id'] });
    expect(entries[1]?.errors).toEqual(bad.json.error);
    expect(entries[2]?.errors).toEqual(unsigned.json.error);
    for (const entry of entries) expect(Date.parse(entry.time)).not.toBeNaN();
    const all = lines.join('\n');
    expect(all).not.toContain(sandbox.apiSecret);
    expect(all).not.toContain(sign(sandbox.apiSecret, path, nonce, Buffer.alloc(0)).slice(0, 20));
    expect(all).not.toContain('c2lnbmF0dXJl');
    expect(all).not.toContain(sandbox.apiKey);
    expect(all).not.toContain('example_kyc_provider');
  });

  it('logs faults and the sandbox endpoints too', async () => {
    lines.length = 0;
    sandbox.injectFault('429;retry-after=1');
    await submit(sandbox, validParts('selfie'));
    await control('GET', 'submissions');
    expect(requestsLogged().map((e) => [e.path, e.status, e.fault])).toEqual([
      [`/b2b/verifications/${USER}`, 429, '429;retry-after=1'],
      ['/_sandbox/submissions', 200, undefined],
    ]);
  });
});

describe('submissions() and reset()', () => {
  it('returns copies with parsed parts and version, filtered by user and version', async () => {
    sandbox.reset();
    const user = 'AA95N84GKITS0001';
    await submit(sandbox, validParts('selfie'), { user });
    await submit(sandbox, validParts('residence_document'));
    const [record] = sandbox.submissions({ user });
    expect(record).toMatchObject({
      user,
      apiVersion: sandbox.apiVersion,
      type: 'selfie',
      metadata: METADATA.selfie,
      fields: { type: 'selfie', metadata: JSON.stringify(METADATA.selfie) },
    });
    expect(record?.files.map((f) => [f.part, f.filename, f.contentType])).toEqual([['selfie', 'selfie.jpg', 'image/jpeg']]);
    expect(sandbox.submissions()).toHaveLength(2);
    expect(sandbox.submissions({ apiVersion: '1999-01-01' })).toEqual([]);
    // A copy: changing it changes nothing in the sandbox.
    (record!.metadata as Record<string, unknown>)['verifier'] = 'changed';
    expect(sandbox.submissions({ user })[0]?.metadata).toEqual(METADATA.selfie);
    // The same over HTTP.
    const listed = await control('GET', `submissions?user=${user}&apiVersion=${sandbox.apiVersion}`);
    expect((listed.json.result as { submissions: unknown[] }).submissions).toEqual(sandbox.submissions({ user }));
  });

  it('reset() forgets submissions, users and queued faults, and keeps nonces unless asked', async () => {
    await submit(sandbox, validParts('selfie'));
    const usedNonce = nextNonce();
    expect((await submit(sandbox, validParts('selfie'), { nonce: usedNonce })).status).toBe(200);
    sandbox.injectFault('503');
    sandbox.reset();
    expect(sandbox.submissions()).toEqual([]);
    const user = await signedSend(sandbox, { method: 'GET', path: `/b2b/users/${USER}` });
    expect(user.status).toBe(200); // not the queued 503
    expect((user.json.result as { status: { required_actions: unknown[] } }).status.required_actions).toHaveLength(5);
    // Nonces are kept: a replay is still refused.
    expect((await submit(sandbox, validParts('selfie'), { nonce: usedNonce })).json).toEqual({ error: ['EAPI:Invalid nonce'] });
    sandbox.reset({ nonces: true });
    expect((await submit(sandbox, validParts('selfie'), { nonce: '1' })).status).toBe(200);
    sandbox.reset({ nonces: true });
  });

  it('POST /_sandbox/reset does the same over HTTP', async () => {
    await submit(sandbox, validParts('selfie'));
    expect((await control('POST', 'reset')).json).toEqual({ result: 'success' });
    expect(sandbox.submissions()).toEqual([]);
    expect((await submit(sandbox, validParts('selfie'), { nonce: '2' })).json).toEqual({ error: ['EAPI:Invalid nonce'] });
    expect((await control('POST', 'reset', { nonces: true })).status).toBe(200);
    expect((await submit(sandbox, validParts('selfie'), { nonce: '2' })).status).toBe(200);
    expect((await control('POST', 'reset', [1])).json).toEqual({ error: ['EGeneral:Invalid arguments:the body must be a JSON object'] });
    expect((await control('GET', 'reset')).status).toBe(405);
    sandbox.reset({ nonces: true });
  });
});

describe('faults over HTTP', () => {
  it('POST /_sandbox/faults queues a fault for the next requests; DELETE clears the queue', async () => {
    expect((await control('POST', 'faults', { fault: '503;retry-after=2', times: 2 })).json).toEqual({ result: { queued: 2 } });
    for (let i = 0; i < 2; i++) {
      const reply = await submit(sandbox, validParts('selfie'));
      expect([reply.status, reply.headers['retry-after'], reply.json]).toEqual([503, '2', { error: ['EService:Unavailable'] }]);
    }
    expect((await submit(sandbox, validParts('selfie'))).status).toBe(200);
    await control('POST', 'faults', { fault: '500' });
    expect((await control('DELETE', 'faults')).json).toEqual({ result: 'success' });
    expect((await submit(sandbox, validParts('selfie'))).status).toBe(200);
  });

  it('rejects a bad fault request, naming the field', async () => {
    expect((await control('POST', 'faults', { fault: 'teapot' })).json).toEqual({ error: ['EGeneral:Invalid arguments:fault Unknown fault "teapot"'] });
    expect((await control('POST', 'faults', {})).status).toBe(400);
    expect((await control('POST', 'faults', { fault: '429', times: 0 })).json).toEqual({ error: ['EGeneral:Invalid arguments:times must be an integer from 1 to 1000'] });
    expect((await control('POST', 'faults', { fault: '429', fault2: 1, fault3: 2 })).status).toBe(200);
    await control('DELETE', 'faults');
    const duplicate = await send(sandbox.url, { method: 'POST', path: '/_sandbox/faults', body: '{"fault":"429","fault":"500"}' });
    expect(duplicate.json).toEqual({ error: ['EGeneral:Invalid arguments:the body has duplicate key "fault"'] });
  });
});

describe('the documented fault examples', () => {
  /** A JS object literal of the docs (`{ kind: 'delay', ms: 250 }`) as a value. */
  const literal = (text: string) => JSON.parse(text.replace(/([{,]\s*)([a-zA-Z]+):/g, '$1"$2":').replaceAll("'", '"')) as unknown;
  const docs = {
    README: new URL('../README.md', import.meta.url),
    guide: new URL('../../../docs/guides/testing-with-the-sandbox.md', import.meta.url),
  };

  it.each(Object.keys(docs))('%s: every fault kind has an example, and each header-syntax example means its object example', (name) => {
    const text = readFileSync(docs[name as keyof typeof docs], 'utf8');
    const rows = [...text.matchAll(/^\|[^|\n]+\|.*`(?:injectFault\()?(\{ kind: [^`]*?\})\)?`.*$/gm)].map((row) => {
      const cells = row[0].split('|').map((cell) => cell.trim());
      // The header-syntax column comes first in both tables.
      const header = cells.map((cell) => /^`([^`{]+)`/.exec(cell)?.[1]).find((code) => code !== undefined);
      return { object: literal(row[1]!), header };
    });
    expect(new Set(rows.map((r) => (r.object as { kind: string }).kind))).toEqual(new Set(['delay', 'status', 'drop', 'malformed-json']));
    expect(rows).toHaveLength(7);
    for (const { object, header } of rows) expect(parseFaults(header!)).toEqual([object]);
  });
});
