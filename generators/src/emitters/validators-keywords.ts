/**
 * The validators emitter's table of JSON Schema keyword handlers, for general schemas
 * (`kind: 'json'`, see model/types.ts). Each handler writes, for one keyword, the statements of
 * the check function (`return false` on failure, nothing allocated) and of the collector (push
 * every issue with its path, rule and message), and, where the keyword evaluates properties or
 * items, its annotation for `unevaluatedProperties`/`unevaluatedItems`. Supporting a keyword
 * touches its handler here, its form check in model/schema.ts, and its tests.
 *
 * Generated code for a general schema `B`:
 * `c_B(v)`: the type check, then one block per instance type (`string`, `number`, `array`,
 * `object`) with the keywords that apply to it, then the in-place applicators;
 * `e_B(v, p, out)`: the same shape, pushing issues; `m_B(v, ev)` (only when some
 * `unevaluated*` needs it): what B evaluated on a valid value.
 *
 * @module
 */
import { isIdentifier } from '../model/names.js';
import type { GeneralSchema, JsonType, Schema } from '../model/types.js';

/** What the handlers need from the code generator. */
export interface KeywordCodegen {
  /** A boolean expression: `x` is valid against `schema` (inlined, or a call of its check function). */
  check(schema: Schema, x: string, hint: string): string;
  /** The name of the unit holding `schema`'s functions (`c_<name>`, `e_<name>`, `m_<name>`). */
  unitOf(schema: Schema, hint: string): string;
  /** Collector statements pushing `x`'s issues at `path` (run only when the check failed). */
  collect(schema: Schema, x: string, path: string, hint: string): string;
  /** A module-level constant with this initializer, e.g. a RegExp or a JSON value; returns its name. */
  constant(hint: string, initializer: string, type?: string): string;
  /** A `Set` constant of primitive values. */
  set(hint: string, values: readonly (string | number | boolean | null)[]): string;
  /** Statements adding what `schema` evaluates on a valid `x` to `ev` (empty when nothing). */
  mark(schema: Schema, x: string, ev: string, hint: string): string[];
}

/** One handler's input: the schema, the unit's base name, and the generator. */
export interface KeywordInput {
  readonly s: GeneralSchema;
  readonly base: string;
  readonly gen: KeywordCodegen;
}

/** Lines of code for each function of a general schema. */
export interface KeywordCode {
  readonly check?: readonly string[];
  readonly collect?: readonly string[];
  readonly mark?: readonly string[];
}

/** The instance type a keyword's block applies to (`any`: every value, after the type blocks). */
export type KeywordGroup = 'any' | 'string' | 'number' | 'array' | 'object' | 'applicator' | 'unevaluated';

export interface KeywordHandler {
  readonly group: KeywordGroup;
  readonly emit: (input: KeywordInput) => KeywordCode;
}

/** A single-quoted string literal. */
export function lit(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

/** `o.name`, or a safe access for keys that are not identifiers or that Object.prototype has. */
export function propertyAccess(object: string, name: string): string {
  if (name in Object.prototype) return `(Object.hasOwn(${object}, ${JSON.stringify(name)}) ? ${object}[${JSON.stringify(name)}] : undefined)`;
  return isIdentifier(name) ? `${object}.${name}` : `${object}[${JSON.stringify(name)}]`;
}

/** The path expression of property `name` under `p`. */
function propPath(p: string, name: string): string {
  return isIdentifier(name) ? `dot(${p}, ${JSON.stringify(name)})` : `at(${p}, ${JSON.stringify(name)})`;
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_$]/g, '_');
}

const TYPE_TEST: Record<JsonType, (x: string) => string> = {
  string: (x) => `typeof ${x} === 'string'`,
  number: (x) => `(typeof ${x} === 'number' && Number.isFinite(${x}))`,
  integer: (x) => `Number.isInteger(${x})`,
  boolean: (x) => `typeof ${x} === 'boolean'`,
  null: (x) => `${x} === null`,
  object: (x) => `(typeof ${x} === 'object' && ${x} !== null && !Array.isArray(${x}))`,
  array: (x) => `Array.isArray(${x})`,
};

const TYPE_WORD: Record<JsonType, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  null: 'null',
  object: 'an object',
  array: 'an array',
};

