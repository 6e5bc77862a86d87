/**
 * Normalizes JSON Schema (OpenAPI 3.1 dialect) into the model's {@link Schema} nodes.
 *
 * Only the keywords the emitters implement are accepted; any other keyword is a problem that
 * stops generation (so nothing is silently skipped). Annotations (`title`, `description`,
 * `example`, ...) and `x-` extensions are allowed anywhere.
 *
 * @module
 */
import { childPointer, isRecord } from './source.js';
import type { GeneralSchema, JsonPrimitive, JsonType, ObjectProperty, RefSchema, Schema, StringFormat } from './types.js';

/** The keywords of the simple kinds (see {@link normalizeSchema}). */
const SIMPLE_KEYWORDS: readonly string[] = [
  '$ref',
  'type',
  'enum',
  'const',
  'format',
  'minLength',
  'maxLength',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'items',
  'maxItems',
  'oneOf',
  'discriminator',
];

/** Keywords that carry no validation meaning. */
export const ANNOTATION_KEYWORDS: readonly string[] = [
  'title',
  'description',
  'example',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
  'externalDocs',
  'xml',
  'contentMediaType',
  'contentEncoding',
  'contentSchema',
  '$schema',
  '$anchor',
];

/** Formats the validators check (any other format is an annotation, with a warning). */
export const SUPPORTED_FORMATS: readonly string[] = [
  'date', 'date-time', 'time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'uuid',
  'int32', 'int64', 'float', 'double', 'byte', 'binary',
];

const SUPPORTED = new Set(SIMPLE_KEYWORDS);
const SIMPLE_FORMATS = new Set<string>(['date', 'date-time', 'uri', 'binary']);
const ANNOTATIONS = new Set(ANNOTATION_KEYWORDS);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);

/** Which validation keywords apply to each `type`. */
const KEYWORDS_BY_TYPE: Record<string, ReadonlySet<string>> = {
  string: new Set(['type', 'enum', 'const', 'format', 'minLength', 'maxLength']),
  number: new Set(['type', 'enum', 'const']),
  integer: new Set(['type', 'enum', 'const']),
  boolean: new Set(['type', 'enum', 'const']),
  null: new Set(['type', 'enum', 'const']),
  object: new Set(['type', 'properties', 'required', 'additionalProperties', 'minProperties']),
  array: new Set(['type', 'items', 'maxItems']),
};

const SCHEMA_REF_PREFIX = '#/components/schemas/';

/** Collects problems; the loader turns them into one {@link EmbedkitSpecError}. */
export interface ProblemSink {
  report(pointer: string, problem: string): void;
  /** Something generation goes on with but the user should know (an unknown format or keyword). */
  warn?(pointer: string, message: string): void;
}

