/**
 * fast-check arbitraries derived from the generator's own schema model: valid values of a
 * schema, and mutations that usually make them invalid (dropped fields, wrong types, bad enum
 * values, impossible dates, extra properties, empty strings).
 */
import fc from 'fast-check';
import type { NamedSchema, Schema } from '../../src/model/types.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const daysIn = (y: number, m: number) =>
  m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/** A real calendar date, YYYY-MM-DD. */
export const validDate = fc
  .record({ y: fc.integer({ min: 0, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .map(({ y, m, d }) => `${pad(y, 4)}-${pad(m)}-${pad(Math.min(d, daysIn(y, m)))}`);

/** An RFC 3339 date-time both validators accept (including lower-case t/z and leap seconds at 23:59 UTC). */
export const validDateTime = fc
  .record({
    date: validDate,
    t: fc.constantFrom('T', 't'),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
    frac: fc.option(fc.integer({ min: 0, max: 999_999 }).map((n) => `.${n}`), { nil: '' }),
    zone: fc.oneof(
      fc.constantFrom('Z', 'z'),
      fc.record({ sign: fc.constantFrom('+', '-'), h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) }).map((o) => `${o.sign}${pad(o.h)}:${pad(o.m)}`),
    ),
    leap: fc.boolean(),
  })
  .map(({ date, t, h, mi, s, frac, zone, leap }) =>
    leap && (zone === 'Z' || zone === 'z') ? `${date}${t}23:59:60${frac}${zone}` : `${date}${t}${pad(h)}:${pad(mi)}:${pad(s)}${frac}${zone}`,
  );

/** Strings that break formats, enums and lengths (none of the documented ajv-formats differences). */
export const trickyStrings = fc.constantFrom(
  '',
  ' ',
  'XX',
  'us',
  'US ',
  'Passport',
  'cleared',
  '2023-02-30',
  '2023-02-29',
  '1900-02-29',
  '2023-04-31',
  '2023-13-01',
  '2023-00-01',
  '2023-01-32',
  '2023-1-1',
  '20230101',
  '2023-01-01T00:00:00Z',
  '2024-04-15T24:00:00Z',
  '2024-04-15T10:60:00Z',
  '2024-04-15T10:00:61Z',
  '2024-04-15T10:00:60Z',
  '2024-04-15T23:59:60+01:00',
  '2024-04-15T10:00:00',
  '2024-04-15T10:00:00+24:00',
  '2024-04-15T10:00:00+02:60',
  '2024-02-30T10:00:00Z',
  '2024-04-15T10:00:00.Z',
  '2024-04-15T10:00Z',
  '2024-04-15',
  'https://files.partner.example/a.jpg',
  'not a uri',
  '//no-scheme.example/x',
  '😀',
  'é',
);

/** A value of another JSON type than `value`. */
function otherType(value: unknown): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [];
  if (typeof value !== 'string') options.push(fc.string({ maxLength: 5 }));
  if (typeof value !== 'number') options.push(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })));
  if (typeof value !== 'boolean') options.push(fc.boolean());
  if (value !== null) options.push(fc.constant(null));
  if (!Array.isArray(value)) options.push(fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) options.push(fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }));
  return fc.oneof(...options);
}

/** Builds arbitraries of valid values for the named schemas of a model. */
export class SchemaArbitraries {
  readonly #byName: Map<string, NamedSchema>;
  readonly #cache = new Map<string, fc.Arbitrary<unknown>>();

  constructor(schemas: readonly NamedSchema[]) {
    this.#byName = new Map(schemas.map((s) => [s.name, s]));
  }

  named(name: string): fc.Arbitrary<unknown> {
    let arb = this.#cache.get(name);
    if (!arb) {
      const named = this.#byName.get(name);
      if (!named) throw new Error(`no schema ${name}`);
      arb = this.valid(named.schema);
      this.#cache.set(name, arb);
    }
    return arb;
  }

