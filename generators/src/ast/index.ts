/**
 * The small ts-morph helper layer the emitters share. Every ts-morph call in the generator is in
 * this file: emitters describe modules with {@link ModuleBuilder} and write function bodies with
 * a {@link Writer}, and get back the module text.
 *
 * A builder collects statement structures and hands them to ts-morph in ONE insertion when the
 * text is requested (ts-morph re-parses the file on every manipulation, so adding hundreds of
 * functions one by one is quadratic). Each builder owns its own in-memory project, so emitters
 * stay pure functions and nothing is shared between runs.
 *
 * @module
 */
import ts from 'typescript';
import {
  CodeBlockWriter,
  IndentationText,
  type JSDocStructure,
  NewLineKind,
  type OptionalKind,
  Project,
  QuoteKind,
  type StatementStructures,
  StructureKind,
  VariableDeclarationKind,
  type WriterFunction,
} from 'ts-morph';

/** The subset of ts-morph's code writer the emitters use to write statements. */
export interface Writer {
  /** Writes text, then a newline. */
  writeLine(text: string): Writer;
  /** Writes text without a newline. */
  write(text: string): Writer;
  /** Writes ` {`, the block's lines (indented), then `}`. */
  block(body: () => void): Writer;
  /** Writes a blank line (once, however often it is called in a row). */
  blankLine(): Writer;
  /** Runs `body` with one more level of indentation. */
  indent(body: () => void): Writer;
}

/** A statement body: text, or a function that writes it. */
export type Body = string | ((writer: Writer) => void);

/** A code fence must start on the line after its tag (`@example` then ```ts), or TypeDoc misreads it. */
function tagText(text: string): string {
  return text.startsWith('```') ? `\n${text}` : text;
}

/** TSDoc for a declaration: a description and optional tags. */
export interface Docs {
  readonly description?: string | undefined;
  readonly tags?: readonly { readonly name: string; readonly text?: string | undefined }[] | undefined;
}

export interface Param {
  readonly name: string;
  readonly type?: string | undefined;
  readonly optional?: boolean | undefined;
  readonly initializer?: string | undefined;
}

export interface PropertySignature {
  readonly name: string;
  /** The type: text, or a writer (use it for multi-line object types, so indentation is right). */
  readonly type: string | Body;
  readonly optional?: boolean | undefined;
  readonly readonly?: boolean | undefined;
  readonly docs?: Docs | undefined;
}

/** Doc comments are wrapped to this many characters of text per line. */
const DOC_WIDTH = 96;

/** Makes arbitrary spec text safe inside a `/** ... *\/` comment. */
export function sanitizeDocText(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/\r\n?/g, '\n').trim();
}

/**
 * Wraps prose to `width` characters, paragraph by paragraph. Fenced code blocks, tables and list
 * items keep their lines.
 */
