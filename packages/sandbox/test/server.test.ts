// The sandbox over real sockets: the five verification types, spec validation errors naming the
// field, authentication and nonce rules, users, limits, and stored files.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { FILES, JPEG, METADATA, PDF, TYPES, validParts } from './fixtures.js';
import { multipart, nextNonce, type Part, raw, send, sign, signedSend, submit, USER } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, limits: { fileSize: 64 * 1024, parts: 8, fieldSize: 8 * 1024, totalSize: 512 * 1024 } });
});
afterAll(() => sandbox.close());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('submissions', () => {
  it.each(TYPES)('accepts a valid %s submission and records it', async (type) => {
    const user = `AA95N84GTYPE${type.length.toString().padStart(4, '0')}`;
    const reply = await submit(sandbox, validParts(type), { user });
    expect(reply.status, reply.text).toBe(200);
    const id = reply.json.result?.['verification_id'];
    expect(id).toMatch(UUID);
    const record = sandbox.submissions().find((s) => s.verification_id === id)!;
    expect(record).toMatchObject({ user, type, metadata: METADATA[type], operationId: 'submitVerification' });
    expect(record.files).toEqual(
      FILES[type].map((part) => ({
        part: part.name,
        filename: part.filename,
        contentType: part.contentType,
        size: (part.value as Buffer).length,
        sha256: sha256(part.value as Buffer),
      })),
    );
  });

  it('accepts JSON metadata with a charset parameter and a file sent as application/octet-stream without a filename', async () => {
    const reply = await submit(sandbox, [
      { name: 'type', value: 'selfie' },
      { name: 'metadata', value: JSON.stringify(METADATA.selfie), contentType: 'application/json; charset=utf-8' },
      { name: 'selfie', value: JPEG, contentType: 'application/octet-stream' },
    ]);
    expect(reply.status, reply.text).toBe(200);
  });

  it("accepts metadata sent as a plain text field, as in Kraken's curl example", async () => {
    const reply = await submit(sandbox, [
      { name: 'type', value: 'selfie' },
      { name: 'metadata', value: JSON.stringify(METADATA.selfie) },
      ...FILES.selfie,
    ]);
    expect(reply.status, reply.text).toBe(200);
  });

  it('signs the path with its query string', async () => {
    const reply = await submit(sandbox, validParts('selfie'), { query: '?trace=1&x=%20y' });
    expect(reply.status, reply.text).toBe(200);
  });

  it('serves the JSON /url endpoint', async () => {
    const body = Buffer.from(
      JSON.stringify({ type: 'identity_document', metadata: METADATA.identity_document, front_url: 'https://files.example/front.jpg' }),
    );
    const ok = await signedSend(sandbox, { path: `/b2b/verifications/${USER}/url`, body, contentType: 'application/json' });
    expect(ok.status, ok.text).toBe(200);
    const record = sandbox.submissions().find((s) => s.verification_id === ok.json.result?.['verification_id'])!;
    expect(record).toMatchObject({ operationId: 'submitVerificationFromUrls', urls: { front_url: 'https://files.example/front.jpg' }, files: [] });

    const bad = await signedSend(sandbox, {
      path: `/b2b/verifications/${USER}/url`,
      body: Buffer.from(JSON.stringify({ type: 'identity_document', metadata: METADATA.identity_document, front_url: 'not a url' })),
      contentType: 'application/json',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toEqual(['EGeneral:Invalid arguments:front_url must match format "uri"']);

    const notJson = await signedSend(sandbox, { path: `/b2b/verifications/${USER}/url`, body: Buffer.from('{'), contentType: 'application/json' });
    expect(notJson.json.error).toEqual(['EGeneral:Invalid arguments:the body is not valid JSON']);
    const wrongType = await signedSend(sandbox, { path: `/b2b/verifications/${USER}/url`, body: Buffer.from('{}'), contentType: 'text/plain' });
    expect(wrongType.json.error).toEqual(['EGeneral:Invalid arguments:Content-Type must be application/json']);
  });
});

describe('validation errors name the field', () => {
  const withMetadata = (change: (m: Record<string, unknown>) => void) => {
    const metadata = structuredClone(METADATA.identity_document) as unknown as Record<string, unknown>;
    change(metadata);
    return validParts('identity_document', metadata);
  };
  const cases: Array<[string, Part[], string[]]> = [
    [
      'a bad date',
      withMetadata((m) => {
        (m['identity'] as Record<string, unknown>)['date_of_birth'] = '1990-02-30';
      }),
      ['metadata.identity.date_of_birth must match format "date"'],
    ],
    ['a bad enum', withMetadata((m) => {
        m['document_type'] = 'library_card';
      }), [
      'metadata.document_type must be one of the allowed values: drivers_license, id_card, passport, residence_card, special_permanent_residence_card',
    ]],
    ['a bad country', withMetadata((m) => {
        m['issuing_country'] = 'ZZ';
      }), ['metadata.issuing_country must be one of the allowed values (262 values)']],
    ['a missing nested field', withMetadata((m) => {
        delete (m['identity'] as { full_name: Record<string, unknown> }).full_name['last_name'];
      }), [
      'metadata.identity.full_name.last_name is required',
    ]],
    ['an unknown metadata field', withMetadata((m) => {
        m['favourite_colour'] = 'blue';
      }), ['metadata.favourite_colour is not allowed']],
    ['an empty string', withMetadata((m) => {
        m['document_number'] = '';
      }), ['metadata.document_number must NOT have fewer than 1 characters']],
    ['a bad date-time', withMetadata((m) => {
        m['verified_at'] = 'yesterday';
      }), ['metadata.verified_at must match format "date-time"']],
    ['a missing file part', validParts('identity_document').filter((p) => p.name !== 'front'), ['front is required']],
    ['a missing type', validParts('selfie').filter((p) => p.name !== 'type'), ['type is required']],
    ['a missing metadata', validParts('selfie').filter((p) => p.name !== 'metadata'), ['metadata is required']],
    ['an unknown type', [{ name: 'type', value: 'horoscope' }, ...validParts('selfie').slice(1)], [
      'type must be one of the allowed values: identity_document, residence_document, tax_id_document, selfie, watchlists',
    ]],
    ['a file part of another type', [...validParts('selfie'), { name: 'back', value: JPEG, filename: 'b.jpg', contentType: 'image/jpeg' }], [
      'back is not allowed',
    ]],
    ['an unknown part', [...validParts('selfie'), { name: 'extra', value: 'x' }], ['unknown part "extra"']],
    ['a duplicate part', [...validParts('selfie'), { name: 'selfie', value: JPEG, filename: 's2.jpg', contentType: 'image/jpeg' }], [
      'duplicate part "selfie"',
    ]],
    ['an empty file', [...validParts('selfie').slice(0, 2), { name: 'selfie', value: Buffer.alloc(0), filename: 's.jpg', contentType: 'image/jpeg' }], [
      'selfie must not be empty',
    ]],
    ['metadata that is not JSON', [validParts('selfie')[0]!, { name: 'metadata', value: '{selfie', contentType: 'application/json' }, ...FILES.selfie], [
      'metadata is not valid JSON',
    ]],
    ['metadata with a non-JSON content type', [validParts('selfie')[0]!, { name: 'metadata', value: JSON.stringify(METADATA.selfie), contentType: 'image/png' }, ...FILES.selfie], [
      'metadata must be a JSON part (Content-Type: application/json)',
    ]],
    ['metadata sent as a file', [validParts('selfie')[0]!, { name: 'metadata', value: JSON.stringify(METADATA.selfie), filename: 'm.json', contentType: 'application/json' }, ...FILES.selfie], [
      'metadata must be a form field, not a file (no filename)',
    ]],
    ['a file sent as a text field', [...validParts('selfie').slice(0, 2), { name: 'selfie', value: 'not a file' }], ['selfie must be a file part (with a filename)']],
    ['an empty watchlists metadata', validParts('watchlists', {}), ['metadata must NOT have fewer than 1 properties']],
    ['a watchlist status in lower case', validParts('watchlists', { pep: { ...METADATA.watchlists.pep, status: 'cleared' } }), [
      'metadata.pep.status must be one of the allowed values: Cleared, Matched',
    ]],
  ];
  it.each(cases)('%s', async (_name, parts, expected) => {
    const reply = await submit(sandbox, parts);
    expect(reply.status, reply.text).toBe(400);
    expect(reply.json.error).toEqual(expected.map((e) => `EGeneral:Invalid arguments:${e}`));
  });

  it('reports several problems at once', async () => {
    const metadata = { ...METADATA.selfie, selfie_type: 'portrait', verified_at: 'now' };
    const reply = await submit(sandbox, validParts('selfie', metadata));
    expect(reply.json.error).toEqual(
      expect.arrayContaining([
        'EGeneral:Invalid arguments:metadata.verified_at must match format "date-time"',
        'EGeneral:Invalid arguments:metadata.selfie_type must be one of the allowed values: selfie, selfie_capture_video',
      ]),
    );
  });

  it.each([
    ['AA95N84G', 'user must NOT have fewer than 14 characters'],
    ['A'.repeat(43), 'user must NOT have more than 42 characters'],
    ['%E0%A4%A', 'user is not valid percent-encoding'],
  ])('validates the user path parameter %s', async (user, error) => {
    const reply = await submit(sandbox, validParts('selfie'), { user });
    expect(reply.status).toBe(400);
    expect(reply.json.error).toEqual([`EGeneral:Invalid arguments:${error}`]);
  });

  it('rejects a body that is not multipart', async () => {
    const reply = await signedSend(sandbox, { path: `/b2b/verifications/${USER}`, body: Buffer.from('{}'), contentType: 'application/json' });
    expect(reply.status).toBe(400);
    expect(reply.json.error).toEqual(['EGeneral:Invalid arguments:Content-Type must be multipart/form-data with a boundary']);
  });

  it('rejects a broken multipart body', async () => {
    const form = multipart(validParts('selfie'));
    const body = form.body.subarray(0, form.body.length - 20);
    const reply = await signedSend(sandbox, { path: `/b2b/verifications/${USER}`, body, contentType: form.contentType });
    expect(reply.status).toBe(400);
    expect(reply.json.error?.[0]).toMatch(/^EGeneral:Invalid arguments:malformed multipart body \(Unexpected end of (form|file)\)$/);
  });
});

describe('authentication', () => {
  const form = () => multipart(validParts('selfie'));
  const path = `/b2b/verifications/${USER}`;

  const attempt = (headers: Record<string, string>, body: Buffer, contentType: string) =>
    send(sandbox.url, { path, headers: { 'Content-Type': contentType, ...headers }, body });

  it.each([
    ['API-Key', 'EAPI:Missing API-Key'],
    ['API-Nonce', 'EAPI:Missing API-Nonce'],
    ['API-Sign', 'EAPI:Missing API-Sign'],
  ])('answers 401 when %s is missing', async (missing, error) => {
    const { body, contentType } = form();
    const nonce = nextNonce();
    const headers: Record<string, string> = { 'API-Key': sandbox.apiKey, 'API-Nonce': nonce, 'API-Sign': sign(sandbox.apiSecret, path, nonce, body) };
    delete headers[missing];
    const reply = await attempt(headers, body, contentType);
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ error: [error] });
  });

  it('rejects an unknown key', async () => {
    const { body, contentType } = form();
    const nonce = nextNonce();
    const reply = await attempt({ 'API-Key': `${sandbox.apiKey}x`, 'API-Nonce': nonce, 'API-Sign': sign(sandbox.apiSecret, path, nonce, body) }, body, contentType);
    expect(reply.json).toEqual({ error: ['EAPI:Invalid key'] });
  });

  it.each([
    ['a signature over other bytes', (b: Buffer) => Buffer.concat([b, Buffer.from(' ')])],
    ['a signature with another secret', null],
    ['garbage', 'not-base64!'],
    ['a truncated signature', 'AAAA'],
  ])('rejects %s with EAPI:Invalid signature', async (_name, how) => {
    const { body, contentType } = form();
    const nonce = nextNonce();
    let signature: string;
    if (typeof how === 'string') signature = how;
    else if (how === null) signature = sign(Buffer.alloc(64, 7).toString('base64'), path, nonce, body);
    else signature = sign(sandbox.apiSecret, path, nonce, how(body));
    const reply = await attempt({ 'API-Key': sandbox.apiKey, 'API-Nonce': nonce, 'API-Sign': signature }, body, contentType);
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({ error: ['EAPI:Invalid signature'] });
  });

  it('rejects a signature over the path without its query', async () => {
    const { body, contentType } = form();
    const nonce = nextNonce();
    const reply = await send(sandbox.url, {
      path: `${path}?a=1`,
      headers: { 'Content-Type': contentType, 'API-Key': sandbox.apiKey, 'API-Nonce': nonce, 'API-Sign': sign(sandbox.apiSecret, path, nonce, body) },
      body,
    });
    expect(reply.json).toEqual({ error: ['EAPI:Invalid signature'] });
  });

  it.each(['-1', '1.5', 'abc', '18446744073709551616'])('rejects the malformed nonce %s', async (nonce) => {
    const { body, contentType } = form();
    const reply = await attempt({ 'API-Key': sandbox.apiKey, 'API-Nonce': nonce, 'API-Sign': sign(sandbox.apiSecret, path, nonce, body) }, body, contentType);
    expect(reply.json).toEqual({ error: ['EAPI:Invalid nonce'] });
  });

  it('checks the Payward-Version header against the versions it serves', async () => {
    const ok = await submit(sandbox, validParts('selfie'), { headers: { 'Payward-Version': '2025-04-15' } });
    expect(ok.status).toBe(200);
    const bad = await submit(sandbox, validParts('selfie'), { headers: { 'Payward-Version': '2024-01-01' } });
    expect(bad.status).toBe(400);
    const known = sandbox.apiVersions.join(', ');
    expect(known).toContain('2025-04-15');
    expect(bad.json.error).toEqual([`EGeneral:Invalid arguments:Payward-Version must be one of the allowed values: ${known}`]);
    const kraken = await submit(sandbox, validParts('selfie'), { headers: { 'Kraken-Version': '2024-01-01' } });
    expect(kraken.json.error).toEqual([`EGeneral:Invalid arguments:Kraken-Version must be one of the allowed values: ${known}`]);
    const both = await submit(sandbox, validParts('selfie'), { headers: { 'Kraken-Version': '2025-04-15', 'Payward-Version': '2024-01-01' } });
    expect(both.json.error).toEqual(['EGeneral:Invalid arguments:Payward-Version and Kraken-Version must be the same version when both are sent']);
  });
});

