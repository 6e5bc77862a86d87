/**
 * Normalizes a bundled OpenAPI document before the model is built, so that everything after it
 * (the model, the schema normalizer, openapi-typescript) reads one dialect:
 *
 * - OpenAPI 3.0.x schemas are upgraded to 3.1 / JSON Schema 2020-12 semantics: `nullable: true`
 *   beside a `type` adds `"null"` to the type (and to an `enum`), boolean `exclusiveMinimum`/
 *   `exclusiveMaximum` become the numeric 2020-12 keywords, and keywords beside a `$ref` (which
 *   3.0 ignores) are dropped, except `title` and `description`.
 * - Component schema names that are not safe TypeScript names are renamed deterministically
 *   (`simple-user` -> `SimpleUser`, `2fa` -> `_2fa`, `string` -> `_string`); two names that end up
 *   equal are refused with both locations.
 * - A schema `$ref` to anything other than a whole component schema (`#/$defs/X`,
 *   `#/components/schemas/Pet/properties/tag`...) is pointed at a copy of its target added to
 *   `components.schemas` under a name made from the pointer, so the model only ever sees
 *   `#/components/schemas/<Name>` references (circular ones included).
 *
 * `originalPointer` maps a pointer of the normalized document back to the spec as written, for
 * messages.
 *
 * @module
 */
import { isIdentifier, pascalCase } from './names.js';
import { childPointer, escapePointerSegment, getAtPointer, isRecord, pointerSegments } from './source.js';

type Json = Record<string, unknown>;

/** A problem found while normalizing (a name collision). */
export interface NormalizeProblem {
  readonly pointer: string;
  readonly problem: string;
}

export interface NormalizedDocument {
  readonly document: Json;
  /** The `openapi` field as written. */
  readonly openapiVersion: string;
  readonly problems: readonly NormalizeProblem[];
  /** Maps a pointer of the normalized document to the same place in the spec as written. */
  originalPointer(pointer: string): string;
}

/**
 * TypeScript reserved words and the predefined type names, which a type alias may not take
 * (`type string = ...` does not compile).
 */
const RESERVED_WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with as implements interface ' +
    'let package private protected public static yield any boolean constructor declare get module require number set string ' +
    'symbol type from of never unknown object bigint undefined async await satisfies keyof infer is asserts readonly unique global'
  ).split(' '),
);

/**
 * The safe TypeScript name of a spec name: itself when it is an identifier and not reserved; else
 * PascalCase of its alphanumeric words (`simple-user` -> `SimpleUser`); `_` in front of a leading
 * digit or a reserved word.
 */
export function safeName(name: string): string {
  let safe = isIdentifier(name) ? name : pascalCase(name);
  if (safe === '') safe = '_';
  if (/^[0-9]/.test(safe) || RESERVED_WORDS.has(safe)) safe = `_${safe}`;
  return safe;
}