  valid(schema: Schema): fc.Arbitrary<unknown> {
    switch (schema.kind) {
      case 'ref':
        return this.named(schema.name);
      case 'any':
        return fc.jsonValue({ maxDepth: 2 });
      case 'enum':
        return fc.constantFrom(...schema.values);
      case 'string': {
        if (schema.const !== undefined) return fc.constant(schema.const);
        if (schema.enum) return fc.constantFrom(...schema.enum);
        if (schema.format === 'date') return validDate;
        if (schema.format === 'date-time') return validDateTime;
        if (schema.format === 'uri') return fc.webUrl();
        const minLength = schema.minLength ?? 0;
        const maxLength = schema.maxLength ?? Math.max(minLength, 12);
        return fc.oneof(
          fc.string({ minLength, maxLength }),
          fc.string({ minLength, maxLength, unit: 'binary' }),
          fc.string({ minLength, maxLength, unit: 'grapheme' }).filter((s) => [...s].length >= minLength && [...s].length <= maxLength),
        );
      }
      case 'number':
        return schema.enum ? fc.constantFrom(...schema.enum) : fc.double({ noNaN: true, noDefaultInfinity: true });
      case 'integer':
        return schema.enum ? fc.constantFrom(...schema.enum) : fc.integer();
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(schema.items ? this.valid(schema.items) : fc.jsonValue({ maxDepth: 1 }), { maxLength: schema.maxItems ?? 3 });
      case 'oneOf':
        return fc.oneof(...schema.variants.map((v) => this.named(v.name)));
      case 'json':
        throw new Error(`no generator of valid values for general schemas (${schema.pointer}); the oracle tests compare them with Ajv instead`);
      case 'object': {
        const required = Object.fromEntries(schema.properties.filter((p) => p.required).map((p) => [p.name, this.valid(p.schema)]));
        const optional = schema.properties.filter((p) => !p.required);
        const optionalArb = fc.record(Object.fromEntries(optional.map((p) => [p.name, this.valid(p.schema)])), {
          requiredKeys: [],
        });
        let arb = fc.tuple(fc.record(required), optionalArb).map(([r, o]) => ({ ...r, ...o }) as Record<string, unknown>);
        if (schema.minProperties !== undefined && schema.minProperties > 0) {
          arb = arb.filter((o) => Object.keys(o).length >= schema.minProperties!);
        }
        return arb;
      }
    }
  }
}

type Path = (string | number)[];

/** Every location in a JSON-like value (objects and arrays included), with the value there. */
function locations(value: unknown, path: Path = [], out: { path: Path; value: unknown }[] = []): { path: Path; value: unknown }[] {
  out.push({ path, value });
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) locations(v, [...path, i], out);
  }
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) locations(v, [...path, k], out);
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[head!] = setAt(copy[head!], rest, value);
  return copy;
}

function deleteAt(root: unknown, path: Path): unknown {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    if (Array.isArray(root)) return root.filter((_, i) => i !== head);
    const copy = { ...(root as Record<string, unknown>) };
    delete copy[head as string];
    return copy;
  }
  const copy = (Array.isArray(root) ? [...root] : { ...(root as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[head!] = deleteAt(copy[head!], rest);
  return copy;
}

/** One mutation of a value: picks a location and breaks it in one of six ways. */
function mutateOnce(value: unknown): fc.Arbitrary<unknown> {
  const all = locations(value);
  const objects = all.filter((l) => l.value !== null && typeof l.value === 'object' && !Array.isArray(l.value));
  const keyed = all.filter((l) => l.path.length > 0);
  const strings = all.filter((l) => typeof l.value === 'string');
  const kinds: fc.Arbitrary<unknown>[] = [];
  if (keyed.length > 0) {
    // Drop a field (often a required one).
    kinds.push(fc.constantFrom(...keyed).map((l) => deleteAt(value, l.path)));
    // Give a node a value of the wrong type.
    kinds.push(fc.constantFrom(...keyed).chain((l) => otherType(l.value).map((v) => setAt(value, l.path, v))));
  }
  if (strings.length > 0) {
    // Bad enum values, impossible dates and date-times, empty strings, odd characters.
    kinds.push(fc.tuple(fc.constantFrom(...strings), trickyStrings).map(([l, s]) => setAt(value, l.path, s)));
  }
  if (objects.length > 0) {
    // An extra property.
    kinds.push(
      fc.tuple(fc.constantFrom(...objects), fc.oneof(fc.constantFrom('extra', 'Verifier', 'type', 'id'), fc.string({ minLength: 1, maxLength: 6 })), fc.jsonValue({ maxDepth: 1 }))
        .map(([l, key, v]) => setAt(value, [...l.path, key], v)),
    );
  }
  if (kinds.length === 0) return otherType(value);
  return fc.oneof(...kinds);
}

/** 1 to 3 mutations of a valid value. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.integer({ min: 1, max: 3 }))
    .chain(([value, n]) => {
      let arb: fc.Arbitrary<unknown> = fc.constant(value);
      for (let i = 0; i < n; i++) arb = arb.chain(mutateOnce);
      return arb;
    });
}