describe('nonces', () => {
  it('must strictly increase; a rejected signature does not consume one, a 400 does', async () => {
    const local = await startSandbox();
    try {
      const n = 5_000_000_000n;
      expect((await submit(local, validParts('selfie'), { nonce: `${n}` })).status).toBe(200);
      // Replay and lower nonces.
      expect((await submit(local, validParts('selfie'), { nonce: `${n}` })).json.error).toEqual(['EAPI:Invalid nonce']);
      expect((await submit(local, validParts('selfie'), { nonce: `${n - 1n}` })).json.error).toEqual(['EAPI:Invalid nonce']);
      // A bad signature with a fresh nonce: rejected for the signature, and the nonce stays unused.
      const form = multipart(validParts('selfie'));
      const forged = await send(local.url, {
        path: `/b2b/verifications/${USER}`,
        headers: { 'Content-Type': form.contentType, 'API-Key': local.apiKey, 'API-Nonce': `${n + 10n}`, 'API-Sign': sign(local.apiSecret, '/other', `${n + 10n}`, form.body) },
        body: form.body,
      });
      expect(forged.json.error).toEqual(['EAPI:Invalid signature']);
      expect((await submit(local, validParts('selfie'), { nonce: `${n + 5n}` })).status).toBe(200);
      expect((await submit(local, validParts('selfie'), { nonce: `${n + 10n}` })).status).toBe(200);
      // An authenticated but invalid request consumes its nonce.
      expect((await submit(local, validParts('selfie', {}), { nonce: `${n + 20n}` })).status).toBe(400);
      expect((await submit(local, validParts('selfie'), { nonce: `${n + 20n}` })).json.error).toEqual(['EAPI:Invalid nonce']);
    } finally {
      await local.close();
    }
  });

  it('accepts out-of-order nonces within a configured window, once each', async () => {
    const local = await startSandbox({ nonceWindow: 100 });
    try {
      const n = 9_000_000_000n;
      expect((await submit(local, validParts('selfie'), { nonce: `${n}` })).status).toBe(200);
      expect((await submit(local, validParts('selfie'), { nonce: `${n - 50n}` })).status).toBe(200);
      expect((await submit(local, validParts('selfie'), { nonce: `${n - 50n}` })).json.error).toEqual(['EAPI:Invalid nonce']);
      expect((await submit(local, validParts('selfie'), { nonce: `${n - 101n}` })).json.error).toEqual(['EAPI:Invalid nonce']);
      expect((await submit(local, validParts('selfie'), { nonce: `${n}` })).json.error).toEqual(['EAPI:Invalid nonce']);
      expect((await submit(local, validParts('selfie'), { nonce: `${n + 1n}` })).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});

describe('users', () => {
  it('starts with every verification required and shrinks as verifications arrive', async () => {
    const user = 'AA95N84GUSERS0001';
    const get = async () => {
      const reply = await signedSend(sandbox, { method: 'GET', path: `/b2b/users/${user}` });
      expect(reply.status, reply.text).toBe(200);
      const status = (reply.json.result as { status: { state: string; required_actions: Array<{ verification_type: string }> } }).status;
      expect(status.state).toBe('ok');
      return status.required_actions.map((a) => a.verification_type);
    };
    expect(await get()).toEqual(['identity', 'residence', 'tax_id', 'selfie', 'watchlists']);
    // A rejected submission changes nothing.
    expect((await submit(sandbox, validParts('identity_document', {}), { user })).status).toBe(400);
    expect(await get()).toContain('identity');
    expect((await submit(sandbox, validParts('identity_document'), { user })).status).toBe(200);
    expect(await get()).toEqual(['residence', 'tax_id', 'selfie', 'watchlists']);
    expect((await submit(sandbox, validParts('selfie'), { user })).status).toBe(200);
    expect(await get()).toEqual(['residence', 'tax_id', 'watchlists']);

    const own = await send(sandbox.url, { method: 'GET', path: `/_sandbox/submissions?user=${user}` });
    expect(own.status).toBe(200);
    const submissions = (own.json.result as { submissions: Array<{ type: string; user: string }> }).submissions;
    expect(submissions.map((s) => s.type)).toEqual(['identity_document', 'selfie']);
  });

  it('GET user needs a signature too', async () => {
    const reply = await send(sandbox.url, { method: 'GET', path: `/b2b/users/${USER}` });
    expect(reply.status).toBe(401);
  });
});

describe('routing', () => {
  it('answers 404 for unknown routes and 405 for wrong methods, in the Kraken envelope', async () => {
    const missing = await send(sandbox.url, { method: 'GET', path: '/b2b/assets' });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: ['EGeneral:Not found'] });
    const wrong = await send(sandbox.url, { method: 'DELETE', path: `/b2b/verifications/${USER}` });
    expect(wrong.status).toBe(405);
    expect(wrong.headers['allow']).toBe('POST');
    expect(wrong.json).toEqual({ error: ['EGeneral:Method not allowed'] });
    expect((await send(sandbox.url, { method: 'POST', path: '/_sandbox/submissions' })).status).toBe(405);
    expect((await send(sandbox.url, { method: 'GET', path: '/_sandbox/nothing' })).status).toBe(404);
  });
});

describe('limits', () => {
  const expectTooLarge = (reply: { status: number; json: { error?: string[] } }, limit: string) => {
    expect(reply.status).toBe(413);
    expect(reply.json.error?.[0]).toMatch(new RegExp(`^EGeneral:Request too large:.*limits\\.${limit}`));
  };

  it('allows a file of exactly limits.fileSize and rejects one byte more', async () => {
    const exact = Buffer.alloc(64 * 1024, 1);
    const parts = (file: Buffer): Part[] => [...validParts('selfie').slice(0, 2), { name: 'selfie', value: file, filename: 's.jpg', contentType: 'image/jpeg' }];
    expect((await submit(sandbox, parts(exact))).status).toBe(200);
    expectTooLarge(await submit(sandbox, parts(Buffer.alloc(64 * 1024 + 1, 1))), 'fileSize');
  });

  it('limits the number of parts', async () => {
    const parts = [...validParts('selfie'), ...Array.from({ length: 8 }, (_, i) => ({ name: `x${i}`, value: 'x' }))];
    expectTooLarge(await submit(sandbox, parts), 'parts');
  });

  it('limits the size of a field', async () => {
    const metadata = { ...METADATA.selfie, external_verification_id: 'x'.repeat(9000) };
    expectTooLarge(await submit(sandbox, validParts('selfie', metadata)), 'fieldSize');
  });

  it('limits the whole body, while streaming and from Content-Length', async () => {
    const parts = [...validParts('identity_document').filter((p) => p.name !== 'back'), ...['back', 'verifier_response'].map((name) => ({ name, value: Buffer.alloc(60 * 1024), filename: 'f', contentType: 'application/pdf' }))];
    // 3 files under the file limit, but far over a small total limit.
    const small = await startSandbox({ limits: { totalSize: 100 * 1024 } });
    try {
      const form = multipart(parts);
      const nonce = nextNonce();
      const path = `/b2b/verifications/${USER}`;
      const headers = { 'Content-Type': form.contentType, 'API-Key': small.apiKey, 'API-Nonce': nonce, 'API-Sign': sign(small.apiSecret, path, nonce, form.body) };
      expectTooLarge(await send(small.url, { path, headers, body: form.body }), 'totalSize');
      // Chunked, so the limit is found while streaming.
      const chunked = await raw(small.url, [
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${form.contentType}\r\nAPI-Key: ${small.apiKey}\r\nAPI-Nonce: ${nonce}1\r\nAPI-Sign: x\r\nTransfer-Encoding: chunked\r\n\r\n`,
        `${form.body.length.toString(16)}\r\n`,
        form.body,
        '\r\n0\r\n\r\n',
      ]);
      expect(chunked.status).toBe(413);
      expect(chunked.text).toContain('limits.totalSize');
    } finally {
      await small.close();
    }
  });

  it('answers 431 for oversized request headers', async () => {
    const reply = await raw(sandbox.url, [`GET /b2b/users/${USER} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`]);
    expect(reply.status).toBe(431);
    expect(reply.text).toContain('limits.headerSize');
  });
});

describe('stored files', () => {
  it('writes accepted files to storeFilesDir and nothing for rejected ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'embedkit-sandbox-'));
    const local = await startSandbox({ storeFilesDir: dir });
    try {
      const ok = await submit(local, validParts('residence_document'));
      const id = String(ok.json.result?.['verification_id']);
      expect(await readFile(join(dir, id, 'document'))).toEqual(PDF);
      const record = JSON.parse(await readFile(join(dir, id, 'submission.json'), 'utf8'));
      expect(record.files[0]).toMatchObject({ part: 'document', size: PDF.length, sha256: sha256(PDF), path: join(dir, id, 'document') });
      expect((await submit(local, validParts('residence_document', {}))).status).toBe(400);
      expect((await readdir(dir)).sort()).toEqual(['.incoming', id].sort());
      expect(await readdir(join(dir, '.incoming'))).toEqual([]);
    } finally {
      await local.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('stored files and limits', () => {
  it('leaves no temporary file behind when an upload crosses a limit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'embedkit-sandbox-'));
    const local = await startSandbox({ storeFilesDir: dir, limits: { fileSize: 1024 } });
    try {
      const parts: Part[] = [
        ...validParts('identity_document').slice(0, 2),
        { name: 'front', value: JPEG, filename: 'front.jpg', contentType: 'image/jpeg' },
        { name: 'back', value: Buffer.alloc(4096, 7), filename: 'back.jpg', contentType: 'image/jpeg' },
      ];
      expect((await submit(local, parts)).status).toBe(413);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await readdir(join(dir, '.incoming'))).toEqual([]);
      expect(await readdir(dir)).toEqual(['.incoming']);
    } finally {
      await local.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