export function wrapText(text: string, width = DOC_WIDTH): string {
  const out: string[] = [];
  let inFence = false;
  for (const block of text.split(/\n{2,}/)) {
    const lines = block.split('\n');
    const verbatim = inFence || lines.some((l) => /^\s*(```|\||[-*] |\d+\. )/.test(l));
    for (const l of lines) if (/^\s*```/.test(l)) inFence = !inFence;
    if (verbatim) {
      out.push(block);
      continue;
    }
    const words = block.replace(/\s+/g, ' ').trim().split(' ');
    const wrapped: string[] = [];
    let line = '';
    for (const word of words) {
      if (line !== '' && line.length + 1 + word.length > width) {
        wrapped.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    if (line !== '') wrapped.push(line);
    out.push(wrapped.join('\n'));
  }
  return out.join('\n\n');
}

/**
 * Drops `undefined` properties, so optional structure fields can be passed conditionally under
 * `exactOptionalPropertyTypes` (ts-morph's structures declare them without `| undefined`).
 */
function compact<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

function toJsDoc(docs: Docs | undefined): OptionalKind<JSDocStructure>[] | undefined {
  if (!docs || (!docs.description && !docs.tags?.length)) return undefined;
  const description = docs.description ? wrapText(sanitizeDocText(docs.description)) : undefined;
  const singleLine = description !== undefined && !description.includes('\n') && !docs.tags?.length && description.length <= 80;
  return [
    {
      kind: StructureKind.JSDoc as const,
      ...compact({
        // A leading newline makes ts-morph print a multi-line comment.
        // A trailing newline leaves a blank line between the description and the tags.
        description: description === undefined ? undefined : singleLine ? description : `\n${description}${docs.tags?.length ? '\n' : ''}`,
        tags: docs.tags?.map((t) => compact({ tagName: t.name, text: t.text === undefined ? undefined : tagText(sanitizeDocText(t.text)) })),
      }),
    },
  ];
}

function toWriterFunction(body: Body): string | WriterFunction {
  if (typeof body === 'string') return body;
  return (w: CodeBlockWriter) => body(wrapWriter(w));
}

function wrapWriter(w: CodeBlockWriter): Writer {
  const writer: Writer = {
    writeLine(text) {
      w.writeLine(text);
      return writer;
    },
    write(text) {
      w.write(text);
      return writer;
    },
    block(body) {
      w.block(body);
      return writer;
    },
    blankLine() {
      w.blankLineIfLastNot();
      return writer;
    },
    indent(body) {
      w.indent(body);
      return writer;
    },
  };
  return writer;
}

/**
 * A TypeScript compiler-API type reference node (`Blob`), for openapi-typescript's `transform`
 * hook, which works on TypeScript nodes rather than ts-morph structures.
 */
export function typeReferenceNode(name: string): ts.TypeReferenceNode {
  return ts.factory.createTypeReferenceNode(ts.factory.createIdentifier(name));
}

/** A top-level statement of a source text, for picking the statements a module needs. */
export interface TopLevelStatement {
  /** Its leading comments, trimmed ('' when it has none). */
  readonly comments: string;
  /** The statement without its comments and without an `export` keyword. */
  readonly code: string;
  readonly exported: boolean;
  /** The function's name, for a function declaration with a body. */
  readonly functionName?: string | undefined;
  /** The names it declares (functions, constants, types). */
  readonly declares: readonly string[];
  /** Every identifier it mentions (a superset of the names it uses; comments excluded). */
  readonly uses: ReadonlySet<string>;
}

function collectIdentifiers(node: ts.Node, out: Set<string>): void {
  if (ts.isIdentifier(node)) out.add(node.text);
  ts.forEachChild(node, (child) => collectIdentifiers(child, out));
}

/** Every identifier a TypeScript text mentions (comments and string contents excluded). */
export function identifiersIn(source: string): Set<string> {
  const out = new Set<string>();
  collectIdentifiers(ts.createSourceFile('code.ts', source, ts.ScriptTarget.Latest, true), out);
  return out;
}

/** Splits a TypeScript text into its top-level statements, each with what it declares and uses. */
export function topLevelStatements(source: string): TopLevelStatement[] {
  const file = ts.createSourceFile('code.ts', source, ts.ScriptTarget.Latest, true);
  return file.statements.map((statement) => {
    const declares: string[] = [];
    let functionName: string | undefined;
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      declares.push(statement.name.text);
      if (statement.body) functionName = statement.name.text;
    } else if ((ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) && statement.name) {
      declares.push(statement.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) declares.push(d.name.text);
    }
    const uses = new Set<string>();
    collectIdentifiers(statement, uses);
    const start = statement.getStart(file);
    const exportKeyword = ts.canHaveModifiers(statement) ? ts.getModifiers(statement)?.find((m) => m.kind === ts.SyntaxKind.ExportKeyword) : undefined;
    const code = exportKeyword
      ? source.slice(start, exportKeyword.getStart(file)) + source.slice(exportKeyword.getEnd(), statement.getEnd()).replace(/^\s+/, '')
      : source.slice(start, statement.getEnd());
    return { comments: source.slice(statement.getFullStart(), start).trim(), code, exported: exportKeyword !== undefined, functionName, declares, uses };
  });
}

/**
 * A statement as text, with its comments. `exported` overrides whether it is exported. `eager`
 * writes a function declaration as `const f = (function f(...) {...});`: V8 compiles a
 * parenthesized function with the code around it instead of pre-parsing it and parsing it again
 * on its first call, which saves that second parse for functions that run right away.
 */
export function renderStatement(statement: TopLevelStatement, options: { exported?: boolean; eager?: boolean } = {}): string {
  const name = statement.functionName;
  const code = options.eager && name !== undefined ? `const ${name} = (${statement.code});` : statement.code;
  const line = `${(options.exported ?? statement.exported) ? 'export ' : ''}${code}`;
  return statement.comments === '' ? line : `${statement.comments}\n${line}`;
}

/**
 * The statements that declare a name in `needed`, and those that declare a name they use, and so
 * on: the part of `statements` that code using `needed` depends on, in source order.
 */
export function statementsNeeded(statements: readonly TopLevelStatement[], needed: Iterable<string>): TopLevelStatement[] {
  const names = new Set(needed);
  const included = new Set<TopLevelStatement>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of statements) {
      if (included.has(s) || !s.declares.some((name) => names.has(name))) continue;
      included.add(s);
      for (const name of s.uses) names.add(name);
      grew = true;
    }
  }
  return statements.filter((s) => included.has(s));
}

