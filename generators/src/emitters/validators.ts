/**
 * Emits `@embedkit/validators-<version>`: one specialized validator per schema.
 *
 * For every schema two private functions are generated: `c_X(value): boolean`, straight-line
 * checks that allocate nothing (the happy path), and `e_X(value, path, out)`, which runs only
 * when `c_X` fails and pushes every issue with its path, rule and message. Enums are `Set`
 * lookups; scalar `$ref`s are inlined; objects, arrays and discriminated unions get their own
 * functions. Nothing is interpreted or compiled at run time.
 *
 * Public API per schema `X`: `validateX(value)`, the type guard `isX(value)` and the Standard
 * Schema v1 object `XSchema`. Also per operation: `validate<Op>PathParams` and, for a multipart
 * body, the client input validators (`validateSubmitVerificationInput`, one per variant).
 *
 * `src/index.ts` holds them all. Each exported validator also gets `src/schemas/X.ts` (package
 * subpath `./schemas/X`): the same three exports in a self-contained module with only the units,
 * constants and helpers X needs, for a cold start that does not load every other validator.
 *
 * @module
 */
import { type Body, identifiersIn, ModuleBuilder, renderBody, renderStatement, statementsNeeded, type TopLevelStatement, topLevelStatements, type Writer, wrapText } from '../ast/index.js';
import type { GeneratorContext } from '../context.js';
import { resolveSchema } from '../model/build.js';
import { isIdentifier, packageNames, validatorNames } from '../model/names.js';
import type { ApiModel, GeneralSchema, JsonPrimitive, MultipartVariant, NamedSchema, ObjectSchema, OneOfSchema, Schema } from '../model/types.js';
import { fileHeader, type GeneratedFile, packageReadme, paragraphs } from './common.js';
import { GROUP_GUARD, type KeywordCode, type KeywordCodegen, KEYWORD_HANDLERS, type KeywordGroup, lit, propertyAccess, typeTest } from './validators-keywords.js';
import { supportImportsFor, supportModule } from './validators-support.js';

/** A schema that gets its own validator functions. */
interface ValidatorUnit {
  /** Base of the function names: c_<base>, e_<base>. */
  readonly base: string;
  readonly schema: Schema;
  /** Name used in messages, e.g. `IdentityDocumentMetadata`, when the schema has one. */
  readonly label?: string | undefined;
}

/** TSDoc of an exported check (it is the public `isX`). */
function checkDocs(gen: ValidatorCodegen, base: string): { description: string } | undefined {
  return gen.guards.has(base) ? { description: `True if the value is a valid \`${base}\` (exported as \`is${base}\`; no issues built).` } : undefined;
}

/** The return type of `c_<base>`: a type predicate for exported schemas (it is exported as `isX`). */
function checkReturnType(gen: ValidatorCodegen, base: string): string {
  const guarded = gen.guards.get(base);
  return guarded === undefined ? 'boolean' : `v is ${guarded}`;
}

/** A publicly exported validator. */
interface ExportedValidator {
  readonly name: string;
  readonly base: string;
  /** The validated TypeScript type, e.g. `T.IdentityDocumentMetadata`. */
  readonly type: string;
  readonly description: string;
}

/** Enums with more values than this are described by count in messages, not listed. */
const ENUM_LIST_LIMIT = 10;

/** The code generator state of one emitter run (never shared between runs). */
class ValidatorCodegen {
  readonly byName: Map<string, NamedSchema>;
  readonly units = new Map<string, ValidatorUnit>();
  readonly sets: Map<string, readonly JsonPrimitive[]>;
  readonly mediaTypeLists: Map<string, readonly string[]>;
  /** Units exported as `isX`, with the TypeScript type their check guards. */
  readonly guards = new Map<string, string>();
  readonly #setBySchema: Map<Schema, string>;
  /** Module-level constants of general schemas (RegExps, JSON values): name -> declaration. */
  readonly literals: Map<string, { initializer: string; type: string }>;
  /** Units whose annotation function `m_<base>` is needed (for `unevaluated*`). */
  readonly marked = new Set<string>();
  /** What the keyword handlers use of this generator. */
  readonly keywords: KeywordCodegen = {
    check: (schema, x, hint) => this.check(schema, x, hint),
    unitOf: (schema, hint) => this.unitOf(schema, hint),
    collect: (schema, x, path, hint) => renderCollect(this, schema, x, path, hint),
    constant: (hint, initializer, type = 'unknown') => {
      for (const [name, c] of this.literals) if (c.initializer === initializer && c.type === type) return name;
      let name = `K_${hint}`;
      for (let i = 2; this.literals.has(name); i++) name = `K_${hint}_${i}`;
      this.literals.set(name, { initializer, type });
      return name;
    },
    set: (hint, values) => {
      const key = JSON.stringify(values);
      for (const [name, list] of this.sets) if (JSON.stringify(list) === key) return name;
      let name = `S_${hint}`;
      for (let i = 2; this.sets.has(name); i++) name = `S_${hint}_${i}`;
      this.sets.set(name, values);
      return name;
    },
    mark: (schema, x, ev, hint) => {
      const r = this.resolve(schema, hint);
      // Registered as needed only when an `unevaluated*` uses the line (see commitMarks).
      return r.call ? [`m_${r.call}(${x}, ${ev});`] : [];
    },
  };

  /** `constants`: another run whose constants (Sets, RegExps, ...) this one shares, names included. */
  constructor(schemas: readonly NamedSchema[], constants?: ValidatorCodegen) {
    this.byName = new Map(schemas.map((s) => [s.name, s]));
    this.sets = constants?.sets ?? new Map();
    this.mediaTypeLists = constants?.mediaTypeLists ?? new Map();
    this.literals = constants?.literals ?? new Map();
    this.#setBySchema = constants ? constants.#setBySchema : new Map();
  }

  /** The names of every module-level constant created so far. */
  constantNames(): Set<string> {
    return new Set([...this.sets.keys(), ...this.mediaTypeLists.keys(), ...this.literals.keys()]);
  }

  /** Registers the validator functions of a schema under a base name. */
  unit(base: string, schema: Schema, label?: string): string {
    if (!this.units.has(base)) this.units.set(base, { base, schema, label });
    return base;
  }

  /** The unit of a schema: its own for objects, arrays, unions and general schemas, else a new one for the inlined check. */
  unitOf(schema: Schema, hint: string): string {
    const r = this.resolve(schema, hint);
    return r.call ?? this.unit(hint, schema, r.label);
  }

  /** The `Set` constant holding an enum's values. */
  setFor(schema: Schema, hint: string, values: readonly JsonPrimitive[]): string {
    const existing = this.#setBySchema.get(schema);
    if (existing) return existing;
    let name = `S_${hint}`;
    for (let i = 2; this.sets.has(name); i++) name = `S_${hint}_${i}`;
    this.sets.set(name, values);
    this.#setBySchema.set(schema, name);
    return name;
  }

