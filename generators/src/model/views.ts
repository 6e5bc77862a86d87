/**
 * Request and response views of the schemas (OpenAPI 3.1, 4.8.24 and JSON Schema's `readOnly`/
 * `writeOnly`): a property marked `readOnly` is not sent in requests, one marked `writeOnly` is
 * not returned in responses. The one place these views are derived: a request body or response
 * whose schema (through `$ref`s and subschemas) has such properties gets a synthesized named
 * schema, `<Name>Request` or `<Name>Response`, and the emitters just use that name:
 * - its type omits the properties the view drops (see {@link ViewSchemas.ref});
 * - its validator no longer requires them (a request carrying a `readOnly` value is still
 *   checked against the property's schema, not refused: the server ignores it).
 *
 * @module
 */
import type { GeneralSchema, NamedSchema, ObjectProperty, RefSchema, Schema } from './types.js';

export type View = 'request' | 'response';

/** The keyword that drops a property from a view. */
const DROPPED_BY = { request: 'readOnly', response: 'writeOnly' } as const;
const SUFFIX = { request: 'Request', response: 'Response' } as const;

/**
 * The keywords of a general schema whose subschemas a view reaches into besides `properties`
 * (the one list both the test for changes and the rewrite read): one subschema, a list of them,
 * or a list of entries with a `schema`.
 */
const ONE = ['ref', 'items', 'additionalProperties', 'if', 'then', 'else'] as const;
const MANY = ['prefixItems', 'allOf', 'anyOf', 'oneOf'] as const;
const ENTRIES = ['patternProperties', 'dependentSchemas'] as const;

/** Derives and registers view schemas over the named schemas (which it appends to). */
export class ViewSchemas {
  private readonly affects = new Map<string, boolean>();
  private readonly viewNames = new Map<string, string>();

  constructor(
    private readonly schemas: NamedSchema[],
    private readonly byName: Map<string, NamedSchema>,
  ) {}

  /**
   * The body or response schema as the view sees it: the same reference when the view drops
   * nothing, else a reference to the view's named schema (registered on first use).
   */
  ref(schema: RefSchema, view: View): RefSchema {
    const name = this.viewName(schema.name, view);
    return name === undefined ? schema : { ...schema, name };
  }

  /** Whether a property schema is dropped by the view (its own flag, or that of the schema it names). */
  private dropped(schema: Schema, view: View): boolean {
    const flag = DROPPED_BY[view];
    if (schema[flag] === true) return true;
    return schema.kind === 'ref' && this.byName.get(schema.name)?.schema[flag] === true;
  }

  /** Whether the view changes anything in the schema (a property it drops, anywhere inside). */
  private affected(schema: Schema | undefined, view: View): boolean {
    if (schema === undefined) return false;
    switch (schema.kind) {
      case 'ref':
        return this.affectedName(schema.name, view);
      case 'object':
        return schema.properties.some((p) => this.dropped(p.schema, view) || this.affected(p.schema, view));
      case 'array':
        return this.affected(schema.items, view);
      case 'oneOf':
        return schema.variants.some((v) => this.affectedName(v.name, view));
      case 'json':
        return (
          (schema.properties ?? []).some((p) => this.dropped(p.schema, view) || this.affected(p.schema, view)) ||
          ONE.some((k) => this.affected(schema[k], view)) ||
          MANY.some((k) => (schema[k] ?? []).some((s) => this.affected(s, view))) ||
          ENTRIES.some((k) => (schema[k] ?? []).some((e: { schema: Schema }) => this.affected(e.schema, view)))
        );
      default:
        return false;
    }
  }

  private affectedName(name: string, view: View): boolean {
    const key = `${view}:${name}`;
    const known = this.affects.get(key);
    if (known !== undefined) return known;
    this.affects.set(key, false); // a cycle adds nothing
    const result = this.affected(this.byName.get(name)?.schema, view);
    this.affects.set(key, result);
    return result;
  }

  /** The view's named schema for `name` (registered on first use), or undefined when the view drops nothing. */
  private viewName(name: string, view: View): string | undefined {
    const key = `${view}:${name}`;
    const known = this.viewNames.get(key);
    if (known !== undefined) return known;
    const base = this.byName.get(name);
    if (!base || !this.affectedName(name, view)) return undefined;
    // A free name, deterministically: <Name>Request, else <Name>RequestView, <Name>RequestView2...
    let viewName = `${name}${SUFFIX[view]}`;
    for (let i = 1; this.byName.has(viewName); i++) viewName = `${name}${SUFFIX[view]}View${i === 1 ? '' : i}`;
    this.viewNames.set(key, viewName); // before recursing: a cycle refers to the name
    const named: NamedSchema = {
      name: viewName,
      schema: this.schemaOf(base.schema, view),
      typeExpression: this.typeOf(base.schema, name, view) ?? name,
      viewOf: { name, view },
    };
    this.schemas.push(named);
    this.byName.set(viewName, named);
    return viewName;
  }

