/**
 * The oracle: generated validators against Ajv 2020 (+ ajv-formats, full mode) on random schemas
 * and random data (fast-check, seeded), one keyword family per test, 10,000 cases each: every
 * case is a random schema of the family (200 per family, compiled by the real normalizer and
 * emitter into one module) and a random value; both must agree on valid/invalid, and when ours
 * says invalid it must report at least one issue with a path, a rule and a message.
 *
 * Documented disagreements (each asserted to be the only reason of a difference, see
 * `documented` below), where the generated validators follow the standard and Ajv does not:
 * - `multipleOf` is decimal-exact: 0.3 is a multiple of 0.1 (Ajv divides in binary floating
 *   point, 0.3 / 0.1 = 2.9999999999999996, and says no).
 * - `format: date-time`/`time`: RFC 3339's grammar requires `T` and a colon in offsets; Ajv
 *   (ajv-formats) also accepts a space and `+0200`/`+02`.
 * - `format: uri`/`uri-reference`: RFC 3986's port is digits only; ajv-formats accepts
 *   `http://example.com:abc/path` (read as an empty authority and a path).
 * - `contains` beside `prefixItems` with non-trivial items: Ajv 8.20 accepts arrays with fewer
 *   matches than `minContains` (default 1): `{prefixItems: [{type: 'null'}], contains: {maxLength: 2}}`
 *   and `{prefixItems: [true, {maxLength: 0}], contains: {minimum: 1}, minContains: 2}` accept `[]`,
 *   while without the `prefixItems` Ajv rejects it; 2020-12 section 10.3.1.3 requires at least
 *   `minContains` matching items, whatever else the schema says.
 *
 * Values are JSON (each generated value goes through JSON.stringify/parse, so objects have the
 * plain prototype that Ajv's deep equality compares).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Compiled, compileSchemas } from './oracle-helpers.js';

const CASES = Number(process.env['ORACLE_CASES'] ?? 10_000);
const SCHEMAS = Number(process.env['ORACLE_SCHEMAS'] ?? 200);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv;
}

// --- data --------------------------------------------------------------------------------------

const KEYS = ['a', 'b', 'c', 'x1', 'foo', 'aa'];
const STRINGS = [
  '', 'a', 'ab', 'abc', 'b', 'aaaa', 'foo', '😀', '😀😀', 'é', '2024-02-29', '2023-02-29', '2024-04-15T10:00:00Z', '2024-04-15 10:00:00Z',
  '2024-04-15T10:00:00+0200', '2024-04-15T23:59:60Z', '10:00:00Z', '10:00:00+02:00', '10:00:00+0200', '25:00:00Z', 'P3D', 'PT1H30M', 'P', 'P1W',
  'a@example.com', 'a@b', 'not an email', 'example.com', '-bad-.com', '192.168.0.1', '256.1.1.1', '::1', '2001:db8::1', ':::',
  'https://example.com/x?y#z', 'http://example.com:abc/path', 'http://example.com:8080/p', '/relative/path', 'mailto:a@b.c', 'a b',
  '123e4567-e89b-12d3-a456-426614174000', '123e4567-e89b-12d3-a456', 'aGVsbG8=', 'aGVsbG8', '!!!', 'x-1', 'X1',
];
const NUMBERS = [0, 1, -1, 2, 3, 5, 10, 0.1, 0.2, 0.3, 0.5, 1.5, 2.5, -0.5, 0.7, 1.1, 100, 2147483647, 2147483648, -2147483648, -2147483649, 1e10, 4.35];

const scalar: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 12 }) },
  { weight: 3, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

const value: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: scalar },
    { weight: 2, arbitrary: fc.array(tie('v'), { maxLength: 4 }) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 4 }) },
  ),
})).v;

// --- schemas -----------------------------------------------------------------------------------

const TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'] as const;
const smallCount = fc.integer({ min: 0, max: 4 });
const bound = fc.constantFrom(-1, 0, 0.5, 1, 2, 2.5, 3, 10);

const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(true, false, {}, { type: 'integer' }, { type: 'string' }, { type: 'number' }, { type: ['null', 'boolean'] }, { const: 1 }, { enum: ['a', 1, null] }),
  fc.record({ minimum: bound }),
  fc.record({ maxLength: smallCount }),
  fc.record({ type: fc.constantFrom(...TYPES) }),
);

/** A record of optional keywords (each present or absent). */
function keywords(parts: Record<string, fc.Arbitrary<Json>>): fc.Arbitrary<Record<string, Json>> {
  return fc.record(parts, { requiredKeys: [] }) as fc.Arbitrary<Record<string, Json>>;
}

function maybeType(types: readonly string[]): Record<string, fc.Arbitrary<Json>> {
  return { type: fc.oneof(fc.constantFrom(...types), fc.subarray([...TYPES], { minLength: 1, maxLength: 3 })) };
}

