/**
 * The schema half of `embedkit diff`: compares two resolved JSON Schemas and classifies each
 * change by the direction data flows. A request schema may relax (the API accepts more) but not
 * tighten; a response schema may tighten (the API returns less) but not relax, because consumers
 * handle every value the old packages could return (exhaustive switches on enums, non-null
 * fields). The rules follow oasdiff's (`request-property-enum-value-removed` etc.).
 *
 * @module
 */
import { isObject, type Json, type JsonObject } from './resolve.js';
import type { Change, ChangeKind } from './types.js';

export type Direction = 'request' | 'response';

export interface SchemaContext {
  readonly direction: Direction;
  /** Rule prefix for the root schema: `request-body`, `request-parameter`, `response-header`, `response-body`. */
  readonly rootSubject: string;
  /** `POST /path request body multipart/form-data`. */
  readonly location: string;
  /** True for a multipart body: the root object's properties are parts. */
  readonly multipart: boolean;
  readonly out: Change[];
  /** Pairs already compared (cyclic schemas reach the same pair again). */
  readonly seen: Map<object, Set<object>>;
}

interface Position {
  readonly path: string;
  /** The properties of this node's object are multipart parts. */
  readonly partLevel: boolean;
  /** Rule prefix for this node (`request-property`, `request-part`, or the root subject). */
  readonly subject: string;
}

export function record(
  out: Change[],
  kind: ChangeKind,
  rule: string,
  location: string,
  message: string,
  reason: string,
): void {
  out.push({ breaking: kind === 'breaking', kind, rule, location, message, reason });
}

function where(ctx: SchemaContext, pos: Position): string {
  return pos.path === '' ? ctx.location : `${ctx.location}: ${pos.path}`;
}

/** The kind of a change that narrows what is allowed (tightens) at this position. */
function narrowing(ctx: SchemaContext): ChangeKind {
  return ctx.direction === 'request' ? 'breaking' : 'compatible';
}

/** The kind of a change that widens what is allowed (relaxes) at this position. */
function widening(ctx: SchemaContext): ChangeKind {
  return ctx.direction === 'request' ? 'compatible' : 'breaking';
}

function because(ctx: SchemaContext, narrows: boolean): string {
  if (ctx.direction === 'request') {
    return narrows
      ? 'requests that were valid may now be rejected by the validators, the types and the API'
      : 'every request that was valid stays valid';
  }
  return narrows
    ? 'every response value the old packages described is still possible; consumers handle a subset'
    : 'responses may now carry values the old types did not describe, which consumer code may not handle';
}

const show = (value: Json | undefined): string => (typeof value === 'string' ? `\`${value}\`` : `\`${JSON.stringify(value)}\``);

function typeSet(schema: JsonObject): Set<string> | undefined {
  const raw = schema['type'];
  const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((t): t is string => typeof t === 'string') : undefined;
  if (list === undefined) return undefined;
  const set = new Set(list);
  if (schema['nullable'] === true) set.add('null');
  if (set.has('number')) set.delete('integer');
  return set;
}

function enumValues(schema: JsonObject): Map<string, Json> | undefined {
  const values = Array.isArray(schema['enum']) ? schema['enum'] : 'const' in schema ? [schema['const']!] : undefined;
  if (values === undefined) return undefined;
  return new Map(values.map((v) => [JSON.stringify(v), v]));
}

const UPPER = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'] as const;
const LOWER = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'] as const;

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function element(pos: Position): string {
  return pos.partLevel ? 'part' : 'property';
}

function child(ctx: SchemaContext, pos: Position, segment: string): Position {
  const path = pos.path === '' ? segment : `${pos.path}.${segment}`;
  return { path, partLevel: false, subject: `${ctx.direction}-${pos.partLevel ? 'part' : 'property'}` };
}

/** The key that pairs a oneOf/anyOf alternative with its counterpart: discriminator value, title, or index. */
function alternativeKey(parent: JsonObject, alt: Json, index: number): string {
  if (isObject(alt)) {
    const discriminator = isObject(parent['discriminator']) ? parent['discriminator']['propertyName'] : undefined;
    const props = isObject(alt['properties']) ? alt['properties'] : undefined;
    for (const name of typeof discriminator === 'string' ? [discriminator] : ['type', 'kind']) {
      const prop = props?.[name];
      if (isObject(prop)) {
        if (typeof prop['const'] === 'string') return prop['const'];
        if (Array.isArray(prop['enum']) && prop['enum'].length === 1 && typeof prop['enum'][0] === 'string') return prop['enum'][0];
      }
    }
    if (typeof alt['title'] === 'string') return alt['title'];
  }
  return `#${index + 1}`;
}