/** The string formats the validators check, as expressions over a string `x`. */
const STRING_FORMATS: Record<string, { test: (x: string) => string; what: string }> = {
  date: { test: (x) => `checkDate(${x})`, what: 'a real calendar date (YYYY-MM-DD)' },
  'date-time': { test: (x) => `checkDateTime(${x})`, what: 'an RFC 3339 date-time with Z or an offset, such as 2024-04-15T10:00:00Z' },
  time: { test: (x) => `checkTime(${x})`, what: 'an RFC 3339 time with Z or an offset, such as 10:00:00Z' },
  duration: { test: (x) => `DURATION.test(${x})`, what: 'an ISO 8601 duration, such as P3D or PT1H30M' },
  email: { test: (x) => `EMAIL.test(${x})`, what: 'an email address' },
  hostname: { test: (x) => `HOSTNAME.test(${x})`, what: 'a host name' },
  ipv4: { test: (x) => `IPV4.test(${x})`, what: 'an IPv4 address' },
  ipv6: { test: (x) => `IPV6.test(${x})`, what: 'an IPv6 address' },
  uri: { test: (x) => `checkUri(${x})`, what: 'an absolute URI, such as https://example.com/file.jpg' },
  'uri-reference': { test: (x) => `checkUriReference(${x})`, what: 'a URI or relative reference' },
  uuid: { test: (x) => `UUID.test(${x})`, what: 'a UUID' },
  byte: { test: (x) => `BYTE.test(${x})`, what: 'base64 data' },
};

/** The number formats the validators check, as expressions over a number `x`. */
const NUMBER_FORMATS: Record<string, { test: (x: string) => string; what: string }> = {
  int32: { test: (x) => `checkInt32(${x})`, what: 'a 32-bit integer' },
  int64: { test: (x) => `Number.isInteger(${x})`, what: 'a 64-bit integer' },
};