const FAMILIES: Record<string, fc.Arbitrary<Json>> = {
  numbers: keywords({
    ...maybeType(['number', 'integer']),
    minimum: bound,
    maximum: bound,
    exclusiveMinimum: bound,
    exclusiveMaximum: bound,
    multipleOf: fc.constantFrom(0.1, 0.5, 1, 2, 3, 0.01, 1.5),
    format: fc.constantFrom('int32', 'int64', 'float', 'double'),
  }),
  strings: keywords({
    ...maybeType(['string']),
    minLength: smallCount,
    maxLength: smallCount,
    pattern: fc.constantFrom('^a', 'b$', 'ab', '^ab$', '^[a-z]+$', '\\d', '^\\p{L}+$', '^.{2}$', 'o{2}'),
    format: fc.constantFrom('date', 'date-time', 'time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'uuid', 'byte'),
  }),
  arrays: keywords({
    ...maybeType(['array']),
    items: leaf,
    prefixItems: fc.array(leaf, { minLength: 1, maxLength: 3 }),
    contains: leaf,
    minContains: smallCount,
    maxContains: smallCount,
    minItems: smallCount,
    maxItems: smallCount,
    uniqueItems: fc.boolean(),
  }),
  objects: keywords({
    ...maybeType(['object']),
    properties: fc.dictionary(fc.constantFrom(...KEYS), leaf, { maxKeys: 3 }),
    required: fc.subarray(KEYS, { maxLength: 2 }),
    additionalProperties: leaf,
    patternProperties: fc.dictionary(fc.constantFrom('^a', '1$', '^f'), leaf, { maxKeys: 2 }),
    propertyNames: fc.oneof(fc.record({ maxLength: fc.integer({ min: 1, max: 3 }) }), fc.record({ pattern: fc.constantFrom('^[a-c]+$', '^a') })),
    minProperties: smallCount,
    maxProperties: smallCount,
    dependentRequired: fc.dictionary(fc.constantFrom(...KEYS), fc.subarray(KEYS, { maxLength: 2 }), { maxKeys: 2 }),
    dependentSchemas: fc.dictionary(fc.constantFrom(...KEYS), leaf, { maxKeys: 2 }),
  }),
  applicators: fc.letrec<{ s: Json }>((tie) => ({
    s: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 3, arbitrary: leaf },
      keywords({
        allOf: fc.array(tie('s'), { minLength: 1, maxLength: 3 }),
        anyOf: fc.array(tie('s'), { minLength: 1, maxLength: 3 }),
        oneOf: fc.array(tie('s'), { minLength: 1, maxLength: 3 }),
        not: tie('s'),
        if: tie('s'),
        // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword
        then: tie('s'),
        else: tie('s'),
        type: fc.constantFrom(...TYPES),
      }),
    ),
  })).s,
  'const, enum and type arrays': fc.oneof(
    fc.record({ type: fc.subarray([...TYPES], { minLength: 1, maxLength: 4 }) }),
    fc.record({ const: value }),
    fc.record({ enum: fc.array(value, { minLength: 1, maxLength: 4 }) }),
    keywords({ type: fc.subarray([...TYPES], { minLength: 1, maxLength: 4 }), const: value }),
  ),
  unevaluated: fc.letrec<{ s: Json; inner: Json }>((tie) => ({
    inner: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      keywords({
        properties: fc.dictionary(fc.constantFrom(...KEYS), leaf, { maxKeys: 2 }),
        patternProperties: fc.dictionary(fc.constantFrom('^a', '1$'), leaf, { maxKeys: 1 }),
        additionalProperties: leaf,
        prefixItems: fc.array(leaf, { minLength: 1, maxLength: 2 }),
        items: leaf,
        contains: leaf,
        allOf: fc.array(tie('inner'), { minLength: 1, maxLength: 2 }),
        anyOf: fc.array(tie('inner'), { minLength: 1, maxLength: 2 }),
        oneOf: fc.array(tie('inner'), { minLength: 1, maxLength: 2 }),
        if: tie('inner'),
        // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword
        then: tie('inner'),
        else: tie('inner'),
        dependentSchemas: fc.dictionary(fc.constantFrom(...KEYS), tie('inner'), { maxKeys: 1 }),
        unevaluatedProperties: leaf,
        unevaluatedItems: leaf,
      }),
    ),
    s: fc.tuple(tie('inner'), keywords({ unevaluatedProperties: leaf, unevaluatedItems: leaf })).map(([inner, u]) =>
      typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? { ...inner, ...u } : { allOf: [inner], ...u },
    ),
  })).s,
  'refs and recursion': fc
    .tuple(
      keywords({ minProperties: smallCount, required: fc.subarray(KEYS, { maxLength: 1 }), unevaluatedProperties: leaf }),
      leaf,
      fc.boolean(),
    )
    .map(([beside, other, viaDefs]) => ({
      // A tree: every property value is a tree or an integer; keywords beside the $ref.
      $ref: viaDefs ? '#/components/schemas/Tree/$defs/node' : '#/components/schemas/Tree',
      ...beside,
      properties: { foo: other },
    })),
};