/** The child schemas of a schema node: [key path, node]. */
function* subschemas(schema: Json): Generator<[(string | number)[], unknown]> {
  for (const key of ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions']) {
    const map = schema[key];
    if (isRecord(map)) for (const [name, sub] of Object.entries(map)) yield [[key, name], sub];
  }
  for (const key of ['additionalProperties', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema', 'additionalItems']) {
    if (key in schema) {
      const sub = schema[key];
      if (Array.isArray(sub)) for (const [i, s] of sub.entries()) yield [[key, i], s];
      else yield [[key], sub];
    }
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    const list = schema[key];
    if (Array.isArray(list)) for (const [i, sub] of list.entries()) yield [[key, i], sub];
  }
}

/** Calls `visit` on every Schema Object of the document (depth first, parents before children). */
function forEachSchema(document: Json, visit: (schema: Json, pointer: string) => void): void {
  const seen = new Set<unknown>();
  const schema = (node: unknown, pointer: string): void => {
    if (!isRecord(node) || seen.has(node)) return;
    seen.add(node);
    visit(node, pointer);
    for (const [path, sub] of subschemas(node)) schema(sub, childPointer(pointer, ...path));
  };
  const content = (node: unknown, pointer: string): void => {
    if (!isRecord(node)) return;
    for (const [mediaType, media] of Object.entries(node)) {
      if (!isRecord(media)) continue;
      schema(media['schema'], childPointer(pointer, mediaType, 'schema'));
      if (isRecord(media['encoding'])) {
        for (const [part, enc] of Object.entries(media['encoding'])) {
          if (isRecord(enc)) headers(enc['headers'], childPointer(pointer, mediaType, 'encoding', part, 'headers'));
        }
      }
    }
  };
  const parameter = (node: unknown, pointer: string): void => {
    if (!isRecord(node)) return;
    schema(node['schema'], childPointer(pointer, 'schema'));
    content(node['content'], childPointer(pointer, 'content'));
  };
  const headers = (node: unknown, pointer: string): void => {
    if (isRecord(node)) for (const [name, h] of Object.entries(node)) parameter(h, childPointer(pointer, name));
  };
  const requestBody = (node: unknown, pointer: string): void => {
    if (isRecord(node)) content(node['content'], childPointer(pointer, 'content'));
  };
  const response = (node: unknown, pointer: string): void => {
    if (!isRecord(node)) return;
    headers(node['headers'], childPointer(pointer, 'headers'));
    content(node['content'], childPointer(pointer, 'content'));
  };
  const pathItem = (node: unknown, pointer: string): void => {
    if (!isRecord(node)) return;
    const params = node['parameters'];
    if (Array.isArray(params)) for (const [i, p] of params.entries()) parameter(p, childPointer(pointer, 'parameters', i));
    for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']) {
      const op = node[method];
      if (!isRecord(op)) continue;
      const opPointer = childPointer(pointer, method);
      if (Array.isArray(op['parameters'])) for (const [i, p] of op['parameters'].entries()) parameter(p, childPointer(opPointer, 'parameters', i));
      requestBody(op['requestBody'], childPointer(opPointer, 'requestBody'));
      if (isRecord(op['responses'])) {
        for (const [code, r] of Object.entries(op['responses'])) response(r, childPointer(opPointer, 'responses', code));
      }
      if (isRecord(op['callbacks'])) callbacks(op['callbacks'], childPointer(opPointer, 'callbacks'));
    }
  };
  const callbacks = (node: Json, pointer: string): void => {
    for (const [name, cb] of Object.entries(node)) {
      if (isRecord(cb)) for (const [expr, item] of Object.entries(cb)) pathItem(item, childPointer(pointer, name, expr));
    }
  };
  const each = (node: unknown, pointer: string, fn: (n: unknown, p: string) => void): void => {
    if (isRecord(node)) for (const [name, n] of Object.entries(node)) fn(n, childPointer(pointer, name));
  };
  const components = isRecord(document['components']) ? document['components'] : {};
  each(components['schemas'], '#/components/schemas', schema);
  each(components['parameters'], '#/components/parameters', parameter);
  each(components['headers'], '#/components/headers', parameter);
  each(components['requestBodies'], '#/components/requestBodies', requestBody);
  each(components['responses'], '#/components/responses', response);
  each(components['pathItems'], '#/components/pathItems', pathItem);
  if (isRecord(components['callbacks'])) callbacks(components['callbacks'], '#/components/callbacks');
  each(document['paths'], '#/paths', pathItem);
  each(document['webhooks'], '#/webhooks', pathItem);
}

const REF_ANNOTATIONS_30 = new Set(['$ref', 'title', 'description']);

/** Upgrades one OpenAPI 3.0 Schema Object to 3.1 semantics, in place. */
function upgradeSchema30(schema: Json): void {
  if ('$ref' in schema) {
    // OpenAPI 3.0: "properties added [beside $ref] SHALL be ignored".
    for (const key of Object.keys(schema)) if (!REF_ANNOTATIONS_30.has(key)) delete schema[key];
    return;
  }
  if ('nullable' in schema) {
    // OpenAPI 3.0.3: nullable "only takes effect if type is explicitly defined within the same
    // Schema Object"; then null is allowed besides values of that type (and so is an enum's null).
    const nullable = schema['nullable'] === true;
    delete schema['nullable'];
    if (nullable && typeof schema['type'] === 'string') {
      schema['type'] = [schema['type'], 'null'];
      const values = schema['enum'];
      if (Array.isArray(values) && !values.includes(null)) schema['enum'] = [...values, null];
    }
  }
  for (const [bound, exclusive] of [
    ['minimum', 'exclusiveMinimum'],
    ['maximum', 'exclusiveMaximum'],
  ] as const) {
    if (typeof schema[exclusive] !== 'boolean') continue;
    if (schema[exclusive] === true && typeof schema[bound] === 'number') {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    } else {
      delete schema[exclusive];
    }
  }
}

/** Rewrites every `$ref` string of the document (anywhere) with `rewrite`. */
function rewriteRefs(node: unknown, rewrite: (ref: string) => string): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteRefs(item, rewrite);
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') node[key] = rewrite(value);
    else if (typeof value === 'object' && value !== null) rewriteRefs(value, rewrite);
  }
}

const SCHEMAS = '#/components/schemas/';
const STRUCTURAL = new Set(['components', 'schemas', '$defs', 'definitions', 'properties', 'items', 'paths', 'content', 'schema']);

/**
 * Normalizes a bundled document in place (see the module comment). `document` must not be shared.
 */