  private properties(properties: readonly ObjectProperty[], view: View): ObjectProperty[] {
    return properties.map((p) => (this.dropped(p.schema, view) ? { ...p, required: false } : { ...p, schema: this.schemaOf(p.schema, view) }));
  }

  private droppedNames(properties: readonly ObjectProperty[] | undefined, view: View): Set<string> {
    return new Set((properties ?? []).filter((p) => this.dropped(p.schema, view)).map((p) => p.name));
  }

  /** The schema for the view's validator: dropped properties no longer required, references to views. */
  private schemaOf(schema: Schema, view: View): Schema {
    const sub = (s: Schema | undefined) => (s === undefined ? undefined : this.schemaOf(s, view));
    switch (schema.kind) {
      case 'ref':
        return { ...schema, name: this.viewName(schema.name, view) ?? schema.name };
      case 'object': {
        const dropped = this.droppedNames(schema.properties, view);
        return { ...schema, properties: this.properties(schema.properties, view), required: schema.required.filter((n) => !dropped.has(n)) };
      }
      case 'array':
        return { ...schema, items: sub(schema.items) };
      case 'oneOf':
        return { ...schema, variants: schema.variants.map((v) => ({ ...v, name: this.viewName(v.name, view) ?? v.name })) };
      case 'json': {
        const dropped = this.droppedNames(schema.properties, view);
        const out: Record<string, unknown> = {
          ...schema,
          properties: schema.properties && this.properties(schema.properties, view),
          required: schema.required?.filter((n) => !dropped.has(n)),
        };
        for (const k of ONE) out[k] = sub(schema[k]);
        for (const k of MANY) out[k] = schema[k]?.map((s) => this.schemaOf(s, view));
        for (const k of ENTRIES) out[k] = schema[k]?.map((e: { schema: Schema }) => ({ ...e, schema: this.schemaOf(e.schema, view) }));
        return out as unknown as GeneralSchema;
      }
      default:
        return schema;
    }
  }

  /**
   * The view's TypeScript type over `base` (the type of `schema` in the types package), or
   * undefined when it is `base` itself: dropped properties omitted, changed ones replaced.
   * Composition keywords (`allOf`, `anyOf`...) keep their base type (wider than the view: the
   * validator still applies the view).
   */
  private typeOf(schema: Schema, base: string, view: View): string | undefined {
    switch (schema.kind) {
      case 'ref':
        return this.viewName(schema.name, view);
      case 'array': {
        const items = schema.items && this.typeOf(schema.items, `${base}[number]`, view);
        return items === undefined ? undefined : `(${items})[]`;
      }
      case 'object':
        return this.objectType(schema.properties, base, view);
      case 'json': {
        if (schema.allOf || schema.anyOf || schema.oneOf || schema.ref) return undefined;
        const nullable = schema.types?.includes('null') ? ' | null' : '';
        const object = schema.properties && this.objectType(schema.properties, `NonNullable<${base}>`, view);
        if (object !== undefined) return `(${object})${nullable}`;
        const items = schema.items && this.typeOf(schema.items, `NonNullable<${base}>[number]`, view);
        return items === undefined ? undefined : `(${items})[]${nullable}`;
      }
      default:
        return undefined;
    }
  }

  private objectType(properties: readonly ObjectProperty[], base: string, view: View): string | undefined {
    const omitted: string[] = [];
    const replaced: string[] = [];
    for (const p of properties) {
      const key = JSON.stringify(p.name);
      if (this.dropped(p.schema, view)) {
        omitted.push(key);
        continue;
      }
      const type = this.typeOf(p.schema, `Exclude<${base}[${key}], undefined>`, view);
      if (type === undefined) continue;
      omitted.push(key);
      replaced.push(`${key}${p.required ? '' : '?'}: ${type}`);
    }
    if (omitted.length === 0) return undefined;
    const rest = `Omit<${base}, ${omitted.join(' | ')}>`;
    return replaced.length === 0 ? rest : `${rest} & { ${replaced.join('; ')} }`;
  }
}