/** Component schemas every schema of a family may reference. */
const SHARED: Record<string, Json> = {
  Tree: {
    type: ['object', 'integer'],
    additionalProperties: { $ref: '#/components/schemas/Tree' },
    $defs: { node: { type: 'object', maxProperties: 3 } },
  },
};

/** True when a disagreement is one the file's header documents. */
function documented(schema: Json, data: Json, ours: boolean, ajv: boolean): boolean {
  const text = JSON.stringify(schema);
  const strings: string[] = [];
  const numbers: number[] = [];
  const walk = (v: Json) => {
    if (typeof v === 'string') strings.push(v);
    else if (typeof v === 'number') numbers.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(data);
  // Ours stricter than ajv-formats on RFC 3339 and RFC 3986, and than Ajv on contains beside prefixItems.
  if (!ours && ajv) {
    if (/"prefixItems"/.test(text) && /"contains"/.test(text)) return true;
    if (/"format":"(date-time|time)"/.test(text) && strings.some((s) => / |[+-]\d\d\d\d$|[+-]\d\d$/.test(s))) return true;
    if (/"format":"uri(-reference)?"/.test(text) && strings.some((s) => /:\/\/[^/]*:[^\d/][^/]*/.test(s))) return true;
  }
  // Decimal-exact multipleOf: accepting a decimal multiple that binary division misses flips either way through not/oneOf.
  if (/"multipleOf"/.test(text)) {
    const m = [...text.matchAll(/"multipleOf":([\d.e-]+)/g)].map((x) => Number(x[1]));
    if (numbers.some((n) => m.some((d) => !Number.isInteger(n / d) && Number.isInteger(Math.round(n / d)) && Math.abs(Math.round(n / d) - n / d) < 1e-9)))
      return true;
  }
  return false;
}

describe.each(Object.keys(FAMILIES))('oracle: %s', (family) => {
  it(`agrees with Ajv on ${CASES.toLocaleString('en')} random schema/value pairs`, async () => {
    const seed = [...family].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);
    const schemas = fc.sample(FAMILIES[family]!, { numRuns: SCHEMAS, seed });
    const ours: Compiled = await compileSchemas({ ...SHARED, ...Object.fromEntries(schemas.map((s, i) => [`S${i}`, s])) });
    const ajv = createAjv();
    ajv.addSchema({ $id: 'https://oracle.test/shared', $defs: JSON.parse(JSON.stringify(SHARED).replaceAll('#/components/schemas/', 'https://oracle.test/shared#/$defs/')) });
    const theirs = schemas.map((s) =>
      ajv.compile(JSON.parse(JSON.stringify(s).replaceAll('"#/components/schemas/', '"https://oracle.test/shared#/$defs/'))),
    );
    const tally = { valid: 0, invalid: 0, documented: 0 };
    // Values the schemas name (const and enum members) are drawn too, so that they also match.
    const named = new Set<string>();
    JSON.stringify(schemas, (key, v) => {
      if (key === 'const') named.add(JSON.stringify(v));
      if (key === 'enum' && Array.isArray(v)) for (const x of v) named.add(JSON.stringify(x));
      return v;
    });
    const data = named.size === 0 ? value : fc.oneof(value, fc.constantFrom(...[...named].map((x) => JSON.parse(x) as Json)));
    fc.assert(
      fc.property(fc.nat(SCHEMAS - 1), data, (i, generated) => {
        const data = JSON.parse(JSON.stringify(generated)) as Json;
        const expected = theirs[i]!(data) as boolean;
        const result = ours[`validateS${i}`]!(data);
        if (result.ok !== expected) {
          if (!documented(schemas[i]!, data, result.ok, expected)) {
            throw new Error(`disagreement: ${JSON.stringify({ schema: schemas[i], data, ours: result.ok, ajv: expected })}`);
          }
          tally.documented++;
        }
        if (result.ok) tally.valid++;
        else {
          tally.invalid++;
          expect(result.issues!.length).toBeGreaterThan(0);
          for (const issue of result.issues!) expect(typeof issue.path === 'string' && issue.rule !== '' && issue.message !== '').toBe(true);
        }
        expect(ours[`isS${i}`]!(data)).toBe(result.ok);
      }),
      { numRuns: CASES, seed },
    );
    // Both outcomes are exercised in every family.
    expect(tally.valid).toBeGreaterThan(CASES / 50);
    expect(tally.invalid).toBeGreaterThan(CASES / 50);
    console.log(`oracle ${family}: ${JSON.stringify(tally)}`);
  });
});