export function normalizeDocument(document: Json): NormalizedDocument {
  const problems: NormalizeProblem[] = [];
  const openapiVersion = typeof document['openapi'] === 'string' ? document['openapi'] : '';
  if (/^3\.0\.\d+$/.test(openapiVersion)) {
    forEachSchema(document, upgradeSchema30);
    document['openapi'] = '3.1.0';
  }

  const components = isRecord(document['components']) ? document['components'] : undefined;
  const schemas = components && isRecord(components['schemas']) ? components['schemas'] : undefined;
  /** normalized pointer prefix -> original pointer prefix */
  const origins = new Map<string, string>();

  if (components && schemas) {
    // 1. Safe component names.
    const renamed = new Map<string, string>();
    const owners = new Map<string, string>();
    for (const name of Object.keys(schemas)) {
      const safe = safeName(name);
      const previous = owners.get(safe);
      if (previous !== undefined) {
        problems.push({
          pointer: childPointer('#/components/schemas', name),
          problem: `schema name "${name}" becomes "${safe}" as a TypeScript name, as does the schema at ${childPointer('#/components/schemas', previous)}: rename one of them`,
        });
        continue;
      }
      owners.set(safe, name);
      if (safe !== name) renamed.set(name, safe);
    }
    if (renamed.size > 0 && problems.length === 0) {
      const refOf = (name: string) => `${SCHEMAS}${escapePointerSegment(name)}`;
      // Implicit discriminator mappings name the schema: keep them working under the new name.
      forEachSchema(document, (schema) => {
        const d = schema['discriminator'];
        const variants = [...(Array.isArray(schema['oneOf']) ? schema['oneOf'] : []), ...(Array.isArray(schema['anyOf']) ? schema['anyOf'] : [])];
        if (!isRecord(d)) return;
        const mapping: Json = isRecord(d['mapping']) ? d['mapping'] : {};
        for (const v of variants) {
          const ref = isRecord(v) ? v['$ref'] : undefined;
          if (typeof ref !== 'string' || !ref.startsWith(SCHEMAS)) continue;
          const name = pointerSegments(ref).at(-1)!;
          if (renamed.has(name) && !Object.values(mapping).includes(ref) && !(name in mapping)) mapping[name] = ref;
        }
        for (const [value, target] of Object.entries(mapping)) {
          if (typeof target === 'string' && renamed.has(target)) mapping[value] = refOf(renamed.get(target)!);
        }
        if (Object.keys(mapping).length > 0) d['mapping'] = mapping;
      });
      const rewrite = (ref: string): string => {
        if (!ref.startsWith(SCHEMAS)) return ref;
        const [name, ...rest] = pointerSegments(ref).slice(2);
        const safe = name === undefined ? undefined : renamed.get(name);
        return safe === undefined ? ref : childPointer(refOf(safe), ...rest);
      };
      rewriteRefs(document, rewrite);
      forEachSchema(document, (schema) => {
        const d = schema['discriminator'];
        if (isRecord(d) && isRecord(d['mapping'])) {
          for (const [value, target] of Object.entries(d['mapping'])) if (typeof target === 'string') d['mapping'][value] = rewrite(target);
        }
      });
      const rebuilt: Json = {};
      for (const [name, value] of Object.entries(schemas)) {
        const safe = renamed.get(name) ?? name;
        rebuilt[safe] = value;
        if (safe !== name) origins.set(refOf(safe), refOf(name));
      }
      components['schemas'] = rebuilt;
    }
  }

  // 2. References into schemas (or $defs) that are not whole component schemas.
  const targets = new Map<string, string>();
  const collect = (schema: Json): void => {
    const ref = schema['$ref'];
    if (typeof ref !== 'string' || !ref.startsWith('#') || targets.has(ref)) return;
    const segments = pointerSegments(ref);
    if (segments.length === 3 && segments[0] === 'components' && segments[1] === 'schemas') return;
    if (!isRecord(getAtPointer(document, ref))) return; // broken: reported by the model
    targets.set(ref, '');
  };
  forEachSchema(document, collect);
  if (targets.size > 0) {
    if (!isRecord(document['components'])) document['components'] = {};
    const components2 = document['components'] as Json;
    if (!isRecord(components2['schemas'])) components2['schemas'] = {};
    const schemas2 = components2['schemas'] as Json;
    const taken = new Set(Object.keys(schemas2));
    // Copy first, then rewrite everything (the copies included), so circular references work.
    const copies: [string, unknown][] = [];
    for (const ref of targets.keys()) {
      const words = pointerSegments(ref).filter((s) => !STRUCTURAL.has(s));
      const base = safeName(pascalCase(words.join(' ')) || 'Schema');
      let name = base;
      for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
      taken.add(name);
      targets.set(ref, name);
      copies.push([name, structuredClone(getAtPointer(document, ref))]);
      origins.set(`${SCHEMAS}${escapePointerSegment(name)}`, ref);
    }
    for (const [name, copy] of copies) schemas2[name] = copy;
    rewriteRefs(document, (ref) => {
      const name = targets.get(ref);
      return name === undefined ? ref : `${SCHEMAS}${escapePointerSegment(name)}`;
    });
  }

  return {
    document,
    openapiVersion,
    problems,
    originalPointer(pointer) {
      if (!pointer.startsWith(SCHEMAS) || origins.size === 0) return pointer;
      const segments = pointerSegments(pointer);
      const prefix = `${SCHEMAS}${escapePointerSegment(segments[2] ?? '')}`;
      const origin = origins.get(prefix);
      return origin === undefined ? pointer : childPointer(origin, ...segments.slice(3));
    },
  };
}