  mediaTypesFor(types: readonly string[]): string {
    const key = JSON.stringify(types);
    for (const [name, list] of this.mediaTypeLists) if (JSON.stringify(list) === key) return name;
    const name = `MEDIA_TYPES_${this.mediaTypeLists.size}`;
    this.mediaTypeLists.set(name, types);
    return name;
  }

  /**
   * Resolves a schema for inline use: follows `$ref`s to scalars (so they are inlined) and stops at
   * named objects, arrays and unions (which are called). Returns the schema to inline, the label for
   * messages, and the hint for constant names.
   */
  resolve(schema: Schema, hint: string): { schema: Schema; label: string | undefined; hint: string; call?: string } {
    let current = schema;
    let label: string | undefined;
    let currentHint = hint;
    const seen = new Set<string>();
    while (current.kind === 'ref' && !seen.has(current.name)) {
      seen.add(current.name);
      const target = this.byName.get(current.name);
      if (!target) break;
      label = current.name;
      currentHint = current.name;
      if (isCalled(target.schema)) {
        return { schema: target.schema, label, hint: currentHint, call: this.unit(current.name, target.schema, current.name) };
      }
      current = target.schema;
    }
    if (isCalled(current)) {
      return { schema: current, label, hint: currentHint, call: this.unit(hint, current, label) };
    }
    return { schema: current, label, hint: currentHint };
  }

  /** A boolean expression that is true when `x` is valid against `schema`. */
  check(schema: Schema, x: string, hint: string): string {
    const r = this.resolve(schema, hint);
    if (r.call) return `c_${r.call}(${x})`;
    const s = r.schema;
    switch (s.kind) {
      case 'any':
      case 'ref':
        return 'true';
      case 'string': {
        if (s.format === 'binary') {
          const accepted = mediaTypesOf(s);
          return accepted.length > 0 ? `checkFile(${x}) && hasAcceptedMediaType(${x}, ${this.mediaTypesFor(accepted)})` : `checkFile(${x})`;
        }
        if (s.const !== undefined) return `${x} === ${JSON.stringify(s.const)}`;
        const parts = [`typeof ${x} === 'string'`];
        if (s.enum) parts.push(`${this.setFor(s, r.hint, s.enum)}.has(${x})`);
        if (s.minLength !== undefined && s.minLength > 0) parts.push(minLengthCheck(x, s.minLength));
        if (s.maxLength !== undefined) parts.push(`(${x}.length <= ${s.maxLength} || ucs2length(${x}) <= ${s.maxLength})`);
        if (s.format === 'date') parts.push(`checkDate(${x})`);
        if (s.format === 'date-time') parts.push(`checkDateTime(${x})`);
        if (s.format === 'uri') parts.push(`checkUri(${x})`);
        return parts.join(' && ');
      }
      case 'number':
      case 'integer':
      case 'boolean':
      case 'null': {
        const typeCheck = scalarTypeCheck(s.kind, x);
        if (s.const !== undefined) return `${x} === ${JSON.stringify(s.const)}`;
        if (s.enum) return `${typeCheck} && ${this.setFor(s, r.hint, s.enum)}.has(${x})`;
        return typeCheck;
      }
      case 'enum':
        return s.isConst ? `${x} === ${JSON.stringify(s.values[0])}` : `${this.setFor(s, r.hint, s.values)}.has(${x})`;
      default:
        return 'true';
    }
  }

  /** Statements that push every issue of an invalid `x` (only run after `check` failed). */
  collect(w: Writer, schema: Schema, x: string, path: string, hint: string, ownLabel?: string): void {
    // A named schema has its own collector: call it (error paths are cold; this keeps the code small).
    if (schema.kind === 'ref' && this.byName.has(schema.name)) {
      this.unit(schema.name, this.byName.get(schema.name)!.schema, schema.name);
      w.writeLine(`e_${schema.name}(${x}, ${path}, out);`);
      return;
    }
    const r = this.resolve(schema, hint);
    if (r.call) {
      w.writeLine(`e_${r.call}(${x}, ${path}, out);`);
      return;
    }
    const s = r.schema;
    const label = r.label ?? ownLabel;
    switch (s.kind) {
      case 'string': {
        if (s.format === 'binary') {
          const accepted = mediaTypesOf(s);
          w.writeLine(`fileIssue(${x}, ${path}, ${accepted.length > 0 ? this.mediaTypesFor(accepted) : 'NO_MEDIA_TYPES'}, out);`);
          return;
        }
        if (s.const !== undefined) {
          w.writeLine(`if (${x} !== ${JSON.stringify(s.const)}) out.push(issue(${path}, 'const', ${lit(`must be ${JSON.stringify(s.const)}, got `)} + describe(${x})));`);
          return;
        }
        w.writeLine(`if (typeof ${x} !== 'string') out.push(typeIssue(${path}, 'a string', ${x}));`);
        const lines: string[] = [];
        if (s.enum) {
          const set = this.setFor(s, r.hint, s.enum);
          lines.push(`if (!${set}.has(${x})) out.push(issue(${path}, 'enum', ${lit(enumMessage(s.enum, label, s.description))} + describe(${x})));`);
        }
        if (s.minLength !== undefined && s.minLength > 0) {
          const message =
            s.minLength === 1 ? lit('must not be empty') : `${lit(`must be at least ${s.minLength} characters long, got `)} + ucs2length(${x})`;
          lines.push(`if (!(${minLengthCheck(x, s.minLength)})) out.push(issue(${path}, 'minLength', ${message}));`);
        }
        if (s.maxLength !== undefined) {
          lines.push(
            `if (${x}.length > ${s.maxLength} && ucs2length(${x}) > ${s.maxLength}) out.push(issue(${path}, 'maxLength', ${lit(`must be at most ${s.maxLength} characters long, got `)} + ucs2length(${x})));`,
          );
        }
        if (s.format === 'date') {
          lines.push(`if (!checkDate(${x})) out.push(issue(${path}, 'format:date', 'must be a real calendar date (YYYY-MM-DD), got ' + describe(${x})));`);
        }
        if (s.format === 'date-time') {
          lines.push(
            `if (!checkDateTime(${x})) out.push(issue(${path}, 'format:date-time', 'must be an RFC 3339 date-time with Z or an offset, such as 2024-04-15T10:00:00Z or 2024-04-15T12:00:00+02:00, got ' + describe(${x})));`,
          );
        }
        if (s.format === 'uri') {
          lines.push(`if (!checkUri(${x})) out.push(issue(${path}, 'format:uri', 'must be an absolute URI, such as https://example.com/file.jpg, got ' + describe(${x})));`);
        }
        // A single check follows the type test as `else if`, several as an `else` block.
        if (lines.length === 1) w.writeLine(`else ${lines[0]}`);
        else if (lines.length > 1) {
          w.writeLine('else {');
          w.indent(() => {
            for (const line of lines) w.writeLine(line);
          });
          w.writeLine('}');
        }
        return;
      }
      case 'number':
      case 'integer':
      case 'boolean':
      case 'null': {
        const typeCheck = scalarTypeCheck(s.kind, x);
        const typeWord = { number: 'a finite number', integer: 'an integer', boolean: 'a boolean', null: 'null' }[s.kind];
        if (s.const !== undefined) {
          w.writeLine(`if (${x} !== ${JSON.stringify(s.const)}) out.push(issue(${path}, 'const', ${lit(`must be ${JSON.stringify(s.const)}, got `)} + describe(${x})));`);
        } else if (s.enum) {
          const set = this.setFor(s, r.hint, s.enum);
          w.writeLine(`if (!(${typeCheck})) out.push(typeIssue(${path}, ${lit(typeWord)}, ${x}));`);
          w.writeLine(`else if (!${set}.has(${x})) out.push(issue(${path}, 'enum', ${lit(enumMessage(s.enum, label, s.description))} + describe(${x})));`);
        } else {
          w.writeLine(`if (!(${typeCheck})) out.push(typeIssue(${path}, ${lit(typeWord)}, ${x}));`);
        }
        return;
      }
      case 'enum': {
        const check = this.check(s, x, r.hint);
        if (s.isConst) {
          w.writeLine(`if (!(${check})) out.push(issue(${path}, 'const', ${lit(`must be ${JSON.stringify(s.values[0])}, got `)} + describe(${x})));`);
        } else {
          w.writeLine(`if (!(${check})) out.push(issue(${path}, 'enum', ${lit(enumMessage(s.values, label, s.description))} + describe(${x})));`);
        }
        return;
      }
      default:
        return;
    }
  }