/** What the normalizer needs besides the node itself. */
export interface SchemaContext {
  readonly problems: ProblemSink;
  /** The component schemas of the document, to check `$ref` targets. */
  readonly componentSchemas: Readonly<Record<string, unknown>>;
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isPrimitive(value: unknown): value is JsonPrimitive {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Returns the component name a `$ref` points at, or reports a problem and returns undefined. */
export function schemaRefName(ref: unknown, pointer: string, ctx: SchemaContext): string | undefined {
  if (typeof ref !== 'string' || !ref.startsWith(SCHEMA_REF_PREFIX) || ref.slice(SCHEMA_REF_PREFIX.length).includes('/')) {
    ctx.problems.report(
      pointer,
      `unsupported $ref ${JSON.stringify(ref)}: schemas may only reference "#/components/schemas/<Name>" (external files are bundled first)`,
    );
    return undefined;
  }
  const name = ref.slice(SCHEMA_REF_PREFIX.length).replace(/~1/g, '/').replace(/~0/g, '~');
  if (!(name in ctx.componentSchemas)) {
    ctx.problems.report(pointer, `broken $ref ${JSON.stringify(ref)}: there is no schema named "${name}" in #/components/schemas`);
    return undefined;
  }
  return name;
}

/**
 * Normalizes one schema node. Problems are reported to `ctx.problems`; the result is still a
 * best-effort schema so that every problem in a spec can be reported in one run.
 *
 * A node within the simple subset (one `type` and its common keywords, a plain `$ref`, a
 * discriminated `oneOf` of named objects) becomes one of the simple kinds that the emitters and
 * the model read directly; any other node becomes a {@link GeneralSchema} (`kind: 'json'`).
 */
export function normalizeSchema(node: unknown, pointer: string, ctx: SchemaContext): Schema {
  if (typeof node === 'boolean') return node ? { kind: 'any', pointer } : { kind: 'json', pointer, not: { kind: 'any', pointer } };
  // The simple attempt's warnings (an unknown format in a nested schema) count only if it is kept:
  // otherwise the general pass reports them again.
  const warnings: [string, string][] = [];
  const dry: ProblemSink = { report: () => void dryProblems++, warn: (at, message) => void warnings.push([at, message]) };
  let dryProblems = 0;
  const simple = normalizeSimple(node, pointer, { ...ctx, problems: dry });
  if (dryProblems > 0) return normalizeGeneral(node, pointer, ctx);
  for (const [at, message] of warnings) ctx.problems.warn?.(at, message);
  return withFlags(simple, node);
}

/** The simple-kind normalization (reports anything outside the simple subset as a problem). */
function normalizeSimple(node: unknown, pointer: string, ctx: SchemaContext): Schema {
  const annotations = { pointer };
  if (!isRecord(node)) {
    ctx.problems.report(pointer, `a schema must be an object, got ${node === null ? 'null' : typeof node}`);
    return { kind: 'any', ...annotations };
  }
  const base = {
    pointer,
    title: optionalString(node['title']),
    description: optionalString(node['description']),
    ...('example' in node ? { example: node['example'] } : {}),
  };

  // 1. Every keyword must be known: supported, an annotation, or an extension.
  for (const key of Object.keys(node)) {
    if (SUPPORTED.has(key) || ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    ctx.problems.report(
      childPointer(pointer, key),
      `keyword "${key}" is outside the simple subset`,
    );
  }

  // 2. `$ref` (annotations may sit beside it; validation keywords may not).
  if ('$ref' in node) {
    for (const key of Object.keys(node)) {
      if (key !== '$ref' && SUPPORTED.has(key)) {
        ctx.problems.report(childPointer(pointer, key), `"${key}" beside "$ref" is not supported: move it into the referenced schema`);
      }
    }
    const name = schemaRefName(node['$ref'], childPointer(pointer, '$ref'), ctx);
    return name === undefined ? { kind: 'any', ...base } : { kind: 'ref', name, ...base };
  }

  // 3. `oneOf` + `discriminator`.
  if ('oneOf' in node) return normalizeOneOf(node, base, ctx);
  if ('discriminator' in node) {
    ctx.problems.report(childPointer(pointer, 'discriminator'), '"discriminator" is supported only together with "oneOf"');
  }

  const type = node['type'];
  if (type === undefined) {
    const validation = Object.keys(node).filter((k) => SUPPORTED.has(k) && k !== 'enum' && k !== 'const');
    for (const key of validation) {
      ctx.problems.report(childPointer(pointer, key), `"${key}" needs an explicit "type" in this generator`);
    }
    if ('enum' in node || 'const' in node) {
      const values = enumValues(node, pointer, ctx);
      return { kind: 'enum', values: values ?? [], isConst: 'const' in node, ...base };
    }
    return { kind: 'any', ...base };
  }
  if (typeof type !== 'string' || !TYPES.has(type)) {
    ctx.problems.report(
      childPointer(pointer, 'type'),
      `unsupported type ${JSON.stringify(type)}: use one of ${[...TYPES].join(', ')} (type arrays are not supported)`,
    );
    return { kind: 'any', ...base };
  }
  const applicable = KEYWORDS_BY_TYPE[type] ?? new Set<string>();
  for (const key of Object.keys(node)) {
    if (SUPPORTED.has(key) && !applicable.has(key) && key !== 'discriminator') {
      ctx.problems.report(childPointer(pointer, key), `"${key}" does not apply to type "${type}"`);
    }
  }

  switch (type) {
    case 'string':
      return normalizeString(node, base, ctx);
    case 'object':
      return normalizeObject(node, base, ctx);
    case 'array': {
      const items = 'items' in node ? normalizeSchema(node['items'], childPointer(pointer, 'items'), ctx) : undefined;
      const maxItems = lengthKeyword(node, 'maxItems', pointer, ctx);
      return { kind: 'array', items, maxItems, ...base };
    }
    default: {
      const values = 'enum' in node || 'const' in node ? enumValues(node, pointer, ctx) : undefined;
      const kind = type as 'number' | 'integer' | 'boolean' | 'null';
      if (values !== undefined) {
        for (const v of values) {
          if (!primitiveMatchesType(v, kind)) {
            ctx.problems.report(childPointer(pointer, 'const' in node ? 'const' : 'enum'), `value ${JSON.stringify(v)} is not of type "${kind}"`);
          }
        }
      }
      return 'const' in node
        ? { kind, const: values?.[0], ...base }
        : { kind, enum: values, ...base };
    }
  }
}

function primitiveMatchesType(value: JsonPrimitive, type: 'number' | 'integer' | 'boolean' | 'null'): boolean {
  if (type === 'null') return value === null;
  if (type === 'boolean') return typeof value === 'boolean';
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value);
  return typeof value === 'number';
}

function enumValues(node: Record<string, unknown>, pointer: string, ctx: SchemaContext): JsonPrimitive[] | undefined {
  if ('enum' in node && 'const' in node) {
    ctx.problems.report(childPointer(pointer, 'const'), 'use either "enum" or "const", not both');
  }
  if ('const' in node) {
    const value = node['const'];
    if (!isPrimitive(value)) {
      ctx.problems.report(childPointer(pointer, 'const'), 'only string, number, boolean or null constants are supported');
      return undefined;
    }
    return [value];
  }
  const values = node['enum'];
  if (!Array.isArray(values) || values.length === 0) {
    ctx.problems.report(childPointer(pointer, 'enum'), '"enum" must be a non-empty array');
    return undefined;
  }
  const seen = new Set<unknown>();
  values.forEach((value, i) => {
    if (!isPrimitive(value)) {
      ctx.problems.report(childPointer(pointer, 'enum', i), 'only string, number, boolean or null enum values are supported');
    } else if (seen.has(value)) {
      ctx.problems.report(childPointer(pointer, 'enum', i), `duplicate enum value ${JSON.stringify(value)}`);
    }
    seen.add(value);
  });
  return values.filter(isPrimitive);
}

function lengthKeyword(node: Record<string, unknown>, key: string, pointer: string, ctx: SchemaContext): number | undefined {
  if (!(key in node)) return undefined;
  const value = node[key];
  if (!isNonNegativeInteger(value)) {
    ctx.problems.report(childPointer(pointer, key), `"${key}" must be a non-negative integer, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value;
}

type Base = { pointer: string; title: string | undefined; description: string | undefined; example?: unknown };

function normalizeString(
  node: Record<string, unknown>,
  base: Base,
  ctx: SchemaContext,
): Schema {
  const { pointer } = base;
  let format: StringFormat | undefined;
  if ('format' in node) {
    const f = node['format'];
    if (typeof f === 'string' && SIMPLE_FORMATS.has(f)) format = f as StringFormat;
    else {
      ctx.problems.report(
        childPointer(pointer, 'format'),
        `unsupported format ${JSON.stringify(f)}: the validators emitter implements ${SUPPORTED_FORMATS.join(', ')}`,
      );
    }
  }
  const minLength = lengthKeyword(node, 'minLength', pointer, ctx);
  const maxLength = lengthKeyword(node, 'maxLength', pointer, ctx);
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
    ctx.problems.report(childPointer(pointer, 'minLength'), `minLength ${minLength} is greater than maxLength ${maxLength}`);
  }
  let values: JsonPrimitive[] | undefined;
  if ('enum' in node || 'const' in node) {
    values = enumValues(node, pointer, ctx);
    for (const v of values ?? []) {
      if (typeof v !== 'string') {
        ctx.problems.report(childPointer(pointer, 'const' in node ? 'const' : 'enum'), `value ${JSON.stringify(v)} is not a string`);
      }
    }
  }
  const strings = values?.filter((v): v is string => typeof v === 'string');
  return 'const' in node
    ? { kind: 'string', format, minLength, maxLength, const: strings?.[0], ...base }
    : { kind: 'string', format, minLength, maxLength, enum: strings, ...base };
}

function normalizeObject(
  node: Record<string, unknown>,
  base: Base,
  ctx: SchemaContext,
): Schema {
  const { pointer } = base;
  let required: string[] = [];
  if ('required' in node) {
    const r = node['required'];
    if (!Array.isArray(r) || !r.every((x) => typeof x === 'string')) {
      ctx.problems.report(childPointer(pointer, 'required'), '"required" must be an array of property names');
    } else {
      required = [...new Set(r as string[])];
      if (required.length !== r.length) ctx.problems.report(childPointer(pointer, 'required'), '"required" lists a name twice');
    }
  }
  const properties: ObjectProperty[] = [];
  if ('properties' in node) {
    const props = node['properties'];
    if (!isRecord(props)) {
      ctx.problems.report(childPointer(pointer, 'properties'), '"properties" must be an object');
    } else {
      for (const [name, sub] of Object.entries(props)) {
        properties.push({
          name,
          schema: normalizeSchema(sub, childPointer(pointer, 'properties', name), ctx),
          required: required.includes(name),
        });
      }
    }
  }
  let additionalProperties = true;
  if ('additionalProperties' in node) {
    const ap = node['additionalProperties'];
    if (ap === false) additionalProperties = false;
    else if (ap !== true) {
      ctx.problems.report(
        childPointer(pointer, 'additionalProperties'),
        'only "additionalProperties: false" (or true) is supported, not a schema',
      );
    }
  }
  const minProperties = lengthKeyword(node, 'minProperties', pointer, ctx);
  return { kind: 'object', properties, required, additionalProperties, minProperties, ...base };
}

function normalizeOneOf(
  node: Record<string, unknown>,
  base: Base,
  ctx: SchemaContext,
): Schema {
  const { pointer } = base;
  for (const key of Object.keys(node)) {
    if (SUPPORTED.has(key) && key !== 'oneOf' && key !== 'discriminator') {
      ctx.problems.report(childPointer(pointer, key), `"${key}" beside "oneOf" is not supported: put it in each variant`);
    }
  }
  const variantsNode = node['oneOf'];
  const discriminator = node['discriminator'];
  if (!isRecord(discriminator) || typeof discriminator['propertyName'] !== 'string') {
    ctx.problems.report(
      childPointer(pointer, 'oneOf'),
      '"oneOf" is supported only with a "discriminator" whose "propertyName" tells the variants apart',
    );
    return { kind: 'any', ...base };
  }
  for (const key of Object.keys(discriminator)) {
    if (key !== 'propertyName' && key !== 'mapping' && !key.startsWith('x-')) {
      ctx.problems.report(childPointer(pointer, 'discriminator', key), `unsupported discriminator field "${key}"`);
    }
  }
  const propertyName = discriminator['propertyName'];
  if (!Array.isArray(variantsNode) || variantsNode.length === 0) {
    ctx.problems.report(childPointer(pointer, 'oneOf'), '"oneOf" must be a non-empty array');
    return { kind: 'any', ...base };
  }
  const mapping = isRecord(discriminator['mapping']) ? discriminator['mapping'] : {};
  const variants: { value: string; name: string }[] = [];
  variantsNode.forEach((variant, i) => {
    const vp = childPointer(pointer, 'oneOf', i);
    if (!isRecord(variant) || typeof variant['$ref'] !== 'string' || Object.keys(variant).some((k) => SUPPORTED.has(k) && k !== '$ref')) {
      ctx.problems.report(vp, 'each "oneOf" variant must be a plain $ref to a named object schema');
      return;
    }
    const name = schemaRefName(variant['$ref'], childPointer(vp, '$ref'), ctx);
    if (name === undefined) return;
    const target = ctx.componentSchemas[name];
    const targetPointer = `#/components/schemas/${name}`;
    const props = isRecord(target) && isRecord(target['properties']) ? target['properties'] : undefined;
    const prop = props?.[propertyName];
    const value = isRecord(prop)
      ? typeof prop['const'] === 'string'
        ? prop['const']
        : Array.isArray(prop['enum']) && prop['enum'].length === 1 && typeof prop['enum'][0] === 'string'
          ? prop['enum'][0]
          : undefined
      : undefined;
    const required = isRecord(target) && Array.isArray(target['required']) ? target['required'] : [];
    if (!isRecord(target) || target['type'] !== 'object' || value === undefined || !required.includes(propertyName)) {
      ctx.problems.report(
        targetPointer,
        `discriminated variant "${name}" must be a "type: object" schema whose required property "${propertyName}" has a string "const"`,
      );
      return;
    }
    const mapped = mapping[value];
    if (mapped !== undefined && mapped !== variant['$ref']) {
      ctx.problems.report(
        childPointer(pointer, 'discriminator', 'mapping', value),
        `mapping for "${value}" points at ${JSON.stringify(mapped)} but the variant with that "${propertyName}" is ${JSON.stringify(variant['$ref'])}`,
      );
    }
    if (variants.some((v) => v.value === value)) {
      ctx.problems.report(vp, `two variants have "${propertyName}: ${value}"`);
      return;
    }
    variants.push({ value, name });
  });
  for (const [value, target] of Object.entries(mapping)) {
    if (!variants.some((v) => v.value === value) && !variantsNode.some((v) => isRecord(v) && v['$ref'] === target)) {
      ctx.problems.report(childPointer(pointer, 'discriminator', 'mapping', value), `mapping target ${JSON.stringify(target)} is not one of the "oneOf" variants`);
    }
  }
  return { kind: 'oneOf', propertyName, variants, ...base };
}

/** `deprecated`, `readOnly` and `writeOnly` onto a simple-kind schema. */
function withFlags(schema: Schema, node: unknown): Schema {
  if (!isRecord(node)) return schema;
  const flags = {
    ...(node['deprecated'] === true ? { deprecated: true } : {}),
    ...(node['readOnly'] === true ? { readOnly: true } : {}),
    ...(node['writeOnly'] === true ? { writeOnly: true } : {}),
  };
  return Object.keys(flags).length === 0 ? schema : { ...schema, ...flags };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What a keyword handler gets: the node, where it is, and the schema being built. */
interface KeywordInput {
  readonly node: Record<string, unknown>;
  readonly value: unknown;
  /** The keyword's pointer. */
  readonly at: string;
  readonly ctx: SchemaContext;
  readonly out: Mutable<GeneralSchema>;
}

const JSON_TYPES: readonly JsonType[] = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'];

function sub(input: KeywordInput, ...path: (string | number)[]): Schema {
  let value: unknown = input.value;
  for (const p of path) value = (value as Record<string | number, unknown>)[p];
  return normalizeSchema(value, childPointer(input.at, ...path), input.ctx);
}

function count(input: KeywordInput): number | undefined {
  if (isNonNegativeInteger(input.value)) return input.value;
  input.ctx.problems.report(input.at, `must be a non-negative integer, got ${JSON.stringify(input.value)}`);
  return undefined;
}

function finite(input: KeywordInput, positive = false): number | undefined {
  const v = input.value;
  if (typeof v === 'number' && Number.isFinite(v) && (!positive || v > 0)) return v;
  input.ctx.problems.report(input.at, `must be a ${positive ? 'number greater than 0' : 'number'}, got ${JSON.stringify(v)}`);
  return undefined;
}

function schemaList(input: KeywordInput): Schema[] | undefined {
  if (!Array.isArray(input.value) || input.value.length === 0) {
    input.ctx.problems.report(input.at, 'must be a non-empty array of schemas');
    return undefined;
  }
  return input.value.map((_, i) => sub(input, i));
}

function schemaMap(input: KeywordInput): { name: string; schema: Schema }[] | undefined {
  if (!isRecord(input.value)) {
    input.ctx.problems.report(input.at, 'must be an object whose values are schemas');
    return undefined;
  }
  return Object.keys(input.value).map((name) => ({ name, schema: sub(input, name) }));
}

/** An ECMAScript regular expression with the `u` flag, or a problem naming the error. */
function regex(source: unknown, at: string, ctx: SchemaContext): string | undefined {
  if (typeof source !== 'string') {
    ctx.problems.report(at, `must be a regular expression string, got ${JSON.stringify(source)}`);
    return undefined;
  }
  try {
    new RegExp(source, 'u');
    return source;
  } catch (error) {
    ctx.problems.report(at, `invalid regular expression ${JSON.stringify(source)} (ECMAScript with the u flag): ${(error as Error).message}`);
    return undefined;
  }
}

function stringList(input: KeywordInput): string[] | undefined {
  const v = input.value;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    input.ctx.problems.report(input.at, 'must be an array of property names');
    return undefined;
  }
  return [...new Set(v as string[])];
}

/**
 * One handler per JSON Schema keyword: it checks the keyword's form and sets its field of the
 * {@link GeneralSchema}. Supporting a keyword means a handler here and its code in the validators
 * emitter's handler table (emitters/validators-keywords.ts).
 */
const KEYWORDS: Readonly<Record<string, (input: KeywordInput) => void>> = {
  type(i) {
    const list = Array.isArray(i.value) ? i.value : [i.value];
    if (list.length === 0 || !list.every((t) => typeof t === 'string' && (JSON_TYPES as readonly string[]).includes(t)) || new Set(list).size !== list.length) {
      i.ctx.problems.report(i.at, `must be one of ${JSON_TYPES.join(', ')} or an array of distinct ones, got ${JSON.stringify(i.value)}`);
      return;
    }
    i.out.types = list as JsonType[];
  },
  $ref(i) {
    const ref = i.value;
    if (typeof ref === 'string' && ref.startsWith(SCHEMA_REF_PREFIX) && ref.slice(SCHEMA_REF_PREFIX.length).includes('/')) {
      i.out.ref = inlineRef(ref, i.at, i.ctx);
      return;
    }
    const name = schemaRefName(ref, i.at, i.ctx);
    if (name !== undefined) i.out.ref = { kind: 'ref', name, pointer: i.at };
  },
  $defs(i) {
    if (!isRecord(i.value)) i.ctx.problems.report(i.at, 'must be an object whose values are schemas');
  },
  const(i) {
    i.out.const = { value: i.value };
  },
  enum(i) {
    if (!Array.isArray(i.value)) i.ctx.problems.report(i.at, 'must be an array');
    else i.out.enum = i.value;
  },
  minimum(i) {
    i.out.minimum = finite(i);
  },
  maximum(i) {
    i.out.maximum = finite(i);
  },
  exclusiveMinimum(i) {
    i.out.exclusiveMinimum = finite(i);
  },
  exclusiveMaximum(i) {
    i.out.exclusiveMaximum = finite(i);
  },
  multipleOf(i) {
    i.out.multipleOf = finite(i, true);
  },
  minLength(i) {
    i.out.minLength = count(i);
  },
  maxLength(i) {
    i.out.maxLength = count(i);
  },
  pattern(i) {
    i.out.pattern = regex(i.value, i.at, i.ctx);
  },
  format(i) {
    if (typeof i.value !== 'string') i.ctx.problems.report(i.at, `must be a string, got ${JSON.stringify(i.value)}`);
    else if (SUPPORTED_FORMATS.includes(i.value)) i.out.format = i.value;
    else i.ctx.problems.warn?.(i.at, `unknown format ${JSON.stringify(i.value)} is not checked (known: ${SUPPORTED_FORMATS.join(', ')})`);
  },
  prefixItems(i) {
    i.out.prefixItems = schemaList(i);
  },
  items(i) {
    i.out.items = sub(i);
  },
  contains(i) {
    i.out.contains = sub(i);
  },
  minContains(i) {
    i.out.minContains = count(i);
  },
  maxContains(i) {
    i.out.maxContains = count(i);
  },
  minItems(i) {
    i.out.minItems = count(i);
  },
  maxItems(i) {
    i.out.maxItems = count(i);
  },
  uniqueItems(i) {
    if (typeof i.value !== 'boolean') i.ctx.problems.report(i.at, 'must be true or false');
    else if (i.value) i.out.uniqueItems = true;
  },
  unevaluatedItems(i) {
    i.out.unevaluatedItems = sub(i);
  },
  properties(i) {
    const map = schemaMap(i);
    const required = Array.isArray(i.node['required']) ? i.node['required'] : [];
    if (map) i.out.properties = map.map(({ name, schema }) => ({ name, schema, required: required.includes(name) }));
  },
  patternProperties(i) {
    if (!isRecord(i.value)) {
      i.ctx.problems.report(i.at, 'must be an object whose keys are regular expressions and values are schemas');
      return;
    }
    const list: { pattern: string; schema: Schema }[] = [];
    for (const key of Object.keys(i.value)) {
      const pattern = regex(key, childPointer(i.at, key), i.ctx);
      if (pattern !== undefined) list.push({ pattern, schema: sub(i, key) });
    }
    i.out.patternProperties = list;
  },
  additionalProperties(i) {
    i.out.additionalProperties = sub(i);
  },
  propertyNames(i) {
    i.out.propertyNames = sub(i);
  },
  required(i) {
    i.out.required = stringList(i);
  },
  dependentRequired(i) {
    if (!isRecord(i.value)) {
      i.ctx.problems.report(i.at, 'must be an object whose values are arrays of property names');
      return;
    }
    const list: { name: string; required: string[] }[] = [];
    for (const [name, names] of Object.entries(i.value)) {
      const parsed = stringList({ ...i, value: names, at: childPointer(i.at, name) });
      if (parsed) list.push({ name, required: parsed });
    }
    i.out.dependentRequired = list;
  },
  dependentSchemas(i) {
    i.out.dependentSchemas = schemaMap(i);
  },
  minProperties(i) {
    i.out.minProperties = count(i);
  },
  maxProperties(i) {
    i.out.maxProperties = count(i);
  },
  unevaluatedProperties(i) {
    i.out.unevaluatedProperties = sub(i);
  },
  allOf(i) {
    i.out.allOf = schemaList(i);
  },
  anyOf(i) {
    i.out.anyOf = schemaList(i);
  },
  oneOf(i) {
    i.out.oneOf = schemaList(i);
  },
  not(i) {
    i.out.not = sub(i);
  },
  if(i) {
    i.out.if = sub(i);
  },
  // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword
  then(i) {
    // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword
    i.out.then = sub(i);
  },
  else(i) {
    i.out.else = sub(i);
  },
  discriminator(i) {
    const d = i.value;
    const branches = (Array.isArray(i.node['oneOf']) ? i.node['oneOf'] : Array.isArray(i.node['anyOf']) ? i.node['anyOf'] : undefined) as unknown[] | undefined;
    if (!isRecord(d) || typeof d['propertyName'] !== 'string') {
      i.ctx.problems.report(i.at, '"discriminator" must be an object with a string "propertyName"');
      return;
    }
    if (!branches) {
      i.ctx.problems.report(i.at, '"discriminator" needs "oneOf" or "anyOf" beside it');
      return;
    }
    const mapping: { value: string; branch: number }[] = [];
    const explicit = isRecord(d['mapping']) ? d['mapping'] : {};
    for (const [value, target] of Object.entries(explicit)) {
      const branch = branches.findIndex((b) => isRecord(b) && b['$ref'] === target);
      if (branch < 0) i.ctx.problems.report(childPointer(i.at, 'mapping', value), `mapping target ${JSON.stringify(target)} is not one of the branches`);
      else mapping.push({ value, branch });
    }
    // Implicit mapping: a branch `$ref` to a named schema maps its name (OpenAPI 3.1 section 4.8.25).
    branches.forEach((b, branch) => {
      if (!isRecord(b) || typeof b['$ref'] !== 'string' || !b['$ref'].startsWith(SCHEMA_REF_PREFIX)) return;
      const name = b['$ref'].slice(SCHEMA_REF_PREFIX.length);
      if (!Object.values(explicit).includes(b['$ref']) && !mapping.some((m) => m.value === name)) mapping.push({ value: name, branch });
    });
    i.out.discriminator = { propertyName: d['propertyName'], mapping };
  },
};

/** Keywords that are refused, with what to do instead. */
const REFUSED: Readonly<Record<string, string>> = {
  $dynamicRef: 'use a plain "$ref" to a named schema (dynamic scopes are not supported)',
  $dynamicAnchor: 'remove it and reference the schema by "$ref" (dynamic scopes are not supported)',
  $recursiveRef: 'use a plain "$ref" (draft 2019-09 recursion is not supported)',
  $recursiveAnchor: 'remove it and use a plain "$ref"',
  $id: 'remove "$id" and reference schemas by "#/components/schemas/<Name>" (schema resources with their own base URI are not supported)',
  $vocabulary: 'remove it: only the JSON Schema 2020-12 vocabularies OpenAPI 3.1 uses are supported',
  dependencies: 'use "dependentRequired" or "dependentSchemas" (the draft 7 keyword was split in 2019-09)',
  definitions: 'use "$defs" (the 2020-12 name)',
  nullable: 'use "type: [<type>, \'null\']" (OpenAPI 3.1) or declare "openapi: 3.0.x" for the 3.0 meaning',
};

/** Pointers of the `$ref` targets being inlined (a cycle among them cannot be inlined). */
const inlining: string[] = [];

/**
 * A `$ref` into a named schema (`#/components/schemas/A/$defs/B`, `.../properties/x`): the target
 * is normalized in place. A cycle through such refs is refused (it needs a name to recurse on).
 */
function inlineRef(ref: string, at: string, ctx: SchemaContext): Schema {
  const path = ref.slice(SCHEMA_REF_PREFIX.length).split('/').map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
  let target: unknown = ctx.componentSchemas;
  for (const p of path) target = isRecord(target) || Array.isArray(target) ? (target as Record<string, unknown>)[p] : undefined;
  if (target === undefined) {
    ctx.problems.report(at, `broken $ref ${JSON.stringify(ref)}: nothing exists at that location`);
    return { kind: 'any', pointer: at };
  }
  const targetPointer = ref;
  if (inlining.includes(targetPointer)) {
    ctx.problems.report(at, `recursive $ref ${JSON.stringify(ref)} into a nested schema: move the target to "#/components/schemas/<Name>" and reference it by name`);
    return { kind: 'any', pointer: at };
  }
  inlining.push(targetPointer);
  try {
    return normalizeSchema(target, targetPointer, ctx);
  } finally {
    inlining.pop();
  }
}

/** Normalizes a node outside the simple subset into a {@link GeneralSchema}. */
function normalizeGeneral(node: unknown, pointer: string, ctx: SchemaContext): Schema {
  if (!isRecord(node)) {
    ctx.problems.report(pointer, `a schema must be an object or a boolean, got ${node === null ? 'null' : Array.isArray(node) ? 'an array' : typeof node}`);
    return { kind: 'any', pointer };
  }
  const out: Mutable<GeneralSchema> = {
    kind: 'json',
    pointer,
    title: optionalString(node['title']),
    description: optionalString(node['description']),
    ...('example' in node ? { example: node['example'] } : {}),
  };
  for (const key of Object.keys(node)) {
    const at = childPointer(pointer, key);
    const handler = Object.hasOwn(KEYWORDS, key) ? KEYWORDS[key] : undefined;
    if (handler) handler({ node, value: node[key], at, ctx, out });
    else if (Object.hasOwn(REFUSED, key)) ctx.problems.report(at, `unsupported JSON Schema keyword "${key}": ${REFUSED[key]}`);
    else if (key === 'deprecated' || key === 'readOnly' || key === 'writeOnly') {
      if (node[key] === true) out[key] = true;
    } else if (!ANNOTATIONS.has(key) && !key.startsWith('x-')) {
      ctx.problems.warn?.(at, `unknown keyword "${key}" is ignored (an annotation); prefix vendor extensions with "x-"`);
    }
  }
  for (const key of ['then', 'else'] as const) {
    if (key in node && !('if' in node)) ctx.problems.warn?.(childPointer(pointer, key), `"${key}" without "if" has no effect`);
  }
  return out;
}

/** Re-exported for the model's list of what the validators implement. */
export const SUPPORTED_KEYWORDS: readonly string[] = Object.keys(KEYWORDS);

export type { RefSchema };
