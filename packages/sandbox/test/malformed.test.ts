// At least 1,000 malformed requests over raw TCP sockets. Each must get a 4xx, or (for protocol
// errors only) be closed by the server; afterwards a valid request still succeeds.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { FILES, METADATA, validParts } from './fixtures.js';
import { multipart, nextNonce, type Part, type RawOutcome, raw, sign, submit, USER } from './helpers.js';
import { MALFORMED_UTF8, withMark } from './utf8-cases.js';

const SEED = 20250415;
const PATH = `/b2b/verifications/${USER}`;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    limits: { fileSize: 32 * 1024, totalSize: 128 * 1024, parts: 8, fieldSize: 4 * 1024, headerSize: 8 * 1024 },
    timeouts: { headers: 500, request: 3000, linger: 300 },
  });
});
afterAll(() => sandbox.close());

type Piece = Buffer | string | { wait: number };
interface Case {
  category: string;
  pieces: Piece[];
  /** The server may close the connection without a response (protocol-level garbage). */
  protocolError?: boolean;
  endWrite?: boolean;
  /** The exact error list the answer must carry (400 in Kraken's envelope). */
  errors?: string[];
}

/** The head of a request, with API-Key/Nonce/Sign computed over `signedBody` (default: the body sent). */
function request(options: {
  method?: string;
  path?: string;
  body?: Buffer;
  contentType?: string | null;
  headers?: Record<string, string>;
  contentLength?: number | null;
  signedBody?: Buffer;
  nonce?: string;
  signature?: string;
}): Buffer {
  const path = options.path ?? PATH;
  const body = options.body ?? Buffer.alloc(0);
  const nonce = options.nonce ?? nextNonce();
  const lines = [`${options.method ?? 'POST'} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  if (options.contentType !== null && options.contentType !== undefined) lines.push(`Content-Type: ${options.contentType}`);
  const headers: Record<string, string> = {
    'API-Key': sandbox.apiKey,
    'API-Nonce': nonce,
    'API-Sign': options.signature ?? sign(sandbox.apiSecret, path, nonce, options.signedBody ?? body),
    ...options.headers,
  };
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (options.contentLength !== null) lines.push(`Content-Length: ${options.contentLength ?? body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

const form = (parts: Part[], boundary?: string) => multipart(parts, boundary);
const sample = <T>(arb: fc.Arbitrary<T>, n: number, offset = 0) => fc.sample(arb, { numRuns: n, seed: SEED + offset });

function buildCases(): Case[] {
  const cases: Case[] = [];
  const add = (category: string, pieces: Piece[], extra: Partial<Case> = {}) => cases.push({ category, pieces, ...extra });
  const valid = form(validParts('identity_document'));

  // 1. Broken boundaries: the body does not match the declared boundary, or is damaged; signed correctly.
  for (let i = 0; i < 40; i++) {
    const body = form(validParts('selfie'), `real-${i}`).body;
    add('broken boundary', [request({ body, contentType: `multipart/form-data; boundary=other-${i}` })]);
  }
  // Damage one byte of a boundary delimiter in a selfie form (every part of it is required, so any
  // merge or loss of parts makes it invalid).
  const selfie = form(validParts('selfie'));
  const delimiterBytes: number[] = [];
  for (let at = selfie.body.indexOf(`--${selfie.boundary}`); at >= 0; at = selfie.body.indexOf(`--${selfie.boundary}`, at + 1)) {
    for (let k = 0; k < selfie.boundary.length + 2; k++) delimiterBytes.push(at + k);
  }
  for (const [i, index] of sample(fc.constantFrom(...delimiterBytes), 60, 1).entries()) {
    const body = Buffer.from(selfie.body);
    body[index] = (body[index]! + 1 + i) % 256;
    add('damaged boundary delimiter', [request({ body, contentType: selfie.contentType })]);
  }
  for (const junk of ['--', '--\r\n', 'garbage', '\r\n\r\n', `--${valid.boundary}`, `--${valid.boundary}\r\n\r\n--${valid.boundary}--`]) {
    add('broken boundary', [request({ body: Buffer.from(junk), contentType: valid.contentType })]);
  }

  // 2. Truncated bodies: signed over the truncated bytes (reaches the parser), or shorter than Content-Length.
  for (const cut of sample(fc.integer({ min: 0, max: valid.body.length - 1 }), 60, 2)) {
    const body = valid.body.subarray(0, cut);
    add('truncated body (signed)', [request({ body, contentType: valid.contentType })]);
  }
  for (const cut of sample(fc.integer({ min: 0, max: valid.body.length - 1 }), 40, 3)) {
    const full = request({ body: valid.body, contentType: valid.contentType });
    add('truncated body (client half-closes)', [full.subarray(0, full.length - valid.body.length + cut)], { endWrite: true, protocolError: true });
  }

  // 3. Oversized headers and parts.
  for (let i = 0; i < 20; i++) {
    add('oversized headers', [request({ body: valid.body, contentType: valid.contentType, headers: { 'X-Padding': 'p'.repeat(8 * 1024 + i * 97) } })]);
  }
  for (let i = 0; i < 10; i++) {
    const headers: Record<string, string> = {};
    for (let h = 0; h < 400; h++) headers[`X-H${h}`] = 'v'.repeat(20 + i);
    add('oversized headers', [request({ body: valid.body, contentType: valid.contentType, headers })]);
  }
  for (let i = 0; i < 20; i++) {
    const big = Buffer.alloc(32 * 1024 + 1 + i * 1000, i);
    const f = form([...validParts('selfie').slice(0, 2), { name: 'selfie', value: big, filename: 's.jpg', contentType: 'image/jpeg' }]);
    add('oversized file part', [request({ body: f.body, contentType: f.contentType })]);
  }
  for (let i = 0; i < 15; i++) {
    const f = form(validParts('selfie', { ...METADATA.selfie, external_verification_id: 'x'.repeat(4 * 1024 + i) }));
    add('oversized field', [request({ body: f.body, contentType: f.contentType })]);
  }
  for (let i = 0; i < 15; i++) {
    const f = form([...validParts('selfie'), ...Array.from({ length: 8 + i }, (_, k) => ({ name: `p${k}`, value: 'x' }))]);
    add('too many parts', [request({ body: f.body, contentType: f.contentType })]);
  }
  for (let i = 0; i < 10; i++) {
    const header = `X-Long: ${'h'.repeat(17 * 1024 + i)}`;
    const f = form([{ name: 'type', value: 'selfie', extraHeaders: [header] }]);
    add('oversized part header', [request({ body: f.body, contentType: f.contentType })]);
  }

  // 4. Wrong content types.
  const contentTypes = [
    null,
    'application/json',
    'text/plain',
    'multipart/mixed; boundary=x',
    'multipart/form-data',
    'multipart/form-data; boundary=',
    'multipart/form-data; boundary="unterminated',
    `multipart/form-data; boundary=${'b'.repeat(200)}`,
    'application/x-www-form-urlencoded',
    'image/jpeg',
    ';;;',
    'multipart/form-data; boundary=a; boundary=b',
  ];
  for (const [i, contentType] of contentTypes.entries()) {
    for (let k = 0; k < 8; k++) {
      const body = k % 2 === 0 ? valid.body : Buffer.from(`type=selfie&metadata=${i}`);
      add('wrong content type', [request({ body, contentType })]);
    }
  }

  // 5. Metadata that is not JSON (or not an object), from fast-check strings.
  for (const text of sample(fc.string({ maxLength: 200 }), 100, 5)) {
    const f = form([{ name: 'type', value: 'selfie' }, { name: 'metadata', value: text, contentType: 'application/json' }, ...FILES.selfie]);
    add('metadata not JSON', [request({ body: f.body, contentType: f.contentType })]);
  }

  // 5b. Text that is not well-formed UTF-8 (every class), in metadata (JSON part and plain text
  // field, in a value and in a key), in type, and in the JSON route's body.
  const invalid = (detail: string) => [`EGeneral:Invalid arguments:${detail}`];
  const URL_PATH = `/b2b/verifications/${USER}/url`;
  const urlBody = { type: 'selfie', metadata: METADATA.selfie, selfie_url: 'https://files.example/selfie.jpg' };
  for (const [kind, samples] of Object.entries(MALFORMED_UTF8)) {
    for (const bad of samples) {
      const texts = [
        withMark(JSON.stringify({ ...METADATA.selfie, external_verification_id: 'MARK' }), bad),
        withMark(JSON.stringify({ ...METADATA.selfie, verifier: 'ok MARK ok' }), bad),
        withMark(JSON.stringify({ MARK: true, ...METADATA.selfie }), bad),
        withMark(`MARK${JSON.stringify(METADATA.selfie)}`, bad),
      ];
      for (const text of texts) {
        for (const contentType of ['application/json', undefined]) {
          const metadataPart: Part = contentType === undefined ? { name: 'metadata', value: text } : { name: 'metadata', value: text, contentType };
          const f = form([{ name: 'type', value: 'selfie' }, metadataPart, ...FILES.selfie]);
          add(`metadata not UTF-8 (${kind})`, [request({ body: f.body, contentType: f.contentType })], { errors: invalid('metadata is not valid UTF-8') });
        }
      }
      for (const type of [withMark('selfieMARK', bad), withMark('MARK', bad), withMark('selMARKfie', bad)]) {
        const f = form([{ name: 'type', value: type }, ...validParts('selfie').slice(1)]);
        add(`type not UTF-8 (${kind})`, [request({ body: f.body, contentType: f.contentType })], { errors: invalid('type is not valid UTF-8') });
      }
      for (const body of [
        withMark(JSON.stringify({ ...urlBody, type: 'MARKselfie' }), bad),
        withMark(JSON.stringify({ ...urlBody, metadata: { ...METADATA.selfie, verifier: 'MARK' } }), bad),
        withMark(JSON.stringify({ ...urlBody, selfie_url: 'https://files.example/MARK.jpg' }), bad),
      ]) {
        add(`JSON route not UTF-8 (${kind})`, [request({ path: URL_PATH, body, contentType: 'application/json' })], { errors: invalid('the body is not valid UTF-8') });
      }
    }
  }

  // 5c. Duplicate JSON keys at random depths of metadata and of the JSON route's body.
  const nested = fc.array(fc.constantFrom('a', 'b', 'verifier_response', 'x y', 'é'), { minLength: 0, maxLength: 4 });
  for (const [i, path] of sample(nested, 60, 12).entries()) {
    // verifier_response holds any JSON: nest objects under it and repeat a key at the bottom.
    let inner = `{"k${i}":1,"k${i}":2}`;
    for (const key of [...path].reverse()) inner = `{${JSON.stringify(key)}:${inner}}`;
    const metadata = JSON.stringify({ ...METADATA.selfie, verifier_response: 'MARK' }).replace('"MARK"', inner);
    const where = ['metadata', 'verifier_response', ...path].join('.');
    const f = form([{ name: 'type', value: 'selfie' }, { name: 'metadata', value: metadata, contentType: 'application/json' }, ...FILES.selfie]);
    add('duplicate JSON keys (metadata)', [request({ body: f.body, contentType: f.contentType })], { errors: invalid(`${where} has duplicate key "k${i}"`) });
    const body = Buffer.from(JSON.stringify({ ...urlBody, metadata: { ...METADATA.selfie, verifier_response: 'MARK' } }).replace('"MARK"', inner));
    add('duplicate JSON keys (JSON route)', [request({ path: URL_PATH, body, contentType: 'application/json' })], { errors: invalid(`${where} has duplicate key "k${i}"`) });
  }
  for (const key of ['type', 'metadata', 'selfie_url']) {
    for (let k = 0; k < 5; k++) {
      const body = Buffer.from(JSON.stringify(urlBody).replace('{', `{${JSON.stringify(key)}:${k},`));
      add('duplicate JSON keys (JSON route)', [request({ path: URL_PATH, body, contentType: 'application/json' })], { errors: invalid(`the body has duplicate key "${key}"`) });
    }
  }

  // 6. Missing and duplicate parts.
  const all = validParts('identity_document');
  for (let mask = 0; mask < 2 ** all.length - 1; mask++) {
    const parts = all.filter((_, i) => mask & (1 << i));
    if (parts.some((p) => p.name === 'front') && parts.some((p) => p.name === 'type') && parts.some((p) => p.name === 'metadata')) continue;
    const f = form(parts);
    add('missing parts', [request({ body: f.body, contentType: f.contentType })]);
  }
  for (const [i, part] of all.entries()) {
    for (let k = 0; k < 10; k++) {
      const parts = [...all];
      parts.splice((i + k) % all.length, 0, part);
      const f = form(parts);
      add('duplicate parts', [request({ body: f.body, contentType: f.contentType })]);
    }
  }

  // 7. Bad nonces and garbage signatures.
  const nonceArb = fc.oneof(
    fc.string({ unit: 'grapheme-ascii', maxLength: 30 }).filter((s) => !/^[0-9]{1,20}$/.test(s) && !/^\s|\s$/.test(s) && s.length > 0),
    fc.bigInt({ min: 2n ** 64n, max: 2n ** 80n }).map(String),
    fc.constantFrom('-1', '1.5', '1e9', '0x10', '+5'),
  );
  for (const nonce of sample(nonceArb, 100, 7)) {
    add('bad nonce', [request({ body: valid.body, contentType: valid.contentType, nonce })]);
  }
  // Valid-looking but already used (replayed) nonces.
  for (let i = 0; i < 20; i++) add('replayed nonce', [request({ body: valid.body, contentType: valid.contentType, nonce: String(1000 + i) })]);
  const signatureArb = fc.oneof(
    fc.base64String({ minLength: 4, maxLength: 120 }),
    fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 90 }).filter((s) => !/^\s|\s$/.test(s)),
  );
  for (const signature of sample(signatureArb, 100, 8)) {
    add('garbage signature', [request({ body: valid.body, contentType: valid.contentType, signature })]);
  }
  for (let i = 0; i < 20; i++) {
    add('signature over other bytes', [request({ body: valid.body, contentType: valid.contentType, signedBody: Buffer.concat([valid.body, Buffer.from([i])]) })]);
  }
  for (let i = 0; i < 10; i++) add('missing auth header', [request({ body: valid.body, contentType: valid.contentType, headers: { 'API-Key': '' } })]);

  // 8. Huge Content-Length with a short body: over the limit (answered at once) or under it (timeout).
  for (let i = 0; i < 30; i++) {
    add('huge Content-Length', [request({ body: valid.body.subarray(0, 100), contentType: valid.contentType, contentLength: 10 ** 12 + i })]);
  }
  for (let i = 0; i < 10; i++) {
    add('Content-Length longer than body', [request({ body: valid.body.subarray(0, 100), contentType: valid.contentType, contentLength: 100_000 + i })]);
  }

  // 9. Slowloris: headers trickled slower than the headers timeout; or a body that stalls.
  for (let i = 0; i < 10; i++) {
    const head = request({ body: valid.body, contentType: valid.contentType }).toString('latin1').slice(0, 60);
    const pieces: Piece[] = [];
    for (const ch of head.slice(0, 12)) pieces.push(ch, { wait: 80 });
    add('slowloris headers', pieces);
  }
  for (let i = 0; i < 5; i++) {
    const full = request({ body: valid.body, contentType: valid.contentType });
    add('stalled body', [full.subarray(0, full.length - 50), { wait: 4000 }, full.subarray(full.length - 50)]);
  }

  // 10. Random bytes and broken HTTP.
  for (const bytes of sample(fc.uint8Array({ minLength: 1, maxLength: 300 }), 100, 10)) {
    add('random bytes', [Buffer.from(bytes), '\r\n\r\n'], { protocolError: true });
  }
  for (const bytes of sample(fc.uint8Array({ minLength: 1, maxLength: 400 }), 60, 11)) {
    const f = request({ body: Buffer.from(bytes), contentType: valid.contentType });
    add('random body', [f]);
  }
  const brokenHttp = [
    'GET / HTTP/1.1\r\n\r\n',
    'POST /b2b/verifications/x HTTP/9.9\r\nHost: x\r\n\r\n',
    `POST ${PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    `POST ${PATH} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`,
    `POST ${PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`,
    `POST ${PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    `POST ${PATH} HTTP/1.1\r\nHo st: x\r\n\r\n`,
    `POST ${PATH}\r\n\r\n`,
    `POST http://evil.example${PATH} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `BREW ${PATH} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `POST ${PATH} HTTP/1.1\r\nHost: x\r\nAPI-Key: a\x00b\r\n\r\n`,
    `POST ${PATH}/../../etc HTTP/1.1\r\nHost: x\r\n\r\n`,
    `POST /b2b/verifications/%FF%FE%00 HTTP/1.1\r\nHost: x\r\n\r\n`,
    `DELETE ${PATH} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `GET /b2b/users/${USER}/x HTTP/1.1\r\nHost: x\r\n\r\n`,
  ];
  for (const text of brokenHttp) for (let k = 0; k < 4; k++) add('broken HTTP', [text], { protocolError: true });
  // Signed requests to valid routes with broken path parameters.
  for (const user of ['short', 'x'.repeat(60), '%E0%A4%A', '%00%00%00%00%00%00%00%00', 'A%2FB%2FC%2FD%2FE%2FF%2FG']) {
    for (let k = 0; k < 4; k++) {
      const f = form(validParts('selfie'));
      add('bad user parameter', [request({ path: `/b2b/verifications/${user}`, body: f.body, contentType: f.contentType })]);
    }
  }
  return cases;
}

async function pool<T, R>(items: T[], concurrency: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await run(items[index]!);
      }
    }),
  );
  return results;
}

describe('malformed input', () => {
  it('answers every malformed request with a 4xx (or closes on protocol errors) and keeps serving', async () => {
    // Use up nonces 1000..1019 so the 'replayed nonce' cases are replays.
    for (let i = 0; i < 20; i++) {
      expect((await submit(sandbox, validParts('selfie'), { nonce: String(1000 + i) })).status).toBe(200);
    }
    // Reset the monotonic helper above the replayed range (it is epoch-based, so already far above).
    const cases = buildCases();
    expect(cases.length).toBeGreaterThanOrEqual(1000);

    const outcomes = await pool(cases, 24, async (c) => ({
      c,
      outcome: (await raw(sandbox.url, c.pieces, { timeout: 10_000, ...(c.endWrite ? { endWrite: true } : {}) })) as RawOutcome,
    }));

    const summary = new Map<string, { total: number; status4xx: number; closed: number; statuses: Set<number> }>();
    const failures: string[] = [];
    for (const { c, outcome } of outcomes) {
      const row = summary.get(c.category) ?? { total: 0, status4xx: 0, closed: 0, statuses: new Set<number>() };
      summary.set(c.category, row);
      row.total++;
      if (outcome.status !== undefined && outcome.status >= 400 && outcome.status < 500) {
        row.status4xx++;
        row.statuses.add(outcome.status);
        // Every answer is Kraken's envelope.
        // raw() reads bytes as latin1; the body is UTF-8.
        const body = Buffer.from(outcome.text.slice(outcome.text.indexOf('\r\n\r\n') + 4), 'latin1').toString('utf8');
        const parsed = JSON.parse(body) as { error?: unknown };
        if (!Array.isArray(parsed.error) || !/^E[A-Za-z]+:/.test(String(parsed.error[0]))) failures.push(`${c.category}: bad envelope ${body}`);
        if (c.errors && (outcome.status !== 400 || JSON.stringify(parsed) !== JSON.stringify({ error: c.errors }))) {
          failures.push(`${c.category}: expected 400 ${JSON.stringify(c.errors)}, got ${outcome.status} ${body}`);
        }
      } else if (outcome.status === undefined && outcome.end === 'closed' && c.protocolError) {
        row.closed++;
      } else {
        failures.push(`${c.category}: status ${outcome.status} end ${outcome.end}: ${outcome.text.slice(0, 200)}`);
      }
    }
    const total = outcomes.length;
    const got4xx = [...summary.values()].reduce((n, r) => n + r.status4xx, 0);
    const closed = [...summary.values()].reduce((n, r) => n + r.closed, 0);
    console.log(
      [
        `malformed requests: ${total}, answered 4xx: ${got4xx}, closed by the server without a response (protocol errors): ${closed}`,
        ...[...summary].map(
          ([name, r]) => `  ${name.padEnd(38)} ${String(r.total).padStart(4)}  4xx ${String(r.status4xx).padStart(4)} [${[...r.statuses].sort().join(',')}]  closed ${r.closed}`,
        ),
      ].join('\n'),
    );
    expect(failures).toEqual([]);
    expect(got4xx + closed).toBe(total);

    // Still serving: a valid request succeeds, and nothing malformed was recorded.
    const before = sandbox.submissions().length;
    const ok = await submit(sandbox, validParts('identity_document'));
    expect(ok.status, ok.text).toBe(200);
    expect(sandbox.submissions().length).toBe(before + 1);
    expect(sandbox.submissions().length).toBe(21);
  }, 120_000);
});