  /** Writes c_<base> and e_<base> for a unit. */
  emitUnit(mod: ModuleBuilder, unit: ValidatorUnit): void {
    const { base, schema } = unit;
    const resolved = schema.kind === 'ref' ? undefined : schema;
    if (resolved?.kind === 'object') {
      this.emitObject(mod, unit, resolved);
      return;
    }
    if (resolved?.kind === 'array') {
      const items = resolved.items;
      const itemHint = `${base}_item`;
      mod.function({
        name: `c_${base}`,
        exported: false,
        params: [{ name: 'v', type: 'unknown' }],
        returnType: checkReturnType(this, base),
        docs: checkDocs(this, base),
        body: (w) => {
          w.writeLine('if (!Array.isArray(v)) return false;');
          if (resolved.maxItems !== undefined) w.writeLine(`if (v.length > ${resolved.maxItems}) return false;`);
          if (items) {
            const check = this.check(items, 'x', itemHint);
            if (check !== 'true') {
              w.write('for (let i = 0; i < v.length; i++)').block(() => {
                w.writeLine('const x: unknown = v[i];');
                w.writeLine(`if (!(${check})) return false;`);
              });
            }
          }
          w.writeLine('return true;');
        },
      });
      mod.function({
        name: `e_${base}`,
        exported: false,
        params: [
          { name: 'v', type: 'unknown' },
          { name: 'p', type: 'string' },
          { name: 'out', type: 'ValidationIssue[]' },
        ],
        returnType: 'void',
        body: (w) => {
          w.writeLine(`if (!Array.isArray(v)) return void out.push(typeIssue(p, 'an array', v));`);
          if (resolved.maxItems !== undefined) {
            w.writeLine(
              `if (v.length > ${resolved.maxItems}) out.push(issue(p, 'maxItems', ${lit(`must have at most ${resolved.maxItems} item${resolved.maxItems === 1 ? '' : 's'}, got `)} + v.length));`,
            );
          }
          if (items) {
            const check = this.check(items, 'x', itemHint);
            if (check !== 'true') {
              w.write('for (let i = 0; i < v.length; i++)').block(() => {
                w.writeLine('const x: unknown = v[i];');
                writeCollect(w, this, items, 'x', 'item(p, i)', itemHint);
              });
            }
          }
        },
      });
      return;
    }
    if (resolved?.kind === 'oneOf') {
      this.emitOneOf(mod, unit, resolved);
      return;
    }
    if (resolved?.kind === 'json') {
      this.emitGeneral(mod, unit, resolved);
      return;
    }
    // Scalars, aliases (`$ref`) and `any`: one expression.
    const check = this.check(schema, 'v', base);
    mod.function({
      name: `c_${base}`,
      exported: false,
      params: [{ name: 'v', type: 'unknown' }],
      returnType: checkReturnType(this, base),
      docs: checkDocs(this, base),
      body: `return ${check};`,
    });
    mod.function({
      name: `e_${base}`,
      exported: false,
      params: [
        { name: 'v', type: 'unknown' },
        { name: 'p', type: 'string' },
        { name: 'out', type: 'ValidationIssue[]' },
      ],
      returnType: 'void',
      body: (w) => {
        if (check === 'true') w.writeLine('void v, p, out; // Any value is valid.');
        else this.collect(w, schema, 'v', 'p', base, unit.label);
      },
    });
  }

  /** Writes c_<base> and e_<base> of a general schema from the keyword handler table. */
  emitGeneral(mod: ModuleBuilder, unit: ValidatorUnit, s: GeneralSchema): void {
    const { base } = unit;
    const code = new Map<KeywordGroup, KeywordCode[]>();
    for (const handler of Object.values(KEYWORD_HANDLERS)) {
      const emitted = handler.emit({ s, base, gen: this.keywords });
      code.set(handler.group, [...(code.get(handler.group) ?? []), emitted]);
    }
    const lines = (group: KeywordGroup, kind: keyof KeywordCode) => (code.get(group) ?? []).flatMap((c) => c[kind] ?? []);
    const markLines = (withUnevaluated: boolean): string[] => {
      const out: string[] = [];
      const object = [...lines('object', 'mark'), ...(withUnevaluated && s.unevaluatedProperties ? ['ev.allProps = true;'] : [])];
      const array = [...lines('array', 'mark'), ...(withUnevaluated && s.unevaluatedItems ? ['ev.allItems = true;'] : [])];
      if (object.length > 0) out.push(`if (${GROUP_GUARD.object}) {`, '  const o = v as Record<string, unknown>;', ...object.map((l) => `  ${l}`), '}');
      if (array.length > 0) out.push(`if (${GROUP_GUARD.array}) {`, ...array.map((l) => `  ${l}`), '}');
      out.push(...lines('applicator', 'mark'));
      return out;
    };
    const type = typeTest(s, 'v');
    const body = (kind: 'check' | 'collect', w: Writer) => {
      if (type) {
        w.writeLine(kind === 'check' ? `if (!(${type.test})) return false;` : `if (!(${type.test})) return void out.push(typeIssue(p, ${lit(type.words)}, v));`);
      }
      for (const line of lines('any', kind)) w.writeLine(line);
      for (const group of ['string', 'number', 'array', 'object'] as const) {
        const groupLines = lines(group, kind);
        const unevaluated = group === 'object' ? s.unevaluatedProperties : group === 'array' ? s.unevaluatedItems : undefined;
        const tail = unevaluated ? (code.get('unevaluated') ?? [])[group === 'object' ? 0 : 1]?.[kind] ?? [] : [];
        if (groupLines.length === 0 && tail.length === 0) continue;
        w.write(`if (${GROUP_GUARD[group]})`).block(() => {
          if (group === 'object') w.writeLine('const o = v as Record<string, unknown>;');
          for (const line of groupLines) w.writeLine(line);
          if (tail.length > 0) {
            // Unevaluated: what the other keywords (and passing in-place subschemas) evaluated.
            w.writeLine('const ev = evaluated();');
            for (const line of this.commitMarks(markLines(false))) w.writeLine(line);
            for (const line of tail) w.writeLine(line);
          }
        });
      }
      for (const line of lines('applicator', kind)) w.writeLine(line);
    };
    mod.function({
      name: `c_${base}`,
      exported: false,
      params: [{ name: 'v', type: 'unknown' }],
      returnType: checkReturnType(this, base),
      docs: checkDocs(this, base),
      body: (w) => {
        body('check', w);
        w.writeLine('return true;');
      },
    });
    mod.function({
      name: `e_${base}`,
      exported: false,
      params: [
        { name: 'v', type: 'unknown' },
        { name: 'p', type: 'string' },
        { name: 'out', type: 'ValidationIssue[]' },
      ],
      returnType: 'void',
      body: (w) => body('collect', w),
    });
    this.#generalMarks.set(base, () => markLines(true));
  }

