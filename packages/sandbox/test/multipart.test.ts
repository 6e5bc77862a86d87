// The multipart reader on its own: the same parts however the body is split into chunks (the
// delimiter, the part headers and the content may each straddle chunks), and never an internal
// error on damaged bodies.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, loadSpec } from '../src/index.js';
import { readMultipart } from '../src/multipart.js';
import { validParts } from './fixtures.js';
import { multipart } from './helpers.js';

const body = loadSpec({ apiVersion: '2025-04-15' }).operations.find((op) => op.operationId === 'submitVerification')!.body!;

/** A request that delivers `chunks` one 'data' event each. */
function fakeRequest(chunks: Buffer[], contentType: string): IncomingMessage {
  const stream = Readable.from(chunks, { objectMode: false });
  const req = stream as unknown as IncomingMessage & { complete: boolean };
  req.headers = { 'content-type': contentType };
  req.complete = false;
  stream.once('end', () => {
    req.complete = true;
  });
  return req;
}

/** Splits `bytes` at the given cut points. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const point of [...points, bytes.length]) {
    if (point > at) chunks.push(bytes.subarray(at, point));
    at = point;
  }
  return chunks;
}

async function read(chunks: Buffer[], contentType: string) {
  const outcome = await readMultipart(fakeRequest(chunks, contentType), createHash('sha256'), body, DEFAULT_LIMITS, undefined);
  if (outcome.kind !== 'complete') return { kind: outcome.kind };
  return {
    kind: outcome.kind,
    fields: Object.fromEntries(outcome.fields),
    files: [...outcome.files.values()].map((f) => [f.part, f.filename, f.contentType, f.size, f.sha256]),
    problems: outcome.problems,
  };
}

describe('readMultipart', () => {
  const form = multipart([...validParts('identity_document'), { name: 'verifier_response', value: Buffer.from('--not-a-boundary\r\n--'), filename: 'r.txt' }]);

  it('reads the same parts however the body is chunked', async () => {
    const whole = await read([form.body], form.contentType);
    expect(whole.problems).toEqual([]);
    expect(whole.files?.map((f) => f[0])).toEqual(['front', 'back', 'verifier_response']);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 40 }), async (cuts) => {
        expect(await read(split(form.body, cuts), form.contentType)).toEqual(whole);
      }),
      { numRuns: 300, seed: 7 },
    );
    // One byte per chunk.
    expect(await read(split(form.body, [...form.body.keys()]), form.contentType)).toEqual(whole);
  });

  it('never throws on a damaged body, however chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.nat(),
        async (edits, cuts, truncate) => {
          const damaged = Buffer.from(form.body);
          for (const { at, byte } of edits) damaged[at % damaged.length] = byte;
          const result = await read(split(damaged.subarray(0, damaged.length - (truncate % 8)), cuts), form.contentType);
          // Never an internal error (a throw in the parser answers 500 as 'fatal'): limits are far away.
          expect(result.kind).toBe('complete');
        },
      ),
      { numRuns: 400, seed: 8 },
    );
  });
});
