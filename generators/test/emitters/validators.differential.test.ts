/**
 * Differential property tests: the generated validators and Ajv (Ajv2020 + ajv-formats, compiled
 * at run time from the same spec; `discriminator` and `example` treated as annotations) agree on
 * valid/invalid for generated values: per verification type, 10,000 valid metadata objects and
 * 10,000 mutated ones (dropped fields, wrong types, bad enum values, impossible dates, extra
 * properties, empty strings).
 *
 * Documented differences (the generated validators follow RFC 3339 section 5.6; ajv-formats
 * 3.0.1 is more lenient), asserted explicitly at the end:
 * - a space (or other whitespace) instead of `T`: RFC 3339's grammar requires `T`/`t` (the space
 *   is only mentioned as something applications "may choose" outside the grammar);
 * - offsets without a colon (`+0200`) or without minutes (`+02`): the grammar's `time-numoffset`
 *   is `("+" / "-") time-hour ":" time-minute`;
 * - a leap second with hour or minute fields out of range (`24:59:60+01:00`, `23:60:60+00:01`):
 *   ajv-formats checks only the resulting UTC time; the grammar bounds hour 00-23, minute 00-59.
 * Leap seconds themselves follow ajv-formats: second 60 is valid only at 23:59 UTC.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiModel } from '../../src/model/types.js';
import * as v from '../../../packages/2025-04-15/validators/src/index.js';
import { generate, SPECS } from '../helpers.js';
import { mutated, SchemaArbitraries } from './arbitraries.js';

const RUNS = 10_000;
const ID = 'https://embedkit.test/2025-04-15.json';

function createAjv(): Ajv2020 {
  const document = parse(readFileSync(SPECS['2025-04-15'], 'utf8')) as { components: { schemas: Record<string, unknown> } };
  const defs = JSON.parse(JSON.stringify(document.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/'));
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addKeyword({ keyword: 'discriminator' });
  ajv.addKeyword({ keyword: 'example' });
  ajv.addSchema({ $id: ID, $defs: defs });
  return ajv;
}

type Validate = (value: unknown) => { ok: boolean };
const generated = v as unknown as Record<string, Validate>;

let model: ApiModel;
let ajv: Ajv2020;
let arbs: SchemaArbitraries;

beforeAll(async () => {
  model = (await generate('2025-04-15')).model;
  ajv = createAjv();
  arbs = new SchemaArbitraries(model.schemas);
});

function oracle(name: string): (value: unknown) => boolean {
  const fn = ajv.getSchema(`${ID}#/$defs/${name}`);
  if (!fn) throw new Error(`Ajv has no schema ${name}`);
  return (value) => fn(value) as boolean;
}

/** Runs valid and mutated values of one schema through both validators; returns the tallies. */
function compare(name: string, runs: number, seed: number) {
  const ours = generated[`validate${name}`]!;
  const theirs = oracle(name);
  const is = generated[`is${name}`]!;
  const tally = { valid: 0, invalid: 0 };
  fc.assert(
    fc.property(arbs.named(name), (value) => {
      expect(theirs(value)).toBe(true);
      expect(ours(value).ok).toBe(true);
    }),
    { numRuns: runs, seed },
  );
  tally.valid += runs;
  fc.assert(
    fc.property(mutated(arbs.named(name)), (value) => {
      const a = theirs(value);
      const result = ours(value) as { ok: boolean; issues?: unknown[] };
      expect({ value, ours: result.ok }).toEqual({ value, ours: a });
      // isX agrees with validateX, and a failure always comes with at least one issue.
      expect(is(value)).toBe(result.ok);
      if (!result.ok) expect(result.issues?.length).toBeGreaterThan(0);
      if (a) tally.valid++;
      else tally.invalid++;
    }),
    { numRuns: runs, seed: seed + 1 },
  );
  return tally;
}

describe('generated validators agree with Ajv', () => {
  const metadataOf = (m: ApiModel) =>
    m.operations
      .flatMap((op) => op.requestBody?.multipart?.variants ?? [])
      .map((variant) => {
        const part = variant.parts.find((p) => p.kind === 'json');
        return { type: variant.value, schema: part?.schema.kind === 'ref' ? part.schema.name : '' };
      });

  it('covers the metadata of every verification type', () => {
    expect(metadataOf(model).map((m) => m.type)).toEqual(['identity_document', 'residence_document', 'tax_id_document', 'selfie', 'watchlists']);
  });

  for (const [i, type] of ['identity_document', 'residence_document', 'tax_id_document', 'selfie', 'watchlists'].entries()) {
    it(`on ${RUNS} valid and ${RUNS} mutated ${type} metadata objects`, () => {
      const entry = metadataOf(model).find((m) => m.type === type)!;
      const tally = compare(entry.schema, RUNS, 2025_04_15 + i * 10);
      // The mutations must mostly produce invalid values, or the test proves little.
      expect(tally.invalid).toBeGreaterThan(RUNS * 0.6);
    });
  }

  it.each(['SubmitVerificationFromUrlsRequest', 'GetUserResponse', 'SubmitVerificationResponse', 'ErrorResponse'])(
    'on 2,000 valid and 2,000 mutated %s values',
    (name) => {
      const tally = compare(name, 2000, 99);
      expect(tally.invalid).toBeGreaterThan(200);
    },
  );
});

describe('documented differences with ajv-formats (RFC 3339 section 5.6)', () => {
  it.each([
    ['2024-04-15 10:00:00Z', 'a space instead of T'],
    ['2024-04-15\t10:00:00Z', 'a tab instead of T'],
    ['2024-04-15T10:00:00+0200', 'an offset without a colon'],
    ['2024-04-15T10:00:00+02', 'an offset without minutes'],
    ['2016-12-31T24:59:60+01:00', 'a leap second written with hour 24'],
    ['2016-12-31T23:60:60+00:01', 'a leap second written with minute 60'],
  ])('%s (%s): Ajv accepts it, the generated validator rejects it', (value) => {
    expect(oracle('DateTime')(value)).toBe(true);
    expect(v.validateDateTime(value)).toMatchObject({ ok: false, issues: [{ rule: 'format:date-time' }] });
  });

  it('agrees on leap seconds: second 60 only at 23:59 UTC', () => {
    for (const [value, valid] of [
      ['2016-12-31T23:59:60Z', true],
      ['2017-01-01T00:59:60+01:00', true],
      ['2016-12-31T18:59:60-05:00', true],
      ['2016-12-31T22:59:60Z', false],
      ['2016-12-31T23:59:60+01:00', false],
    ] as const) {
      expect([value, oracle('DateTime')(value)]).toEqual([value, valid]);
      expect([value, v.isDateTime(value)]).toEqual([value, valid]);
    }
  });
});