  readonly #generalMarks = new Map<string, () => string[]>();

  /** Registers the annotation functions that these lines call, so that they are written. */
  commitMarks(lines: readonly string[]): readonly string[] {
    for (const line of lines) for (const m of line.matchAll(/\bm_([A-Za-z0-9_$]+)\(/g)) this.marked.add(m[1]!);
    return lines;
  }

  /** Writes m_<base>: adds what the unit's schema evaluates on a valid `v` to `ev`. */
  emitMark(mod: ModuleBuilder, unit: ValidatorUnit): void {
    const s = unit.schema;
    const lines: string[] = [];
    if (s.kind === 'json') {
      lines.push(...this.commitMarks(this.#generalMarks.get(unit.base)?.() ?? []));
    } else if (s.kind === 'object') {
      lines.push("if (typeof v !== 'object' || v === null || Array.isArray(v)) return;");
      lines.push('const o = v as Record<string, unknown>;');
      if (!s.additionalProperties) lines.push('ev.allProps = true;');
      else for (const p of s.properties) lines.push(`if (${propertyAccess('o', p.name)} !== undefined) ev.props.add(${JSON.stringify(p.name)});`);
    } else if (s.kind === 'array') {
      if (s.items) lines.push('if (Array.isArray(v)) ev.allItems = true;');
    } else if (s.kind === 'oneOf') {
      for (const variant of s.variants) {
        const target = this.byName.get(variant.name);
        if (!target) continue;
        this.unit(variant.name, target.schema, variant.name);
        this.marked.add(variant.name);
        lines.push(`if (c_${variant.name}(v)) m_${variant.name}(v, ev);`);
      }
    }
    mod.function({
      name: `m_${unit.base}`,
      exported: false,
      params: [
        { name: 'v', type: 'unknown' },
        { name: 'ev', type: 'Evaluated' },
      ],
      returnType: 'void',
      body: (w) => {
        if (lines.length === 0) w.writeLine('void v, ev; // Evaluates nothing.');
        for (const line of lines) w.writeLine(line);
      },
    });
  }

  emitObject(mod: ModuleBuilder, unit: ValidatorUnit, s: ObjectSchema): void {
    const { base } = unit;
    const declared = new Set(s.properties.map((p) => p.name));
    const undeclaredRequired = s.required.filter((r) => !declared.has(r));
    const countKeys = s.minProperties !== undefined && s.minProperties > 0;
    const checks = s.properties.map((p, i) => ({
      prop: p,
      local: `v${i}`,
      access: propertyAccess('o', p.name),
      check: this.check(p.schema, `v${i}`, `${base}_${safeName(p.name)}`),
      hint: `${base}_${safeName(p.name)}`,
    }));
    const allowed = s.properties.map((p) => JSON.stringify(p.name));
    const objectGuard = "typeof v !== 'object' || v === null || Array.isArray(v)";

    mod.function({
      name: `c_${base}`,
      exported: false,
      params: [{ name: 'v', type: 'unknown' }],
      returnType: checkReturnType(this, base),
      docs: checkDocs(this, base),
      body: (w) => {
        w.writeLine(`if (${objectGuard}) return false;`);
        w.writeLine('const o = v as Record<string, unknown>;');
        for (const c of checks) {
          if (c.check === 'true' && !c.prop.required) continue;
          w.writeLine(`const ${c.local} = ${c.access};`);
          if (c.prop.required) {
            w.writeLine(c.check === 'true' ? `if (${c.local} === undefined) return false;` : `if (${c.local} === undefined || !(${c.check})) return false;`);
          } else {
            w.writeLine(`if (${c.local} !== undefined && !(${c.check})) return false;`);
          }
        }
        for (const name of undeclaredRequired) w.writeLine(`if (${propertyAccess('o', name)} === undefined) return false;`);
        if (!s.additionalProperties || countKeys) {
          // One comparison chain per key (as in the collector): a switch of the same cases is no
          // faster (for-in keys are internalized strings either way) and takes a line per key.
          const unknown = s.additionalProperties ? '' : `if (${unknownKeyTest(allowed)}) return false;`;
          if (countKeys) {
            w.writeLine('let n = 0;');
            w.write('for (const k in o)').block(() => {
              w.writeLine('n++;');
              if (unknown) w.writeLine(unknown);
            });
            w.writeLine(`if (n < ${s.minProperties}) return false;`);
          } else {
            w.writeLine(`for (const k in o) ${unknown}`);
          }
        }
        w.writeLine('return true;');
      },
    });

    mod.function({
      name: `e_${base}`,
      exported: false,
      params: [
        { name: 'v', type: 'unknown' },
        { name: 'p', type: 'string' },
        { name: 'out', type: 'ValidationIssue[]' },
      ],
      returnType: 'void',
      body: (w) => {
        w.writeLine(`if (${objectGuard}) return void out.push(typeIssue(p, 'an object', v));`);
        w.writeLine('const o = v as Record<string, unknown>;');
        for (const c of checks) {
          if (c.check === 'true' && !c.prop.required) continue;
          const keyLit = JSON.stringify(c.prop.name);
          const path = isIdentifier(c.prop.name) ? `dot(p, ${keyLit})` : `at(p, ${keyLit})`;
          w.writeLine(`const ${c.local} = ${c.access};`);
          if (c.prop.required) w.writeLine(`if (${c.local} === undefined) out.push(required(p, ${keyLit}));`);
          if (c.check === 'true') continue;
          // Collectors push only on failures, so they run without re-checking.
          writeCollect(w, this, c.prop.schema, c.local, path, c.hint, c.prop.required ? 'else' : `if (${c.local} !== undefined)`);
        }
        for (const name of undeclaredRequired) {
          w.writeLine(`if (${propertyAccess('o', name)} === undefined) out.push(required(p, ${JSON.stringify(name)}));`);
        }
        if (!s.additionalProperties || countKeys) {
          if (countKeys) w.writeLine('let n = 0;');
          const owner = unit.label ? `${unit.label} has no property` : 'unknown property';
          const allowedNote = allowed.length <= 12 ? s.properties.map((p) => p.name).join(', ') : '';
          const extra = `out.push(unknownProperty(p, k, ${lit(owner)}, ${lit(allowedNote)}));`;
          const unknownTest = unknownKeyTest(allowed);
          if (countKeys) {
            w.write('for (const k in o)').block(() => {
              w.writeLine('n++;');
              if (!s.additionalProperties) w.writeLine(`if (${unknownTest}) ${extra}`);
            });
            w.writeLine(
              `if (n < ${s.minProperties}) out.push(issue(p, 'minProperties', ${lit(`must have at least ${s.minProperties} propert${s.minProperties === 1 ? 'y' : 'ies'}${s.properties.length > 0 && s.properties.length <= 12 ? ` (of ${s.properties.map((p) => p.name).join(', ')})` : ''}, got `)} + n));`,
            );
          } else {
            w.writeLine(`for (const k in o) if (${unknownTest}) ${extra}`);
          }
        }
      },
    });
  }

  emitOneOf(mod: ModuleBuilder, unit: ValidatorUnit, s: OneOfSchema): void {
    const { base } = unit;
    const prop = JSON.stringify(s.propertyName);
    const values = s.variants.map((v) => v.value);
    for (const v of s.variants) {
      const target = this.byName.get(v.name);
      if (target) this.unit(v.name, target.schema, v.name);
    }
    const objectGuard = "typeof v !== 'object' || v === null || Array.isArray(v)";
    mod.function({
      name: `c_${base}`,
      exported: false,
      params: [{ name: 'v', type: 'unknown' }],
      returnType: checkReturnType(this, base),
      docs: checkDocs(this, base),
      body: (w) => {
        w.writeLine(`if (${objectGuard}) return false;`);
        w.write(`switch (${propertyAccess('(v as Record<string, unknown>)', s.propertyName)})`).block(() => {
          for (const variant of s.variants) {
            w.writeLine(`case ${JSON.stringify(variant.value)}:`);
            w.indent(() => w.writeLine(`return c_${variant.name}(v);`));
          }
          w.writeLine('default:');
          w.indent(() => w.writeLine('return false;'));
        });
      },
    });
    mod.function({
      name: `e_${base}`,
      exported: false,
      params: [
        { name: 'v', type: 'unknown' },
        { name: 'p', type: 'string' },
        { name: 'out', type: 'ValidationIssue[]' },
      ],
      returnType: 'void',
      body: (w) => {
        w.writeLine(`if (${objectGuard}) return void out.push(typeIssue(p, 'an object', v));`);
        w.writeLine(`const t = ${propertyAccess('(v as Record<string, unknown>)', s.propertyName)};`);
        w.write('switch (t)').block(() => {
          for (const variant of s.variants) {
            w.writeLine(`case ${JSON.stringify(variant.value)}:`);
            w.indent(() => {
              w.writeLine(`e_${variant.name}(v, p, out);`);
              w.writeLine('return;');
            });
          }
          w.writeLine('default:');
          w.indent(() => {
            w.writeLine(`if (t === undefined) out.push(required(p, ${prop}));`);
            w.writeLine(`else out.push(issue(at(p, ${prop}), 'discriminator', ${lit(`must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}; got `)} + describe(t)));`);
          });
        });
      },
    });
  }
}

/** `import { ... } from './support.js'` (and `import type`) for the helpers `code` uses. */
function importSupport(mod: ModuleBuilder, from: string, code: string | ReadonlySet<string>): void {
  const { values, types } = supportImportsFor(code);
  if (types.length > 0) mod.import(from, types, true);
  if (values.length > 0) mod.import(from, values);
}

/** Schemas that get their own functions (called, not inlined). */
function isCalled(schema: Schema): boolean {
  return schema.kind === 'object' || schema.kind === 'array' || schema.kind === 'oneOf' || schema.kind === 'json';
}

/** `const S_X: ReadonlySet<unknown> = new Set([...]);`, values wrapped at 100 columns. */
function setDeclaration(name: string, values: readonly JsonPrimitive[]): string {
  const head = `const ${name}: ReadonlySet<unknown> = new Set([`;
  const items = values.map((v) => JSON.stringify(v));
  const oneLine = `${head}${items.join(', ')}]);`;
  if (oneLine.length <= 100) return oneLine;
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line !== '' && line.length + item.length + 2 > 98) {
      lines.push(`  ${line}`);
      line = '';
    }
    line += `${item},${' '}`;
  }
  if (line !== '') lines.push(`  ${line}`);
  return `${head}\n${lines.map((l) => l.trimEnd()).join('\n')}\n]);`;
}