/** Compares two schemas at a position; appends every change to `ctx.out`. */
export function diffSchema(ctx: SchemaContext, oldSchema: Json | undefined, newSchema: Json | undefined, pos?: Position): void {
  const at: Position = pos ?? { path: '', partLevel: ctx.multipart, subject: ctx.rootSubject };
  if (!isObject(oldSchema) || !isObject(newSchema)) return;
  const pairs = ctx.seen.get(oldSchema) ?? new Set<object>();
  if (pairs.has(newSchema)) return;
  ctx.seen.set(oldSchema, pairs);
  pairs.add(newSchema);

  const loc = where(ctx, at);
  const s = at.subject;

  // Documentation.
  for (const key of ['description', 'title'] as const) {
    if (JSON.stringify(oldSchema[key]) !== JSON.stringify(newSchema[key])) {
      record(ctx.out, 'documentation', `${s}-${key}-changed`, loc, `${key} changed`, 'documentation only: TSDoc and READMEs change, code does not');
    }
  }
  if (JSON.stringify([oldSchema['example'], oldSchema['examples']]) !== JSON.stringify([newSchema['example'], newSchema['examples']])) {
    record(ctx.out, 'documentation', `${s}-example-changed`, loc, 'example changed', 'documentation only: examples do not change code');
  }
  if (oldSchema['deprecated'] !== true && newSchema['deprecated'] === true) {
    record(ctx.out, 'compatible', `${s}-deprecated`, loc, 'deprecated', 'still accepted; plan to stop using it');
  }

  // Type.
  const oldTypes = typeSet(oldSchema);
  const newTypes = typeSet(newSchema);
  if (oldTypes !== undefined || newTypes !== undefined) {
    const fmt = (t: Set<string> | undefined) => (t === undefined ? 'any type' : [...t].sort().join(' | '));
    if (oldTypes === undefined) {
      record(ctx.out, narrowing(ctx), `${s}-type-added`, loc, `type restricted to ${fmt(newTypes)}`, because(ctx, true));
    } else if (newTypes === undefined) {
      record(ctx.out, widening(ctx), `${s}-type-removed`, loc, `type no longer restricted (was ${fmt(oldTypes)})`, because(ctx, false));
    } else {
      const added = [...newTypes].filter((t) => !oldTypes.has(t) && !(t === 'number' && oldTypes.has('integer')));
      const widenedNumber = [...newTypes].some((t) => t === 'number' && oldTypes.has('integer'));
      const removed = [...oldTypes].filter((t) => !newTypes.has(t) && !(t === 'integer' && newTypes.has('number')));
      if (removed.length > 0 && added.length > 0) {
        record(ctx.out, 'breaking', `${s}-type-changed`, loc, `type changed from ${fmt(oldTypes)} to ${fmt(newTypes)}`,
          'values of the old type are no longer valid, and the generated types change');
        return;
      }
      if (removed.length > 0) {
        record(ctx.out, narrowing(ctx), `${s}-type-narrowed`, loc, `type narrowed from ${fmt(oldTypes)} to ${fmt(newTypes)}`, because(ctx, true));
      } else if (added.length > 0 || widenedNumber) {
        record(ctx.out, widening(ctx), `${s}-type-widened`, loc, `type widened from ${fmt(oldTypes)} to ${fmt(newTypes)}`, because(ctx, false));
      }
    }
  }

  // Format, pattern, default.
  for (const key of ['format', 'pattern'] as const) {
    const a = oldSchema[key];
    const b = newSchema[key];
    if (a === b) continue;
    if (a === undefined) record(ctx.out, narrowing(ctx), `${s}-${key}-added`, loc, `${key} ${show(b)} added`, because(ctx, true));
    else if (b === undefined) record(ctx.out, widening(ctx), `${s}-${key}-removed`, loc, `${key} ${show(a)} removed`, because(ctx, false));
    else record(ctx.out, 'breaking', `${s}-${key}-changed`, loc, `${key} changed from ${show(a)} to ${show(b)}`, `values valid under the old ${key} may be invalid under the new one, and the reverse`);
  }
  if (ctx.direction === 'request' && JSON.stringify(oldSchema['default']) !== JSON.stringify(newSchema['default'])) {
    const a = oldSchema['default'];
    const b = newSchema['default'];
    if (a !== undefined) {
      record(ctx.out, 'breaking', `${s}-default-changed`, loc, b === undefined ? `default ${show(a)} removed` : `default changed from ${show(a)} to ${show(b)}`,
        'requests that omit it now mean something else');
    } else {
      record(ctx.out, 'compatible', `${s}-default-added`, loc, `default ${show(b)} added`, 'requests that omit it keep working');
    }
  }

  // Enum and const.
  const oldEnum = enumValues(oldSchema);
  const newEnum = enumValues(newSchema);
  if (oldEnum === undefined && newEnum !== undefined) {
    record(ctx.out, narrowing(ctx), `${s}-enum-added`, loc, `restricted to ${[...newEnum.values()].map(show).join(', ')}`, because(ctx, true));
  } else if (oldEnum !== undefined && newEnum === undefined) {
    record(ctx.out, widening(ctx), `${s}-enum-removed`, loc, `no longer restricted to ${[...oldEnum.values()].map(show).join(', ')}`, because(ctx, false));
  } else if (oldEnum !== undefined && newEnum !== undefined) {
    for (const [key, value] of oldEnum) {
      if (newEnum.has(key)) continue;
      record(ctx.out, narrowing(ctx), `${s}-enum-value-removed`, loc, `enum value ${show(value)} removed`,
        ctx.direction === 'request' ? `clients sending ${show(value)} fail to compile and are rejected` : 'the API no longer returns it; consumers handle a subset');
    }
    for (const [key, value] of newEnum) {
      if (oldEnum.has(key)) continue;
      record(ctx.out, widening(ctx), `${s}-enum-value-added`, loc, `enum value ${show(value)} added`,
        ctx.direction === 'request' ? 'a new value clients may send; existing values stay valid' : 'consumers with an exhaustive switch over the old values meet a value they do not handle');
    }
  }

  // Bounds.
  for (const [keywords, upper] of [[UPPER, true], [LOWER, false]] as const) {
    for (const key of keywords) {
      const a = oldSchema[key];
      const b = newSchema[key];
      if (a === b) continue;
      if (a !== undefined && typeof a !== 'number') continue; // OpenAPI 3.0's boolean exclusive bounds
      if (b !== undefined && typeof b !== 'number') continue;
      let verb: string;
      let narrows: boolean;
      if (a === undefined) [verb, narrows] = ['added', true];
      else if (b === undefined) [verb, narrows] = ['removed', false];
      else [verb, narrows] = b < a ? ['decreased', upper] : ['increased', !upper];
      const message = a === undefined ? `${key} ${b} added` : b === undefined ? `${key} ${a} removed` : `${key} ${verb} from ${a} to ${b}`;
      record(ctx.out, narrows ? narrowing(ctx) : widening(ctx), `${s}-${kebab(key)}-${verb}`, loc, message, because(ctx, narrows));
    }
  }

  // Object properties and required-ness.
  const oldProps = isObject(oldSchema['properties']) ? oldSchema['properties'] : {};
  const newProps = isObject(newSchema['properties']) ? newSchema['properties'] : {};
  const oldRequired = new Set(Array.isArray(oldSchema['required']) ? oldSchema['required'].filter((r) => typeof r === 'string') : []);
  const newRequired = new Set(Array.isArray(newSchema['required']) ? newSchema['required'].filter((r) => typeof r === 'string') : []);
  const what = element(at);
  const dir = ctx.direction;
  for (const name of Object.keys(oldProps)) {
    const next = child(ctx, at, name);
    const nloc = where(ctx, next);
    if (!(name in newProps)) {
      record(ctx.out, 'breaking', `${dir}-${what}-removed`, nloc, `${what} \`${name}\` removed`,
        dir === 'request' ? `clients sending \`${name}\` fail to compile and may be rejected` : `consumers reading \`${name}\` no longer get it`);
      continue;
    }
    diffSchema(ctx, oldProps[name], newProps[name], next);
    if (oldRequired.has(name) && !newRequired.has(name)) {
      record(ctx.out, dir === 'request' ? 'compatible' : 'breaking', `${dir}-${what}-became-optional`, nloc, `${what} \`${name}\` became optional`,
        dir === 'request' ? 'clients that send it keep working' : 'consumers that read it must now handle its absence');
    } else if (!oldRequired.has(name) && newRequired.has(name)) {
      record(ctx.out, dir === 'request' ? 'breaking' : 'compatible', `${dir}-${what}-became-required`, nloc, `${what} \`${name}\` became required`,
        dir === 'request' ? 'clients that omit it fail to compile and are rejected' : 'always present now; consumers that handled its absence keep working');
    }
  }
  for (const name of Object.keys(newProps)) {
    if (name in oldProps) continue;
    const nloc = where(ctx, child(ctx, at, name));
    const required = newRequired.has(name);
    if (dir === 'request') {
      record(ctx.out, required ? 'breaking' : 'compatible', `new-${required ? 'required' : 'optional'}-request-${what}`, nloc,
        `new ${required ? 'required' : 'optional'} ${what} \`${name}\``,
        required ? 'clients that do not send it fail to compile and are rejected' : 'clients may send it; existing requests stay valid');
    } else {
      record(ctx.out, 'compatible', `response-${what}-added`, nloc, `new ${required ? 'required' : 'optional'} ${what} \`${name}\``,
        'consumers that do not read it are unaffected');
    }
  }

  // additionalProperties.
  const oldAdditional = oldSchema['additionalProperties'];
  const newAdditional = newSchema['additionalProperties'];
  if (oldAdditional !== false && newAdditional === false) {
    record(ctx.out, narrowing(ctx), `${s}-additional-properties-forbidden`, loc, 'additional properties no longer allowed', because(ctx, true));
  } else if (oldAdditional === false && newAdditional !== undefined && newAdditional !== false) {
    record(ctx.out, widening(ctx), `${s}-additional-properties-allowed`, loc, 'additional properties now allowed', because(ctx, false));
  } else if (isObject(oldAdditional) && isObject(newAdditional)) {
    diffSchema(ctx, oldAdditional, newAdditional, child(ctx, at, '*'));
  }

  // Arrays.
  diffSchema(ctx, oldSchema['items'], newSchema['items'], { ...child(ctx, at, '[]'), path: `${at.path}[]`, subject: at.subject });

  // Alternatives: paired by discriminator value or title.
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const a = Array.isArray(oldSchema[keyword]) ? oldSchema[keyword] : [];
    const b = Array.isArray(newSchema[keyword]) ? newSchema[keyword] : [];
    if (a.length === 0 && b.length === 0) continue;
    const oldAlts = new Map(a.map((alt, i) => [alternativeKey(oldSchema, alt, i), alt]));
    const newAlts = new Map(b.map((alt, i) => [alternativeKey(newSchema, alt, i), alt]));
    const altPos = (key: string): Position => ({ ...at, path: at.path === '' ? `(${key})` : `${at.path}(${key})` });
    for (const [key, alt] of oldAlts) {
      if (newAlts.has(key)) diffSchema(ctx, alt, newAlts.get(key), altPos(key));
      else {
        record(ctx.out, narrowing(ctx), `${s}-${kebab(keyword)}-variant-removed`, where(ctx, altPos(key)), `${keyword} variant \`${key}\` removed`,
          dir === 'request' ? `clients sending the \`${key}\` variant fail to compile and are rejected` : 'the API no longer returns it; consumers handle a subset');
      }
    }
    for (const key of newAlts.keys()) {
      if (oldAlts.has(key)) continue;
      record(ctx.out, widening(ctx), `${s}-${kebab(keyword)}-variant-added`, where(ctx, altPos(key)), `${keyword} variant \`${key}\` added`,
        dir === 'request' ? 'a new variant clients may send; existing requests stay valid' : 'responses may take a shape consumers do not handle');
    }
  }
  const oldAll = Array.isArray(oldSchema['allOf']) ? oldSchema['allOf'] : [];
  const newAll = Array.isArray(newSchema['allOf']) ? newSchema['allOf'] : [];
  if (oldAll.length !== newAll.length) {
    record(ctx.out, 'breaking', `${s}-all-of-changed`, loc, `allOf changed from ${oldAll.length} to ${newAll.length} schemas`, 'the combined shape changed');
  } else {
    for (const [i, member] of oldAll.entries()) diffSchema(ctx, member, newAll[i], at);
  }
}