/** Renders a body to text with the generator's formatting (2-space indent, LF). */
export function renderBody(body: Body): string {
  const w = new CodeBlockWriter({ indentNumberOfSpaces: 2, newLine: '\n', useSingleQuote: true });
  if (typeof body === 'string') w.write(body);
  else body(wrapWriter(w));
  return w.toString();
}

/** Builds one TypeScript module with ts-morph. */
export class ModuleBuilder {
  readonly #fileName: string;
  readonly #statements: (string | WriterFunction | StatementStructures)[] = [];

  constructor(fileName = 'module.ts') {
    this.#fileName = fileName;
  }

  /** `import { a, b as c } from 'x'` (`import type` when `typeOnly`). */
  import(from: string, names: readonly (string | { name: string; alias: string })[], typeOnly = false): this {
    this.#statements.push({
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: from,
      isTypeOnly: typeOnly,
      namedImports: names.map((n) => (typeof n === 'string' ? { name: n } : { name: n.name, alias: n.alias })),
    });
    return this;
  }

  /** `import type * as ns from 'x'`. */
  importNamespace(from: string, namespace: string, typeOnly = true): this {
    this.#statements.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: from, isTypeOnly: typeOnly, namespaceImport: namespace });
    return this;
  }

  /** `export { a, b } from 'x'` / `export type { ... }` / `export * from 'x'` (names omitted). */
  reexport(from: string, names?: readonly string[], typeOnly = false): this {
    this.#statements.push(
      compact({
        kind: StructureKind.ExportDeclaration as const,
        moduleSpecifier: from,
        isTypeOnly: typeOnly,
        namedExports: names ? [...names] : undefined,
      }),
    );
    return this;
  }

  typeAlias(spec: { name: string; type: string | Body; docs?: Docs | undefined; exported?: boolean; typeParameters?: readonly string[] }): this {
    this.#statements.push(
      compact({
        kind: StructureKind.TypeAlias as const,
        name: spec.name,
        type: typeof spec.type === 'string' ? spec.type : toWriterFunction(spec.type),
        isExported: spec.exported ?? true,
        docs: toJsDoc(spec.docs),
        typeParameters: spec.typeParameters ? [...spec.typeParameters] : undefined,
      }),
    );
    return this;
  }

  interface(spec: {
    name: string;
    properties: readonly PropertySignature[];
    docs?: Docs | undefined;
    exported?: boolean;
    extends?: readonly string[];
    typeParameters?: readonly string[];
  }): this {
    this.#statements.push(
      compact({
        kind: StructureKind.Interface as const,
        name: spec.name,
        isExported: spec.exported ?? true,
        docs: toJsDoc(spec.docs),
        extends: spec.extends ? [...spec.extends] : undefined,
        typeParameters: spec.typeParameters ? [...spec.typeParameters] : undefined,
        properties: spec.properties.map((p) =>
          compact({
            name: p.name,
            type: typeof p.type === 'string' ? p.type : toWriterFunction(p.type),
            hasQuestionToken: p.optional ?? false,
            isReadonly: p.readonly ?? false,
            docs: toJsDoc(p.docs),
          }),
        ),
      }),
    );
    return this;
  }

  const(spec: { name: string; initializer: string | Body; type?: string | undefined; docs?: Docs | undefined; exported?: boolean }): this {
    this.#statements.push(
      compact({
        kind: StructureKind.VariableStatement as const,
        declarationKind: VariableDeclarationKind.Const,
        isExported: spec.exported ?? true,
        docs: toJsDoc(spec.docs),
        declarations: [
          compact({
            name: spec.name,
            type: spec.type,
            initializer: typeof spec.initializer === 'string' ? spec.initializer : toWriterFunction(spec.initializer),
          }),
        ],
      }),
    );
    return this;
  }

  function(spec: {
    name: string;
    params: readonly Param[];
    returnType?: string | undefined;
    body: Body;
    docs?: Docs | undefined;
    exported?: boolean;
    isAsync?: boolean;
    typeParameters?: readonly string[];
  }): this {
    this.#statements.push(
      compact({
        kind: StructureKind.Function as const,
        name: spec.name,
        isExported: spec.exported ?? true,
        isAsync: spec.isAsync ?? false,
        docs: toJsDoc(spec.docs),
        typeParameters: spec.typeParameters ? [...spec.typeParameters] : undefined,
        parameters: spec.params.map((p) =>
          compact({ name: p.name, type: p.type, hasQuestionToken: p.optional ?? false, initializer: p.initializer }),
        ),
        returnType: spec.returnType,
        statements: toWriterFunction(spec.body),
      }),
    );
    return this;
  }

  /**
   * A declaration written as text (for initializers ts-morph would re-indent), with TSDoc.
   * `text` is used as is: indent it with two spaces per level.
   */
  declaration(docs: Docs | undefined, text: string): this {
    const doc = toJsDoc(docs)?.[0];
    const lines: string[] = [];
    if (doc && typeof doc.description === 'string') {
      const body = doc.description.replace(/^\n/, '').replace(/\n$/, '');
      if (!body.includes('\n') && !doc.tags?.length) lines.push(`/** ${body} */`);
      else {
        lines.push('/**');
        for (const l of body.split('\n')) lines.push(l === '' ? ' *' : ` * ${l}`);
        lines.push(' */');
      }
    }
    lines.push(text);
    this.#statements.push(lines.join('\n'));
    return this;
  }

  /** Raw statements, for code the structures above cannot express. */
  statements(body: Body): this {
    this.#statements.push(toWriterFunction(body));
    return this;
  }

  /**
   * Runs the bodies given as functions, for what they register as they write (the validators
   * emitter discovers the units a unit calls that way), without printing the module.
   */
  runBodies(): void {
    const w = new CodeBlockWriter();
    const run = (x: unknown) => {
      if (typeof x === 'function') (x as WriterFunction)(w);
    };
    for (const s of this.#statements) {
      if (typeof s === 'function') run(s);
      else if (typeof s === 'object') {
        const structure = s as { statements?: unknown; type?: unknown; declarations?: { initializer?: unknown }[]; properties?: { type?: unknown }[] };
        run(structure.statements);
        run(structure.type);
        for (const d of structure.declarations ?? []) run(d.initializer);
        for (const p of structure.properties ?? []) run(p.type);
      }
    }
  }

  /** The module text, starting with `header` (a comment block) and ending with one newline. */
  toString(header: string): string {
    const project = new Project({
      useInMemoryFileSystem: true,
      manipulationSettings: {
        indentationText: IndentationText.TwoSpaces,
        newLineKind: NewLineKind.LineFeed,
        quoteKind: QuoteKind.Single,
        useTrailingCommas: true,
      },
    });
    const file = project.createSourceFile(this.#fileName, '', { overwrite: true });
    file.addStatements(this.#statements);
    const text = separateDeclarations(file.getFullText().replace(/\s+$/, ''));
    return header === '' ? `${text}\n` : `${header}\n${text}\n`;
  }
}

/** Puts a blank line before each top-level doc comment or declaration that follows a statement. */
function separateDeclarations(text: string): string {
  const importLike = (line: string) => /^(import |export (type )?\{|export (type )?\*|\} from )/.test(line);
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const previous = out[out.length - 1];
    const startsDeclaration = /^(\/\*\*|\/\/|export |function |const |interface |type |import )/.test(line);
    const afterStatement = previous !== undefined && /^\S(.*[;}])?$/.test(previous) && /[;}]$/.test(previous);
    const bothImports = previous !== undefined && importLike(previous) && importLike(line);
    if (startsDeclaration && afterStatement && !bothImports) out.push('');
    out.push(line);
  }
  return out.join('\n');
}