/**
 * Writes the collector of `x` at `path`, after `lead` (`else`, `if (...)`, or nothing inside a
 * block): on one line when it is a single statement, else as a block that builds the path once,
 * as `q`, for its several issues.
 */
function writeCollect(w: Writer, gen: ValidatorCodegen, schema: Schema, x: string, path: string, hint: string, lead = ''): void {
  const line = renderCollect(gen, schema, x, path, hint);
  if (!line.includes('\n')) {
    w.writeLine(lead === '' ? line : `${lead} ${line}`);
    return;
  }
  const body = () => {
    w.writeLine(`const q = ${path};`);
    for (const l of renderCollect(gen, schema, x, 'q', hint).split('\n')) w.writeLine(l);
  };
  if (lead === '') body();
  else {
    w.writeLine(`${lead} {`);
    w.indent(body);
    w.writeLine('}');
  }
}

/** The collect statements for one value, as text (one line when the collector is a single call). */
function renderCollect(gen: ValidatorCodegen, schema: Schema, x: string, path: string, hint: string): string {
  return renderBody((w) => gen.collect(w, schema, x, path, hint)).trimEnd();
}

function scalarTypeCheck(kind: 'number' | 'integer' | 'boolean' | 'null', x: string): string {
  switch (kind) {
    case 'number':
      return `typeof ${x} === 'number' && Number.isFinite(${x})`;
    case 'integer':
      return `Number.isInteger(${x})`;
    case 'boolean':
      return `typeof ${x} === 'boolean'`;
    case 'null':
      return `${x} === null`;
  }
}

/** JSON Schema minLength counts code points; UTF-16 length bounds them from above and 2x from below. */
function minLengthCheck(x: string, min: number): string {
  if (min <= 1) return `${x}.length >= ${min}`;
  return `(${x}.length >= ${2 * min} || (${x}.length >= ${min} && ucs2length(${x}) >= ${min}))`;
}

