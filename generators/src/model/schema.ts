/**
 * Normalizes JSON Schema (OpenAPI 3.1 dialect) into the model's {@link Schema} nodes.
 *
 * Only the keywords the emitters implement are accepted; any other keyword is a problem that
 * stops generation (so nothing is silently skipped). Annotations (`title`, `description`,
 * `example`, ...) and `x-` extensions are allowed anywhere.
 *
 * @module
 */
import { childPointer } from './source.js';
import type { JsonPrimitive, ObjectProperty, Schema, StringFormat } from './types.js';

/** Validation keywords the emitters implement. */
export const SUPPORTED_KEYWORDS: readonly string[] = [
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
  '$comment',
  'externalDocs',
];

/** String formats the validators emitter implements. */
export const SUPPORTED_FORMATS: readonly StringFormat[] = ['date', 'date-time', 'uri', 'binary'];

const SUPPORTED = new Set(SUPPORTED_KEYWORDS);
const ANNOTATIONS = new Set(ANNOTATION_KEYWORDS);
const FORMATS = new Set<string>(SUPPORTED_FORMATS);
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
}

/** What the normalizer needs besides the node itself. */
export interface SchemaContext {
  readonly problems: ProblemSink;
  /** The component schemas of the document, to check `$ref` targets. */
  readonly componentSchemas: Readonly<Record<string, unknown>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
 */
export function normalizeSchema(node: unknown, pointer: string, ctx: SchemaContext): Schema {
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
      `unsupported JSON Schema keyword "${key}": the validators emitter implements only ${SUPPORTED_KEYWORDS.join(', ')}; extend generators/src/emitters/validators.ts before using it`,
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
    if (typeof f === 'string' && FORMATS.has(f)) format = f as StringFormat;
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