function isPrimitive(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** A JSON value as a TypeScript expression. */
function json(v: unknown): string {
  return JSON.stringify(v);
}

/** An expression: `x` deep-equals the constant value (primitives by `===`). */
function equalsValue(gen: KeywordCodegen, hint: string, value: unknown, x: string): string {
  if (isPrimitive(value)) return `${x} === ${json(value)}`;
  return `deepEqual(${x}, ${gen.constant(hint, json(value), 'unknown')})`;
}

function enumTest(gen: KeywordCodegen, hint: string, values: readonly unknown[], x: string): string {
  if (values.length === 0) return 'false';
  if (values.every(isPrimitive)) return values.length === 1 ? `${x} === ${json(values[0])}` : `${gen.set(hint, values)}.has(${x})`;
  return `deepIncludes(${gen.constant(hint, json(values), 'readonly unknown[]')}, ${x})`;
}

function pushIf(cond: string, issue: string): string {
  return `if (${cond}) out.push(${issue});`;
}

/** `true` when the schema accepts nothing (the boolean schema `false`). */
export function isFalseSchema(s: Schema): boolean {
  return s.kind === 'json' && s.not?.kind === 'any' && Object.keys(s).every((k) => k === 'kind' || k === 'not' || k === 'pointer' || k === 'title' || k === 'description');
}

/** Declared-name test for `additionalProperties`/marking: `k === "a" || ...`, or a Set for many. */
function declaredTest(gen: KeywordCodegen, base: string, s: GeneralSchema, k: string): string[] {
  const names = (s.properties ?? []).map((p) => p.name);
  const tests: string[] = [];
  if (names.length > 0) tests.push(names.length <= 6 ? names.map((n) => `${k} === ${json(n)}`).join(' || ') : `${gen.set(`${base}_props`, names)}.has(${k})`);
  (s.patternProperties ?? []).forEach((pp, i) => {
    tests.push(patternTest(gen, `${base}_pp${i}`, pp.pattern, k));
  });
  return tests;
}

function patternConstant(gen: KeywordCodegen, hint: string, pattern: string): string {
  return gen.constant(hint, `new RegExp(${json(pattern)}, 'u')`, 'RegExp');
}

/**
 * An expression: the string `x` matches `pattern` (an ECMAScript regular expression, `u` flag).
 * A pattern of plain ASCII characters, with or without `^` and `$` (`^x-`, the vendor-extension
 * pattern), is a string comparison, several times faster than a RegExp test; in JavaScript `$`
 * without the `m` flag matches only at the end of the input, so `abc$` is `endsWith`.
 */
function patternTest(gen: KeywordCodegen, hint: string, pattern: string, x: string): string {
  const m = /^(\^?)([A-Za-z0-9 _\-:@#%&=,;!'"<>~`\/]+)(\$?)$/.exec(pattern);
  if (m) {
    const literal = json(m[2]!);
    if (m[1] && m[3]) return `${x} === ${literal}`;
    if (m[1]) return `${x}.startsWith(${literal})`;
    if (m[3]) return `${x}.endsWith(${literal})`;
    return `${x}.includes(${literal})`;
  }
  return `${patternConstant(gen, hint, pattern)}.test(${x})`;
}

/**
 * The keyword handlers, in the order their code runs within a group. A keyword missing here is
 * not emitted: model/schema.ts accepts only keywords that have a handler (or are annotations).
 */
export const KEYWORD_HANDLERS: Readonly<Record<string, KeywordHandler>> = {
  const: {
    group: 'any',
    emit: ({ s, base, gen }) => {
      if (!s.const) return {};
      const test = equalsValue(gen, `${base}_const`, s.const.value, 'v');
      return {
        check: [`if (!(${test})) return false;`],
        collect: [pushIf(`!(${test})`, `issue(p, 'const', ${lit(`must be ${truncate(json(s.const.value))}, got `)} + describe(v))`)],
      };
    },
  },
  enum: {
    group: 'any',
    emit: ({ s, base, gen }) => {
      if (!s.enum) return {};
      const test = enumTest(gen, `${base}_enum`, s.enum, 'v');
      const listed = s.enum.length <= 10 ? s.enum.map((v) => truncate(json(v))).join(', ') : `${s.enum.length} allowed values`;
      return {
        check: [`if (!(${test})) return false;`],
        collect: [pushIf(`!(${test})`, `issue(p, 'enum', ${lit(`must be one of ${listed}; got `)} + describe(v))`)],
      };
    },
  },
  minLength: {
    group: 'string',
    emit: ({ s }) => {
      const n = s.minLength;
      if (n === undefined || n === 0) return {};
      const test = n === 1 ? 'v.length >= 1' : `(v.length >= ${2 * n} || (v.length >= ${n} && ucs2length(v) >= ${n}))`;
      return {
        check: [`if (!(${test})) return false;`],
        collect: [pushIf(`!(${test})`, `issue(p, 'minLength', ${lit(`must be at least ${n} characters long, got `)} + ucs2length(v))`)],
      };
    },
  },
  maxLength: {
    group: 'string',
    emit: ({ s }) => {
      const n = s.maxLength;
      if (n === undefined) return {};
      const fails = `v.length > ${n} && ucs2length(v) > ${n}`;
      return {
        check: [`if (${fails}) return false;`],
        collect: [pushIf(fails, `issue(p, 'maxLength', ${lit(`must be at most ${n} characters long, got `)} + ucs2length(v))`)],
      };
    },
  },
  pattern: {
    group: 'string',
    emit: ({ s, base, gen }) => {
      if (s.pattern === undefined) return {};
      const matches = patternTest(gen, `${base}_pattern`, s.pattern, 'v');
      return {
        check: [`if (!(${matches})) return false;`],
        collect: [pushIf(`!(${matches})`, `issue(p, 'pattern', ${lit(`must match the pattern ${truncate(s.pattern)}, got `)} + describe(v))`)],
      };
    },
  },
  format: {
    group: 'any',
    emit: ({ s }) => {
      const f = s.format;
      if (f === undefined) return {};
      const str = STRING_FORMATS[f];
      const num = NUMBER_FORMATS[f];
      const spec = str ?? num;
      if (!spec) return {};
      const guard = str ? `typeof v === 'string'` : `typeof v === 'number'`;
      const fails = `${guard} && !${spec.test('v')}`;
      return {
        check: [`if (${fails}) return false;`],
        collect: [pushIf(fails, `issue(p, ${lit(`format:${f}`)}, ${lit(`must be ${spec.what}, got `)} + describe(v))`)],
      };
    },
  },
  minimum: numberBound('minimum', '<', 'greater than or equal to'),
  maximum: numberBound('maximum', '>', 'less than or equal to'),
  exclusiveMinimum: numberBound('exclusiveMinimum', '<=', 'greater than'),
  exclusiveMaximum: numberBound('exclusiveMaximum', '>=', 'less than'),
  multipleOf: {
    group: 'number',
    emit: ({ s }) => {
      if (s.multipleOf === undefined) return {};
      const test = `checkMultipleOf(v, ${s.multipleOf})`;
      return {
        check: [`if (!${test}) return false;`],
        collect: [pushIf(`!${test}`, `issue(p, 'multipleOf', ${lit(`must be a multiple of ${s.multipleOf}, got `)} + v)`)],
      };
    },
  },
  minItems: countBound('minItems', 'v.length', '<', 'at least', 'item'),
  maxItems: countBound('maxItems', 'v.length', '>', 'at most', 'item'),
  uniqueItems: {
    group: 'array',
    emit: ({ s }) => {
      if (!s.uniqueItems) return {};
      return {
        check: ['if (duplicateIndex(v) >= 0) return false;'],
        collect: ['const d = duplicateIndex(v);', pushIf('d >= 0', `issue(item(p, d), 'uniqueItems', 'must not equal an earlier item')`)],
      };
    },
  },
  prefixItems: {
    group: 'array',
    emit: ({ s, base, gen }) => {
      if (!s.prefixItems) return {};
      const check: string[] = [];
      const collect: string[] = [];
      s.prefixItems.forEach((sub, i) => {
        const hint = `${base}_prefix${i}`;
        const test = gen.check(sub, `v[${i}]`, hint);
        if (test === 'true') return;
        check.push(`if (v.length > ${i} && !(${test})) return false;`);
        collect.push(`if (v.length > ${i} && !(${test})) {`, ...indent(gen.collect(sub, `v[${i}]`, `item(p, ${i})`, hint)), '}');
      });
      return { check, collect, mark: [`if (ev.prefix < ${s.prefixItems.length}) ev.prefix = Math.min(v.length, ${s.prefixItems.length});`] };
    },
  },
  items: {
    group: 'array',
    emit: ({ s, base, gen }) => {
      if (!s.items) return {};
      const start = s.prefixItems?.length ?? 0;
      const hint = `${base}_items`;
      const test = gen.check(s.items, 'x', hint);
      const mark = ['ev.allItems = true;'];
      if (test === 'true') return { mark };
      return {
        check: [`for (let i = ${start}; i < v.length; i++) {`, '  const x: unknown = v[i];', `  if (!(${test})) return false;`, '}'],
        collect: [
          `for (let i = ${start}; i < v.length; i++) {`,
          '  const x: unknown = v[i];',
          `  if (!(${test})) {`,
          ...indent(gen.collect(s.items, 'x', 'item(p, i)', hint), 2),
          '  }',
          '}',
        ],
        mark,
      };
    },
  },
  contains: {
    group: 'array',
    emit: ({ s, base, gen }) => {
      if (!s.contains) return {};
      const test = gen.check(s.contains, 'v[i]', `${base}_contains`);
      const min = s.minContains ?? 1;
      const max = s.maxContains;
      const fails = [min > 0 ? `n < ${min}` : '', max !== undefined ? `n > ${max}` : ''].filter(Boolean).join(' || ');
      const countLoop = [`let n = 0;`, `for (let i = 0; i < v.length; i++) if (${test}) n++;`];
      const mark = [`for (let i = 0; i < v.length; i++) if (${test}) ev.indices.add(i);`];
      if (fails === '') return { mark };
      const what = [min > 0 ? `at least ${min}` : '', max !== undefined ? `at most ${max}` : ''].filter(Boolean).join(' and ');
      return {
        check: ['{', ...indent(countLoop), `  if (${fails}) return false;`, '}'],
        collect: [
          '{',
          ...indent(countLoop),
          ...(min > 0 ? [`  ${pushIf(`n < ${min}`, `issue(p, ${lit(s.minContains === undefined ? 'contains' : 'minContains')}, ${lit(`must contain ${what} matching item${min === 1 && max === undefined ? '' : 's'}, got `)} + n)`)}`] : []),
          ...(max !== undefined ? [`  ${pushIf(`n > ${max}`, `issue(p, 'maxContains', ${lit(`must contain ${what} matching items, got `)} + n)`)}`] : []),
          '}',
        ],
        mark,
      };
    },
  },
  minContains: { group: 'array', emit: () => ({}) },
  maxContains: { group: 'array', emit: () => ({}) },
  required: {
    group: 'object',
    emit: ({ s }) => {
      if (!s.required || s.required.length === 0) return {};
      return {
        check: s.required.map((name) => `if (${propertyAccess('o', name)} === undefined) return false;`),
        collect: s.required.map((name) => pushIf(`${propertyAccess('o', name)} === undefined`, `required(p, ${json(name)})`)),
      };
    },
  },
  properties: {
    group: 'object',
    emit: ({ s, base, gen }) => {
      if (!s.properties) return {};
      const check: string[] = [];
      const collect: string[] = [];
      const mark: string[] = [];
      s.properties.forEach((prop, i) => {
        const hint = `${base}_${safe(prop.name)}`;
        const local = `p${i}`;
        const access = propertyAccess('o', prop.name);
        mark.push(`if (${access} !== undefined) ev.props.add(${json(prop.name)});`);
        const test = gen.check(prop.schema, local, hint);
        if (test === 'true') return;
        check.push(`const ${local} = ${access};`, `if (${local} !== undefined && !(${test})) return false;`);
        collect.push(`const ${local} = ${access};`, `if (${local} !== undefined && !(${test})) {`, ...indent(gen.collect(prop.schema, local, propPath('p', prop.name), hint)), '}');
      });
      return { check, collect, mark };
    },
  },
  patternProperties: {
    group: 'object',
    emit: ({ s, base, gen }) => {
      if (!s.patternProperties || s.patternProperties.length === 0) return {};
      const check: string[] = [];
      const collect: string[] = [];
      const mark: string[] = [];
      s.patternProperties.forEach((pp, i) => {
        const hint = `${base}_pp${i}`;
        const matches = patternTest(gen, hint, pp.pattern, 'k');
        const test = gen.check(pp.schema, 'o[k]', hint);
        mark.push(`for (const k in o) if (${matches}) ev.props.add(k);`);
        if (test === 'true') return;
        check.push(`for (const k in o) if (${matches} && !(${test})) return false;`);
        collect.push(`for (const k in o) {`, `  if (${matches} && !(${test})) {`, ...indent(gen.collect(pp.schema, 'o[k]', 'at(p, k)', hint), 2), '  }', '}');
      });
      return { check, collect, mark };
    },
  },
  additionalProperties: {
    group: 'object',
    emit: ({ s, base, gen }) => {
      const ap = s.additionalProperties;
      if (!ap) return {};
      const mark = ['ev.allProps = true;'];
      const hint = `${base}_additional`;
      const test = gen.check(ap, 'o[k]', hint);
      if (test === 'true') return { mark };
      const declared = declaredTest(gen, base, s, 'k');
      const extra = declared.length === 0 ? '' : `if (${declared.join(' || ')}) continue;`;
      const allowed = (s.properties ?? []).length <= 12 ? (s.properties ?? []).map((p) => p.name).join(', ') : '';
      const issues = isFalseSchema(ap) ? [`out.push(unknownProperty(p, k, 'unknown property', ${lit(allowed)}));`] : [`if (!(${test})) {`, ...indent(gen.collect(ap, 'o[k]', 'at(p, k)', hint)), '}'];
      return {
        check: ['for (const k in o) {', ...(extra ? [`  ${extra}`] : []), `  if (!(${test})) return false;`, '}'],
        collect: ['for (const k in o) {', ...(extra ? [`  ${extra}`] : []), ...indent(issues), '}'],
        mark,
      };
    },
  },
  propertyNames: {
    group: 'object',
    emit: ({ s, base, gen }) => {
      if (!s.propertyNames) return {};
      const test = gen.check(s.propertyNames, 'k', `${base}_names`);
      if (test === 'true') return {};
      return {
        check: [`for (const k in o) if (!(${test})) return false;`],
        collect: [`for (const k in o) if (!(${test})) out.push(issue(at(p, k), 'propertyNames', 'is not an allowed property name'));`],
      };
    },
  },
  minProperties: countBound('minProperties', 'n', '<', 'at least', 'property', true),
  maxProperties: countBound('maxProperties', 'n', '>', 'at most', 'property', true),
  dependentRequired: {
    group: 'object',
    emit: ({ s }) => {
      if (!s.dependentRequired) return {};
      const check: string[] = [];
      const collect: string[] = [];
      for (const d of s.dependentRequired) {
        if (d.required.length === 0) continue;
        const present = `${propertyAccess('o', d.name)} !== undefined`;
        check.push(`if (${present} && (${d.required.map((r) => `${propertyAccess('o', r)} === undefined`).join(' || ')})) return false;`);
        collect.push(
          `if (${present}) {`,
          ...d.required.map((r) => `  ${pushIf(`${propertyAccess('o', r)} === undefined`, `issue(at(p, ${json(r)}), 'dependentRequired', ${lit(`is required when ${json(d.name)} is present`)})`)}`),
          '}',
        );
      }
      return { check, collect };
    },
  },
  dependentSchemas: {
    group: 'object',
    emit: ({ s, base, gen }) => {
      if (!s.dependentSchemas) return {};
      const check: string[] = [];
      const collect: string[] = [];
      const mark: string[] = [];
      s.dependentSchemas.forEach((d, i) => {
        const hint = `${base}_dep${i}`;
        const present = `${propertyAccess('o', d.name)} !== undefined`;
        const test = gen.check(d.schema, 'v', hint);
        const marks = gen.mark(d.schema, 'v', 'ev', hint);
        if (marks.length > 0) mark.push(`if (${present}) {`, ...indent(marks), '}');
        if (test === 'true') return;
        check.push(`if (${present} && !(${test})) return false;`);
        collect.push(`if (${present} && !(${test})) {`, ...indent(gen.collect(d.schema, 'v', 'p', hint)), '}');
      });
      return { check, collect, mark };
    },
  },
  $ref: {
    group: 'applicator',
    emit: ({ s, base, gen }) => (s.ref ? inPlace(gen, s.ref, `${base}_ref`) : {}),
  },
  allOf: {
    group: 'applicator',
    emit: ({ s, base, gen }) => {
      if (!s.allOf) return {};
      const parts = s.allOf.map((sub, i) => inPlace(gen, sub, `${base}_all${i}`));
      return { check: parts.flatMap((c) => c.check ?? []), collect: parts.flatMap((c) => c.collect ?? []), mark: parts.flatMap((c) => c.mark ?? []) };
    },
  },
  anyOf: {
    group: 'applicator',
    emit: ({ s, base, gen }) => (s.anyOf ? branches(gen, s, s.anyOf, `${base}_any`, 'anyOf') : {}),
  },
  oneOf: {
    group: 'applicator',
    emit: ({ s, base, gen }) => (s.oneOf ? branches(gen, s, s.oneOf, `${base}_one`, 'oneOf') : {}),
  },
  not: {
    group: 'applicator',
    emit: ({ s, base, gen }) => {
      if (!s.not) return {};
      const test = gen.check(s.not, 'v', `${base}_not`);
      return {
        check: [`if (${test}) return false;`],
        collect: [pushIf(test, `issue(p, 'not', ${lit(isFalseSchema(s) ? 'no value is allowed here' : 'must not match the schema in "not"')})`)],
      };
    },
  },
  if: {
    group: 'applicator',
    emit: ({ s, base, gen }) => {
      if (!s.if || (!s.then && !s.else)) return s.if ? { mark: conditionalMark(gen, s, base) } : {};
      const cond = gen.check(s.if, 'v', `${base}_if`);
      const thenTest = s.then ? gen.check(s.then, 'v', `${base}_then`) : 'true';
      const elseTest = s.else ? gen.check(s.else, 'v', `${base}_else`) : 'true';
      const collectThen = s.then && thenTest !== 'true' ? [`if (!(${thenTest})) {`, ...indent(gen.collect(s.then, 'v', 'p', `${base}_then`)), '}'] : [];
      const collectElse = s.else && elseTest !== 'true' ? [`if (!(${elseTest})) {`, ...indent(gen.collect(s.else, 'v', 'p', `${base}_else`)), '}'] : [];
      return {
        check: [`if (${cond} ? !(${thenTest}) : !(${elseTest})) return false;`],
        collect: [`if (${cond}) {`, ...indent(collectThen), '} else {', ...indent(collectElse), '}'],
        mark: conditionalMark(gen, s, base),
      };
    },
  },
  // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword (emitted with "if")
  then: { group: 'applicator', emit: () => ({}) },
  else: { group: 'applicator', emit: () => ({}) },
  unevaluatedProperties: {
    group: 'unevaluated',
    emit: ({ s, base, gen }) => {
      if (!s.unevaluatedProperties) return {};
      const u = s.unevaluatedProperties;
      const hint = `${base}_unevaluated`;
      const test = gen.check(u, 'o[k]', hint);
      const mark = ['ev.allProps = true;'];
      if (test === 'true') return { mark };
      const issues = isFalseSchema(u)
        ? [`out.push(issue(at(p, k), 'unevaluatedProperties', 'is not allowed: no keyword of the schema evaluates it'));`]
        : [`if (!(${test})) {`, ...indent(gen.collect(u, 'o[k]', 'at(p, k)', hint)), '}'];
      return {
        check: ['for (const k in o) if (!propEvaluated(ev, k) && !(' + test + ')) return false;'],
        collect: ['for (const k in o) {', '  if (propEvaluated(ev, k)) continue;', ...indent(issues), '}'],
        mark,
      };
    },
  },
  unevaluatedItems: {
    group: 'unevaluated',
    emit: ({ s, base, gen }) => {
      if (!s.unevaluatedItems) return {};
      const u = s.unevaluatedItems;
      const hint = `${base}_unevaluatedItems`;
      const test = gen.check(u, 'v[i]', hint);
      const mark = ['ev.allItems = true;'];
      if (test === 'true') return { mark };
      const issues = isFalseSchema(u)
        ? [`out.push(issue(item(p, i), 'unevaluatedItems', 'is not allowed: no keyword of the schema evaluates it'));`]
        : [`if (!(${test})) {`, ...indent(gen.collect(u, 'v[i]', 'item(p, i)', hint)), '}'];
      return {
        check: [`for (let i = 0; i < v.length; i++) if (!itemEvaluated(ev, i) && !(${test})) return false;`],
        collect: ['for (let i = 0; i < v.length; i++) {', '  if (itemEvaluated(ev, i)) continue;', ...indent(issues), '}'],
        mark,
      };
    },
  },
};

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function indent(code: string | readonly string[], levels = 1): string[] {
  const lines = typeof code === 'string' ? code.split('\n') : code;
  const pad = '  '.repeat(levels);
  return lines.filter((l) => l !== '').map((l) => pad + l);
}

function numberBound(key: 'minimum' | 'maximum' | 'exclusiveMinimum' | 'exclusiveMaximum', failOp: string, words: string): KeywordHandler {
  return {
    group: 'number',
    emit: ({ s }) => {
      const bound = s[key];
      if (bound === undefined) return {};
      const fails = `v ${failOp} ${bound}`;
      return { check: [`if (${fails}) return false;`], collect: [pushIf(fails, `issue(p, ${lit(key)}, ${lit(`must be ${words} ${bound}, got `)} + v)`)] };
    },
  };
}

function countBound(
  key: 'minItems' | 'maxItems' | 'minProperties' | 'maxProperties',
  measure: string,
  failOp: string,
  words: string,
  noun: string,
  countKeys = false,
): KeywordHandler {
  return {
    group: countKeys ? 'object' : 'array',
    emit: ({ s }) => {
      const bound = s[key];
      if (bound === undefined || (failOp === '<' && bound === 0)) return {};
      const plural = noun === 'property' ? (bound === 1 ? 'property' : 'properties') : bound === 1 ? noun : `${noun}s`;
      const count = countKeys ? ['let n = 0;', 'for (const k in o) n++;'] : [];
      const fails = `${measure} ${failOp} ${bound}`;
      return {
        check: countKeys ? ['{', ...indent(count), `  if (${fails}) return false;`, '}'] : [`if (${fails}) return false;`],
        collect: [
          ...(countKeys ? ['{', ...indent(count)] : []),
          (countKeys ? '  ' : '') + pushIf(fails, `issue(p, ${lit(key)}, ${lit(`must have ${words} ${bound} ${plural}, got `)} + ${measure})`),
          ...(countKeys ? ['}'] : []),
        ],
      };
    },
  };
}

/** An in-place subschema (`$ref`, an `allOf` member): valid only if it is, and its annotations count. */
function inPlace(gen: KeywordCodegen, sub: Schema, hint: string): KeywordCode {
  const test = gen.check(sub, 'v', hint);
  const mark = gen.mark(sub, 'v', 'ev', hint);
  if (test === 'true') return { mark };
  return { check: [`if (!(${test})) return false;`], collect: [`if (!(${test})) {`, ...indent(gen.collect(sub, 'v', 'p', hint)), '}'], mark };
}

/** `if`'s annotations count when it passed, with `then`'s; otherwise `else`'s. */
function conditionalMark(gen: KeywordCodegen, s: GeneralSchema, base: string): string[] {
  if (!s.if) return [];
  const ifMark = gen.mark(s.if, 'v', 'ev', `${base}_if`);
  const thenMark = s.then ? gen.mark(s.then, 'v', 'ev', `${base}_then`) : [];
  const elseMark = s.else ? gen.mark(s.else, 'v', 'ev', `${base}_else`) : [];
  if (ifMark.length + thenMark.length + elseMark.length === 0) return [];
  return [`if (${gen.check(s.if, 'v', `${base}_if`)}) {`, ...indent([...ifMark, ...thenMark]), '} else {', ...indent(elseMark), '}'];
}

/**
 * `anyOf`/`oneOf`: the check counts the branches that pass; the collector reports the rule, then
 * the issues of the branch the discriminator names, or else of the closest branch (fewest issues).
 */
function branches(gen: KeywordCodegen, s: GeneralSchema, list: readonly Schema[], hint: string, rule: 'anyOf' | 'oneOf'): KeywordCode {
  const tests = list.map((sub, i) => gen.check(sub, 'v', `${hint}${i}`));
  const units = list.map((sub, i) => gen.unitOf(sub, `${hint}${i}`));
  const marks = list.map((sub, i) => gen.mark(sub, 'v', 'ev', `${hint}${i}`));
  const mark = marks.some((m) => m.length > 0) ? tests.flatMap((t, i) => (marks[i]!.length > 0 ? [`if (${t}) {`, ...indent(marks[i]!), '}'] : [])) : [];
  const collectors = `[${units.map((u) => `e_${u}`).join(', ')}]`;
  const d = s.discriminator;
  const discriminated: string[] = [];
  if (d) {
    discriminated.push(`const t = ${propertyAccess('(v as Record<string, unknown>)', d.propertyName)};`);
    for (const m of d.mapping) discriminated.push(`if (t === ${json(m.value)}) return void e_${units[m.branch]}(v, p, out);`);
  }
  const guard = d ? `if (typeof v === 'object' && v !== null && !Array.isArray(v)) {` : '';
  const closest = [
    ...(d ? [guard, ...indent(discriminated), '}'] : []),
    `out.push(issue(p, ${lit(rule)}, ${lit(`must match ${rule === 'anyOf' ? 'at least one' : 'exactly one'} of ${list.length} schemas; the closest one reports:`)}));`,
    `closest(${collectors}, v, p, out);`,
  ];
  if (rule === 'anyOf') {
    const any = tests.map((t) => `(${t})`).join(' || ');
    return { check: [`if (!(${any})) return false;`], collect: [`if (!(${any})) {`, ...indent(closest), '}'], mark };
  }
  const countLines = ['let n = 0;', ...tests.map((t) => `if (${t}) n++;`)];
  return {
    check: ['{', ...indent(countLines), '  if (n !== 1) return false;', '}'],
    collect: [
      '{',
      ...indent(countLines),
      `  if (n > 1) out.push(issue(p, 'oneOf', 'must match exactly one of ${list.length} schemas, matched ' + n));`,
      '  else if (n === 0) {',
      ...indent(closest, 2),
      '  }',
      '}',
    ],
    mark,
  };
}

/** The type test of a general schema (`undefined` when it has no `type`). */
export function typeTest(s: GeneralSchema, x: string): { test: string; words: string } | undefined {
  if (!s.types) return undefined;
  // `integer` is a `number`; listing both is `number`.
  const types = s.types.includes('number') ? s.types.filter((t) => t !== 'integer') : s.types;
  return {
    test: types.map((t) => TYPE_TEST[t](x)).join(' || '),
    words: types.map((t) => TYPE_WORD[t]).join(' or '),
  };
}

/** The block guard of each instance-type group. */
export const GROUP_GUARD: Record<'string' | 'number' | 'array' | 'object', string> = {
  string: "typeof v === 'string'",
  number: "typeof v === 'number'",
  array: 'Array.isArray(v)',
  object: "typeof v === 'object' && v !== null && !Array.isArray(v)",
};