function mediaTypesOf(schema: Schema): readonly string[] {
  return schema.kind === 'string' ? (schema.acceptedMediaTypes ?? []) : [];
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_$]/g, '_');
}

/** `k` is none of the allowed keys (JSON string literals). */
function unknownKeyTest(allowed: readonly string[]): string {
  return allowed.length === 0 ? 'true' : allowed.map((a) => `k !== ${a}`).join(' && ');
}

/**
 * The enum message: lists up to 10 values; beyond that, names the count and what the values are
 * (from the first sentence of the schema description), e.g. "must be one of the 262 CountryCode
 * values (an ISO 3166-1 alpha-2 code, or ...), got ".
 */
export function enumMessage(values: readonly JsonPrimitive[], label: string | undefined, description: string | undefined): string {
  if (values.length <= ENUM_LIST_LIMIT) {
    return values.length === 1
      ? `must be ${JSON.stringify(values[0])}, got `
      : `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}; got `;
  }
  const summary = enumSummary(description);
  const what = label ? `the ${values.length} ${label} values` : `${values.length} allowed values`;
  return `must be one of ${what}${summary ? ` (${summary})` : ''}, got `;
}

/** First sentence of a description, without parentheses, markdown or a leading "Thing:" label. */
export function enumSummary(description: string | undefined): string | undefined {
  if (!description) return undefined;
  const flat = description.replace(/\s+/g, ' ').trim();
  const sentence = flat.split(/(?<=\.)\s/)[0]!.replace(/\.$/, '');
  let text = sentence.replace(/\s*\([^)]*\)/g, '').replace(/\*\*|`/g, '').trim();
  const colon = text.indexOf(': ');
  if (colon > 0 && colon < 30) text = text.slice(colon + 2);
  if (text.length > 120) return undefined;
  return text === '' ? undefined : text;
}

function firstParagraph(text: string | undefined): string | undefined {
  return paragraphs(text)[0];
}

/**
 * The schemas that get validator functions (the spec's, plus one per operation with path parameters
 * and one per multipart input and variant) and the validators the package exports, in export order.
 */
function collectValidators(model: ApiModel): { schemas: NamedSchema[]; exported: ExportedValidator[] } {
  const schemas: NamedSchema[] = [...model.schemas];
  const exported: ExportedValidator[] = [];
  const resolvedByName = new Map(model.schemas.map((s) => [s.name, s]));

  for (const s of model.schemas) {
    const isBinary = (() => {
      const r = resolveSchema(s.schema, resolvedByName);
      return r.kind === 'string' && r.format === 'binary';
    })();
    exported.push({
      name: s.name,
      base: s.name,
      type: isBinary ? 'T.FileInput' : `T.${s.name}`,
      description: firstParagraph(s.schema.description) ?? s.name,
    });
  }

  const operationSchemas: { op: string; entries: ExportedValidator[] }[] = [];
  for (const op of model.operations) {
    const entries: ExportedValidator[] = [];
    if (op.pathParamsSchema) {
      const name = op.pathParamsTypeName;
      schemas.push({ name, typeExpression: '', schema: op.pathParamsSchema });
      entries.push({
        name,
        base: name,
        type: `T.${name}`,
        description: `The path parameters of \`${op.operationId}\` (${op.pathParams.map((p) => p.name).join(', ')}).`,
      });
    }
    const mp = op.requestBody?.multipart;
    if (mp) {
      for (const variant of mp.variants) schemas.push({ name: variant.inputTypeName, typeExpression: '', schema: variant.inputSchema });
      schemas.push({ name: mp.inputTypeName, typeExpression: '', schema: mp.inputSchema });
      entries.push({
        name: mp.inputTypeName,
        base: mp.inputTypeName,
        type: `T.${mp.inputTypeName}`,
        description: `The client input of \`${op.operationId}\`: \`{ ${mp.propertyName}, ${mp.variants[0]?.parts.filter((p) => p.kind !== 'file' && p.kind !== 'discriminator').map((p) => `${p.name}, `).join('') ?? ''}files }\`, checked per \`${mp.propertyName}\` (known type, its metadata, the required file parts present and non-empty, no unknown keys).`,
      });
      for (const variant of mp.variants) {
        entries.push({
          name: variant.inputTypeName,
          base: variant.inputTypeName,
          type: `T.${variant.inputTypeName}`,
          description: `The client input of \`${op.operationId}\` for \`${mp.propertyName}: ${variant.value}\`.`,
        });
      }
    }
    operationSchemas.push({ op: op.operationId, entries });
  }
  return { schemas, exported: [...exported, ...operationSchemas.flatMap((o) => o.entries)] };
}

/**
 * The names of the validators the package exports (`X` for `validateX`, `isX`, `XSchema`), each
 * also a self-contained subpath module `schemas/X`.
 */
export function validatorExportNames(model: ApiModel): string[] {
  return collectValidators(model).exported.map((e) => e.name);
}

/**
 * The statements of every unit `gen` reaches from the units it holds, with their annotation
 * functions, after `before`'s. Each unit is printed and parsed once per emitter run: `cache` keeps
 * its statements for every other module that holds it; there its bodies only run, to find the
 * units it calls.
 */
function unitClosureStatements(gen: ValidatorCodegen, cache: Map<string, readonly TopLevelStatement[]>, before?: (mod: ModuleBuilder) => void): TopLevelStatement[] {
  const out: TopLevelStatement[] = [];
  const write = (key: string | undefined, emit: (mod: ModuleBuilder) => void) => {
    const mod = new ModuleBuilder(`${key ?? 'api'}.ts`);
    emit(mod);
    const cached = key === undefined ? undefined : cache.get(key);
    if (cached) mod.runBodies();
    const statements = cached ?? topLevelStatements(mod.toString(''));
    if (key !== undefined) cache.set(key, statements);
    out.push(...statements);
  };
  if (before) write(undefined, before);
  const done = new Set<string>();
  const marksDone = new Set<string>();
  for (let progressed = true; progressed; ) {
    progressed = false;
    for (const unit of [...gen.units.values()]) {
      if (done.has(unit.base)) continue;
      done.add(unit.base);
      // Its text depends on the unit, its label (in messages) and whether its check is the guard.
      write(`${unit.base}:${unit.label ?? ''}:${gen.guards.get(unit.base) ?? ''}`, (mod) => gen.emitUnit(mod, unit));
      progressed = true;
    }
    // Annotation functions, once their unit is written (a general schema's marks come from its emission).
    for (const base of [...gen.marked]) {
      const unit = gen.units.get(base);
      if (marksDone.has(base) || !unit || !done.has(base)) continue;
      marksDone.add(base);
      write(`m_${base}`, (mod) => gen.emitMark(mod, unit));
      progressed = true;
    }
  }
  return out;
}

/** `validateX` and `XSchema` of an exported validator. */
function emitPublicApi(mod: ModuleBuilder, e: ExportedValidator): void {
  const v = validatorNames(e.name);
  mod.function({
    name: v.validate,
    params: [{ name: 'value', type: 'unknown' }],
    returnType: `ValidationResult<${e.type}>`,
    docs: { description: `Validates a value as \`${e.name}\`: \`{ ok: true, value }\`, or \`{ ok: false, issues }\` with every problem.` },
    body: `return c_${e.base}(value) ? { ok: true, value: value as ${e.type} } : failure(e_${e.base}, value);`,
  });
  mod.const({
    name: v.schema,
    type: `StandardSchemaV1<unknown, ${e.type}>`,
    initializer: `standardSchemaOf(${v.validate})`,
    docs: { description: `\`${e.name}\` as a Standard Schema v1 object.` },
  });
}

/** The `Set` and media-type constants a code generator run created. */
function emitConstants(mod: ModuleBuilder, gen: ValidatorCodegen, exported = false): void {
  for (const [name, values] of gen.sets) mod.statements(`${exported ? 'export ' : ''}${setDeclaration(name, values)}`);
  for (const [name, c] of gen.literals) mod.const({ name, exported, type: c.type, initializer: c.initializer });
  for (const [name, list] of gen.mediaTypeLists) {
    mod.const({ name, exported, type: 'readonly string[]', initializer: JSON.stringify(list) });
  }
}

/** The type-only imports every validators module has (erased at build time: nothing loads at run time). */
function emitTypeImports(mod: ModuleBuilder, model: ApiModel): void {
  mod.import('@embedkit/runtime', ['ValidationIssue', 'ValidationResult'], true);
  mod.import('@standard-schema/spec', ['StandardSchemaV1'], true);
  mod.importNamespace(packageNames(model.apiVersion).types, 'T');
}

/**
 * The functions a first check of a valid value runs: `check` and the functions it calls, and so
 * on, except the variants of a discriminated union (one of them runs, the others would be compiled
 * for nothing).
 */
function firstCallFunctions(gen: ValidatorCodegen, statements: readonly TopLevelStatement[], check: string): Set<string | undefined> {
  const variantsOf = new Map<string, Set<string>>();
  for (const unit of gen.units.values()) {
    if (unit.schema.kind === 'oneOf') variantsOf.set(`c_${unit.base}`, new Set(unit.schema.variants.map((variant) => `c_${variant.name}`)));
  }
  const byName = new Map(statements.flatMap((s) => (s.functionName === undefined ? [] : [[s.functionName, s] as const])));
  const found = new Set<string | undefined>();
  const pending = [check];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const statement = byName.get(name);
    if (found.has(name) || !statement) continue;
    found.add(name);
    const skipped = variantsOf.get(name);
    for (const used of statement.uses) if (!skipped?.has(used)) pending.push(used);
  }
  return found;
}

/**
 * `schemas/X.ts`: `validateX`, `isX` and `XSchema` alone, in a self-contained module. A fresh code
 * generator seeded with X's unit only, so the module holds X's closure of units, the constants they
 * use and the helpers they call, and nothing else. The functions the first `validateX` call runs
 * on a valid value (`validateX`, the check functions and the helpers they call) are written to be
 * compiled with the module (see {@link renderStatement}): the cold start of this module is what
 * it is for.
 */
function emitSchemaModule(
  model: ApiModel,
  header: string,
  schemas: readonly NamedSchema[],
  e: ExportedValidator,
  constants: ValidatorCodegen,
  cache: Map<string, readonly TopLevelStatement[]>,
): string {
  const target = schemas.find((s) => s.name === e.base);
  if (!target) throw new Error(`no schema ${e.base} for the exported validator ${e.name}`);
  const gen = new ValidatorCodegen(schemas, constants);
  gen.unit(target.name, target.schema, target.name);
  gen.guards.set(e.base, e.type);
  const v = validatorNames(e.name);
  const body = unitClosureStatements(gen, cache, (mod) => emitPublicApi(mod, e));
  // Keep what the API reaches: a unit registered for its collector alone (a named scalar) needs no
  // check function.
  const keptBody = statementsNeeded(body, [v.validate, v.schema, `c_${e.base}`]);
  const eager = firstCallFunctions(gen, keptBody, `c_${e.base}`);
  eager.add(v.validate);
  const code = keptBody.map((s) => renderStatement(s, { eager: eager.has(s.functionName) })).join('\n\n');

  const mod = new ModuleBuilder(`${e.name}.ts`);
  const about = wrapText(
    `\`${e.name}\` alone: \`${v.validate}\`, \`${v.is}\` and \`${v.schema}\`, the same as the root entry (\`${packageNames(model.apiVersion).validators}\`) exports: the checks \`${e.name}\` needs and nothing else, with the helpers and constants they use imported from the package's shared \`support\` and \`constants\` modules.`,
  );
  mod.statements(['/**', ...about.split('\n').map((line) => ` * ${line}`), ' *', ' * @packageDocumentation', ' */'].join('\n'));
  emitTypeImports(mod, model);
  const used = new Set(keptBody.flatMap((s) => [...s.uses]));
  importSupport(mod, '../support.js', used);
  const constantImports = [...gen.constantNames()].filter((n) => used.has(n)).sort();
  if (constantImports.length > 0) mod.import('../constants.js', constantImports);
  // The code is already printed: appended as text, not handed to ts-morph to parse and print again.
  return `${mod.toString(header).trimEnd()}\n\n${code}\n\nexport { c_${e.base} as ${v.is} };\n`;
}

/** Emits the validators package sources. */
export function emitValidators(model: ApiModel, ctx: GeneratorContext): GeneratedFile[] {
  const header = fileHeader(model, ctx);
  const { schemas, exported: allExported } = collectValidators(model);
  // One run owns the constants every per-schema module shares (same names everywhere).
  const constants = new ValidatorCodegen(schemas);
  const units = new Map<string, readonly TopLevelStatement[]>();
  const schemaModules = allExported.map((e) => ({ path: `validators/src/schemas/${e.name}.ts`, contents: emitSchemaModule(model, header, schemas, e, constants, units) }));

  const mod = new ModuleBuilder('index.ts');
  mod.statements(
    [
      '/**',
      ` * Validators for the Embed API ${model.apiVersion}, generated from its OpenAPI spec: one specialized`,
      ' * function per schema.',
      ' *',
      ' * For every schema `X`: `validateX(value)` returns `{ ok: true, value }` or `{ ok: false, issues }`',
      ' * (every problem, each with `path`, `rule` and `message`), `isX(value)` is a type guard, and',
      ' * `XSchema` is a Standard Schema v1 object.',
      ' *',
      ' * Each schema has its own module (`./schemas/X`, also a package subpath), which this entry',
      ' * re-exports; inside, `c_X(value)` runs straight-line checks that allocate nothing, and',
      ' * `e_X(value, path, out)` runs only after `c_X` failed and pushes every issue.',
      ' *',
      ' * @packageDocumentation',
      ' */',
    ].join('\n'),
  );
  mod.reexport('@embedkit/runtime', ['ValidationIssue', 'ValidationResult'], true);
  mod.reexport('./support.js', ['FileLike'], true);
  mod.reexport('./support.js', ['formats']);
  for (const e of allExported) {
    const v = validatorNames(e.name);
    mod.reexport(`./schemas/${e.name}.js`, [v.validate, v.is, v.schema]);
  }
  const constantsModule = new ModuleBuilder('constants.ts');
  constantsModule.statements(
    '/** The Sets, regular expressions and JSON values of the spec\'s schemas, written once and shared by every validator module. */',
  );
  emitConstants(constantsModule, constants, true);

  const dir = 'validators';
  return [
    { path: `${dir}/src/index.ts`, contents: mod.toString(header) },
    { path: `${dir}/src/support.ts`, contents: supportModule(header) },
    { path: `${dir}/src/constants.ts`, contents: constantsModule.toString(header) },
    ...schemaModules,
    {
      path: `${dir}/README.md`,
      contents: packageReadme(model, ctx, 'validators', validatorsReadmeBody(model, allExported.map((e) => e.name))),
    },
  ];
}

function validatorsReadmeBody(model: ApiModel, exportedNames: readonly string[]): string {
  const names = packageNames(model.apiVersion);
  const sample = model.operations.find((o) => o.requestBody?.multipart)?.requestBody?.multipart;
  const metadataName = sample?.variants[0]?.parts.find((p) => p.kind === 'json' && p.schema.kind === 'ref');
  const metaType = metadataName?.schema.kind === 'ref' ? metadataName.schema.name : (model.schemas[0]?.name ?? 'X');
  const lines = [
    '## Usage',
    '',
    'Every schema `X` of the spec has three exports:',
    '',
    '- `validateX(value)`: `{ ok: true, value }` (typed) or `{ ok: false, issues }`, where `issues` lists',
    '  **every** problem as `{ path, rule, message }` (paths are dotted: `metadata.identity.date_of_birth`,',
    '  `reasons[0]`).',
    '- `isX(value)`: a type guard running the same checks without building issues.',
    '- `XSchema`: a [Standard Schema v1](https://standardschema.dev) object for libraries that accept one.',
    '',
    '```ts',
    `import { validate${metaType} } from '${names.validators}';`,
    '',
    `const result = validate${metaType}(JSON.parse(text));`,
    'if (!result.ok) {',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is example code for the README
    '  for (const issue of result.issues) console.error(`${issue.path}: ${issue.message} (${issue.rule})`);',
    '}',
    '```',
    '',
  ];
  if (sample) {
    lines.push(
      `\`validate${sample.inputTypeName}(input)\` checks the client's multipart input \`{ ${sample.propertyName}, metadata, files }\`:`,
      `the \`${sample.propertyName}\` is known, the metadata matches it, the required file parts are present, each file is a`,
      'non-empty `Blob`/`File`/`Uint8Array`/`ArrayBuffer` (of an accepted media type where the spec declares one),',
      'and there are no unknown keys. The generated client runs it before sending anything.',
      '',
    );
  }
  lines.push(
    '## Import one schema',
    '',
    `Every validator also has its own entry point, \`${names.validators}/schemas/X\`, exporting the same \`validateX\`, \`isX\` and \`XSchema\`:`,
    '',
    '```ts',
    `import { validate${metaType} } from '${names.validators}/schemas/${metaType}';`,
    '',
    `const result = validate${metaType}(JSON.parse(text));`,
    '```',
    '',
    "It loads only that validator's code (the checks it needs and nothing else) and the package's two shared",
    'modules, `support` (the helpers, once per package) and `constants` (the Sets and regular expressions), measured',
    'cold start in `BENCHMARKS.md` of the embedkit repository; the root entry re-exports every schema module.',
    '',
    '## How the checks work',
    '',
    '- The code is specialized per schema: straight-line checks and `Set` lookups for enums. Nothing is',
    '  compiled or `eval`ed at run time (it runs under a CSP that forbids `eval`), and the package has no',
    '  runtime dependencies.',
    '- `format: date` is a real calendar date (`2023-02-29` fails). `format: date-time` is RFC 3339:',
    '  `T` between date and time, `Z` or `+HH:MM`/`-HH:MM`; a space instead of `T` and offsets without a',
    '  colon are rejected (stricter than ajv-formats); second `60` only at 23:59 UTC.',
    '- String lengths count Unicode code points, as JSON Schema does. `pattern` is an ECMAScript regular',
    '  expression with the `u` flag. `multipleOf` is decimal-exact (0.3 is a multiple of 0.1).',
    '- All of JSON Schema 2020-12 that OpenAPI 3.1 schemas use is checked: `allOf`, `anyOf`, `oneOf` (the',
    '  issues of the branch a discriminator names, or of the closest branch), `not`, `if`/`then`/`else`, type',
    '  arrays, `const`/`enum` of any JSON value (deep equality), `prefixItems`, `contains`, `uniqueItems`,',
    '  `patternProperties`, `propertyNames`, `dependentRequired`, `dependentSchemas`, `unevaluatedProperties`',
    '  and `unevaluatedItems`. Formats: date, date-time, time, duration, email, hostname, ipv4, ipv6, uri,',
    '  uri-reference, uuid, byte, int32, int64 (float, double and binary are not constrained).',
    '',
    '## Exports',
    '',
    exportedNames.map((n) => `\`${n}\``).join(', '),
    '',
  );
  return lines.join('\n');
}

export type { Body };

/**
 * A validators module for standalone schemas, outside any spec (the differential tests compile
 * random schemas with it): `validateX` and `isX` for each named schema, typed `unknown`, helpers
 * imported from `supportPath`.
 */
export function standaloneValidatorsModule(schemas: readonly NamedSchema[], supportPath: string): string {
  const gen = new ValidatorCodegen(schemas);
  for (const s of schemas) gen.unit(s.name, s.schema, s.name);
  const unitsText = unitClosureStatements(gen, new Map())
    .map((statement) => renderStatement(statement))
    .join('\n\n');
  const constants = new ModuleBuilder('constants.ts');
  emitConstants(constants, gen);
  const api = new ModuleBuilder('api.ts');
  for (const s of schemas) {
    api.function({
      name: `validate${s.name}`,
      params: [{ name: 'value', type: 'unknown' }],
      returnType: 'ValidationResult<unknown>',
      body: `return c_${s.name}(value) ? { ok: true, value } : failure(e_${s.name}, value);`,
    });
    api.statements(`export { c_${s.name} as is${s.name} };`);
  }
  const code = [constants.toString('').trim(), api.toString('').trim(), unitsText.trim()].filter((t) => t !== '');
  const mod = new ModuleBuilder('standalone.ts');
  mod.import('@embedkit/runtime', ['ValidationIssue', 'ValidationResult'], true);
  importSupport(mod, supportPath, code.join('\n'));
  for (const text of code) mod.statements(text);
  return mod.toString('');
}
