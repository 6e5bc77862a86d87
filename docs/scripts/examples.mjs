// Every TypeScript example the site shows is compiled: each ```ts block of the guides, of the docs
// landing page and of every documented package's README, and each `@example` block in the TSDoc of
// every documented package's src/. They are written into docs/.tmp/examples/ (one module per
// example) and type-checked with the TypeScript compiler against the BUILT packages (imports
// resolve through docs/node_modules/@embedkit/* to each package's `exports` types, as a user's
// would).
//
// Rules (see docs/README.md, "Working on these docs"):
// - Guides and READMEs: every ```ts / ```typescript block is a complete module (its own imports);
//   a block marked ```ts continued is compiled together with the block before it.
// - TSDoc `@example` blocks may be fragments: names exported by the documenting package are
//   imported automatically, the body is wrapped in an async function (so `await` and `return`
//   work), and the free variables listed in test/example-context/<kind>.ts are declared.
// - An unfenced `@example` that is a data value (the spec's `example:` that openapi-typescript
//   writes as `@example US`) is shown as data and not compiled (example-rules.mjs).
// - A block that is deliberately not compilable says so in its info string: ```ts no-check
//
// Run on its own: node scripts/examples.mjs   (exit code 1 if an example does not compile)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { dataExampleLanguage } from './example-rules.mjs';
import { discoverPackages, docsRoot, repoRoot } from './packages.mjs';
import { writeSitePages } from './site-pages.mjs';

export const examplesDir = join(docsRoot, '.tmp', 'examples');
const contextDir = join(docsRoot, 'test', 'example-context');
const TS_LANGS = new Set(['ts', 'typescript', 'mts', 'cts']);

/**
 * @typedef {object} Example
 * @property {string} source   the file it comes from (absolute)
 * @property {number} line     1-based line of the example's first code line in `source`
 * @property {'markdown' | 'tsdoc'} kind
 * @property {string} info     the fence's info string (`ts`, `ts no-check`, ...)
 * @property {string} code     all of its code (every part)
 * @property {boolean} skip    marked `no-check`
 * @property {boolean} [data]  an unfenced `@example` that is a data value, not code (example-rules.mjs): shown, not compiled
 * @property {string} [problem] why the example cannot even be extracted as written (reported as a failure)
 * @property {{ line: number, code: string }[]} parts  the blocks compiled together (one, or a chain of `continued` blocks)
 * @property {ReturnType<typeof discoverPackages>[number]} [pkg] the documented package it belongs to (not for guides)
 */

/** Parses an info string: the language, whether the block opts out (`no-check`), whether it continues the previous one. */
function parseInfo(info) {
  const words = info.trim().split(/\s+/).filter(Boolean);
  return { lang: (words[0] ?? '').toLowerCase(), noCheck: words.includes('no-check'), continued: words.includes('continued') };
}

/**
 * Fenced code blocks of a markdown text (``` or ~~~, any length >= 3), with the 1-based line of
 * their first code line. `lineOffset` and `lineMap` place them in an enclosing file.
 */
export function fencedBlocks(text, lineMap = (n) => n) {
  const lines = text.split('\n');
  const blocks = [];
  let open;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!open) {
      const match = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
      if (match && !(match[2]?.startsWith('`') && match[3]?.includes('`'))) {
        open = { fence: match[2], indent: match[1]?.length ?? 0, info: match[3] ?? '', start: i + 1, body: [] };
      }
    } else {
      const close = new RegExp(`^ {0,3}${open.fence[0] === '`' ? '`' : '~'}{${open.fence.length},}\\s*$`);
      if (close.test(line)) {
        blocks.push({ info: open.info.trim(), code: open.body.join('\n'), line: lineMap(open.start + 1) });
        open = undefined;
      } else {
        open.body.push(open.indent > 0 ? line.replace(new RegExp(`^ {0,${open.indent}}`), '') : line);
      }
    }
  }
  return blocks;
}

/**
 * The TypeScript blocks of a markdown file. A block marked `continued` is compiled together with
 * the previous checked block of the file (one module), so a guide can build on earlier steps.
 */
export function extractFromMarkdown(source, text) {
  /** @type {Example[]} */
  const examples = [];
  /** @type {Example | undefined} */
  let previous;
  for (const block of fencedBlocks(text)) {
    const { lang, noCheck, continued } = parseInfo(block.info);
    if (!TS_LANGS.has(lang)) continue;
    if (continued && !noCheck) {
      if (!previous) throw new Error(`${source}:${block.line}: a \`continued\` block needs a checked ts block before it`);
      previous.parts.push({ line: block.line, code: block.code });
      previous.code = previous.parts.map((part) => part.code).join('\n');
      continue;
    }
    const example = { source, line: block.line, kind: /** @type {const} */ ('markdown'), info: block.info, code: block.code, skip: noCheck, parts: [{ line: block.line, code: block.code }] };
    examples.push(example);
    if (!noCheck) previous = example;
  }
  return examples;
}

/**
 * The `@example` blocks of the doc comments of a TypeScript source file. An `@example` runs to the
 * next block tag; its fenced ts blocks are the examples (TypeDoc shows an `@example` without a
 * fence as one code block, so such an example is taken whole).
 */
export function extractFromSource(source, text) {
  const examples = [];
  const comment = /\/\*\*([\s\S]*?)\*\//g;
  for (let match = comment.exec(text); match; match = comment.exec(text)) {
    const startLine = text.slice(0, match.index).split('\n').length; // line of `/**`
    const rawLines = (match[1] ?? '').split('\n');
    // Strip the ` * ` margin; keep the source line of every comment line.
    const lines = rawLines.map((raw, index) => ({
      text: index === 0 ? raw.replace(/^\s*/, '') : raw.replace(/^\s*\*? ?/, ''),
      line: startLine + index,
    }));
    let fenceOpen = false;
    let current;
    const finish = () => {
      if (!current) return;
      const body = current.lines;
      const text = body.map((l) => l.text).join('\n');
      const blocks = fencedBlocks(text, (n) => body[n - 1]?.line ?? current.line);
      if (blocks.length > 0) {
        for (const block of blocks) {
          const { lang, noCheck } = parseInfo(block.info);
          if (lang === '' || TS_LANGS.has(lang)) {
            examples.push({ source, line: block.line, kind: 'tsdoc', info: block.info, code: block.code, skip: noCheck, parts: [{ line: block.line, code: block.code }] });
          }
        }
      } else if (/^\s*(```|~~~)/.test(current.first.text)) {
        // `@example ```ts`: TypeDoc takes the fence as the example's title and the block breaks.
        examples.push({
          source,
          line: current.first.line,
          kind: 'tsdoc',
          info: '',
          code: '',
          skip: false,
          problem: 'the code fence starts on the `@example` line, so TypeDoc takes it as the example\'s title and shows a broken block; put the opening ```ts on the next line',
          parts: [{ line: current.first.line, code: '' }],
        });
      } else {
        // No fence: TypeDoc shows the whole text, first line included, as one code block.
        const all = [current.first, ...body].filter((l) => l.text.trim() !== '' || l !== current.first);
        const code = all.map((l) => l.text).join('\n').trim();
        const start = all.find((l) => l.text.trim() !== '');
        if (code !== '' && start) {
          const data = dataExampleLanguage(code) !== undefined;
          examples.push({ source, line: start.line, kind: 'tsdoc', info: '', code, skip: false, data, parts: [{ line: start.line, code }] });
        }
      }
      current = undefined;
    };
    for (const { text: lineText, line } of lines) {
      if (/^\s*(```|~~~)/.test(lineText)) fenceOpen = !fenceOpen;
      const tag = fenceOpen ? undefined : /^\s*@(\w+)(.*)$/.exec(lineText);
      if (tag && !/^\s*```/.test(lineText)) {
        finish();
        // The rest of the `@example` line: a title when the example has a fence, else its first line of code.
        if (tag[1] === 'example') current = { line, lines: [], first: { text: tag[2] ?? '', line } };
        continue;
      }
      if (current) current.lines.push({ text: lineText, line });
    }
    finish();
  }
  return examples;
}

function listFiles(dir, accept, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, accept, out);
    else if (accept(path)) out.push(path);
  }
  return out.sort();
}

const isSourceFile = (path) => /\.(c|m)?tsx?$/.test(path) && !/\.(test|spec|bench)\.(c|m)?tsx?$/.test(path);

/** Every example the site shows, guides first. */
export function collectExamples(packages = discoverPackages()) {
  /** @type {Example[]} */
  const examples = [];
  // The pages generated from the specs (site-pages.mjs) are written afresh, so their examples are the ones the site shows.
  const generated = writeSitePages().map((page) => page.file);
  const markdown = [join(docsRoot, 'README.md'), ...listFiles(join(docsRoot, 'guides'), (p) => p.endsWith('.md')), ...generated];
  for (const file of markdown) {
    if (existsSync(file)) examples.push(...extractFromMarkdown(file, readFileSync(file, 'utf8')));
  }
  for (const pkg of packages) {
    if (pkg.readme) examples.push(...extractFromMarkdown(pkg.readme, readFileSync(pkg.readme, 'utf8')).map((e) => ({ ...e, pkg })));
    for (const file of listFiles(join(pkg.dir, 'src'), isSourceFile)) {
      examples.push(...extractFromSource(file, readFileSync(file, 'utf8')).map((e) => ({ ...e, pkg })));
    }
  }
  return examples;
}

/** One TypeScript program over the entry points of every documented package, built on first use. */
let exportsProgram;
function programFor(packages) {
  if (!exportsProgram) {
    const files = packages.flatMap((p) => p.entryPoints.map((e) => e.types)).filter((f) => existsSync(f));
    exportsProgram = ts.createProgram(files, {
      noEmit: true,
      skipLibCheck: true,
      types: [],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
    });
  }
  return exportsProgram;
}

/**
 * Names exported by each entry point of a package, with whether each is a value (else type-only),
 * read from the built declaration files with the TypeScript compiler.
 */
export function exportedNames(pkg, packages = discoverPackages()) {
  const program = programFor(packages.some((p) => p.dir === pkg.dir) ? packages : [...packages, pkg]);
  const checker = program.getTypeChecker();
  /** @type {Map<string, { specifier: string, isValue: boolean }>} */
  const names = new Map();
  // Prefer the main entry point when a name is exported from several.
  const entries = [...pkg.entryPoints].sort((a, b) => (a.subpath === '.' ? -1 : b.subpath === '.' ? 1 : 0));
  for (const entry of entries) {
    const sourceFile = program.getSourceFile(entry.types);
    const symbol = sourceFile && checker.getSymbolAtLocation(sourceFile);
    if (!symbol) continue;
    const specifier = entry.subpath === '.' ? pkg.name : `${pkg.name}/${entry.subpath.replace(/^\.\//, '')}`;
    for (const exported of checker.getExportsOfModule(symbol)) {
      if (names.has(exported.name) || exported.name === 'default') continue;
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      names.set(exported.name, { specifier, isValue: (target.flags & ts.SymbolFlags.Value) !== 0 });
    }
  }
  return names;
}

/** Splits a snippet into its leading import declarations and the rest. */
function splitImports(code) {
  const sourceFile = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true);
  const imports = [];
  const body = [];
  for (const statement of sourceFile.statements) {
    const text = code.slice(statement.getFullStart(), statement.getEnd());
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) imports.push(text.trim());
    else body.push(text);
  }
  // Keep the body's own text (comments and blank lines included) from the first non-import statement.
  const firstBody = sourceFile.statements.find((s) => !ts.isImportDeclaration(s) && !ts.isImportEqualsDeclaration(s));
  const bodyText = firstBody ? code.slice(firstBody.getFullStart()) : code.slice(sourceFile.statements.at(-1)?.getEnd() ?? 0);
  return { imports, body: bodyText, sourceFile };
}

/** Identifiers an example imports or declares at its top level. */
function boundNames(sourceFile) {
  const names = new Set();
  const visitBinding = (name) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) visitBinding(element.name);
  };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) names.add(el.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) visitBinding(decl.name);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** The context (declared free variables) for a package's TSDoc examples, or '' if it has none. */
function contextFor(pkg) {
  const key = pkg.kind ?? basename(pkg.dir);
  const file = join(contextDir, `${key}.ts`);
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  const apiVersion = pkg.apiVersion ?? latestApiVersion();
  return text.replaceAll('__API_VERSION__', apiVersion);
}

let latest;
function latestApiVersion() {
  latest ??= discoverPackages().find((p) => p.apiVersion)?.apiVersion ?? '';
  return latest;
}

/**
 * Turns one example into the text of a module. Returns the text and, to map compiler errors
 * back, segments: the module line (1-based) at which each part's first code line sits.
 */
export function exampleModule(example, exportsCache = new Map()) {
  const header = `// ${relative(repoRoot, example.source)}:${example.line} (${example.kind} example)`;
  // Guides and the landing page: complete modules. A package's TSDoc and README: fragments.
  if (!example.pkg) {
    const lines = [header];
    const segments = [];
    for (const part of example.parts) {
      lines.push(`// ${relative(repoRoot, example.source)}:${part.line}`);
      segments.push({ moduleLine: lines.length + 1, sourceLine: part.line });
      lines.push(...part.code.split('\n'));
    }
    return { text: `${lines.join('\n')}\nexport {};\n`, segments };
  }
  const { imports, body, sourceFile } = splitImports(example.code);
  const bound = boundNames(sourceFile);
  if (!exportsCache.has(example.pkg.name)) exportsCache.set(example.pkg.name, exportedNames(example.pkg));
  const exported = exportsCache.get(example.pkg.name);
  const used = new Set(example.code.match(/[A-Za-z_$][\w$]*/g) ?? []);
  /** @type {Map<string, { values: string[], types: string[] }>} */
  const auto = new Map();
  for (const name of used) {
    const found = exported.get(name);
    if (!found || bound.has(name)) continue;
    const entry = auto.get(found.specifier) ?? { values: [], types: [] };
    (found.isValue ? entry.values : entry.types).push(name);
    auto.set(found.specifier, entry);
  }
  const autoImports = [...auto].flatMap(([specifier, { values, types }]) => [
    ...(values.length ? [`import { ${values.sort().join(', ')} } from '${specifier}';`] : []),
    ...(types.length ? [`import type { ${types.sort().join(', ')} } from '${specifier}';`] : []),
  ]);
  // A fragment that declares module-level things (export, declare, namespace) stays unwrapped.
  const wrap = !sourceFile.statements.some(
    (s) =>
      (ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DeclareKeyword)) ||
      ts.isModuleDeclaration(s) ||
      ts.isExportAssignment(s) ||
      ts.isExportDeclaration(s),
  );
  const context = contextFor(example.pkg)
    .split('\n')
    // Unwrapped examples may declare a context name themselves; theirs wins.
    .filter((line) => wrap || ![...bound].some((name) => new RegExp(`^declare\\s+(const|let|var|function)\\s+${name}\\b`).test(line)))
    .join('\n');
  const pre = [header, ...imports, ...autoImports, context, wrap ? 'export async function example() {' : ''].join('\n');
  // The example's first code line: imports were moved up, so map from the body's first line.
  const bodyOffset = example.code.slice(0, example.code.length - body.length).split('\n').length - 1;
  const text = `${pre}\n${body}\n${wrap ? '}\n' : ''}export {};\n`;
  // Module line of the example's code line 0; each part (a chain of `continued` README blocks)
  // starts that many lines further down.
  const base = pre.split('\n').length + 1 - bodyOffset;
  let before = 0;
  const segments = example.parts.map((part) => {
    const segment = { moduleLine: base + before, sourceLine: part.line };
    before += part.code.split('\n').length;
    return segment;
  });
  return { text, segments };
}

function slug(example) {
  return `${relative(repoRoot, example.source).replace(/[^A-Za-z0-9]+/g, '_')}_L${example.line}`;
}

/** Writes one module per (checked) example plus a tsconfig into `dir`; returns the file of each example. */
export function writeExamples(examples, dir = examplesDir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const cache = new Map();
  const written = [];
  for (const example of examples) {
    if (example.skip || example.data || example.problem) continue;
    const file = join(dir, `${slug(example)}.ts`);
    const { text, segments } = exampleModule(example, cache);
    writeFileSync(file, text);
    written.push({ example, file, segments });
  }
  const base = relative(dir, join(repoRoot, 'tsconfig.base.json'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify({ extends: base, compilerOptions: { noEmit: true, types: ['node'], declaration: false, declarationMap: false, sourceMap: false }, include: ['*.ts'] }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  return written;
}

/**
 * Type-checks the written examples as one TypeScript project (the tsconfig written beside them,
 * which extends the repo's strict tsconfig.base.json). Returns the problems of each example.
 */
export function typecheckExamples(written, dir = examplesDir) {
  const configPath = join(dir, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!parsed) throw new Error(`Cannot read ${configPath}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const byFile = new Map(written.map((w) => [w.file, { ...w, problems: [] }]));
  const global = [];
  for (const d of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const entry = d.file ? byFile.get(d.file.fileName) : undefined;
    if (!entry || d.start === undefined || !d.file) {
      global.push(`${d.file ? `${relative(repoRoot, d.file.fileName)}: ` : ''}TS${d.code}: ${message}`);
      continue;
    }
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const moduleLine = line + 1;
    const segment = entry.segments.filter((s) => s.moduleLine <= moduleLine).at(-1);
    const source = relative(repoRoot, entry.example.source);
    const column = entry.example.kind === 'markdown' ? `:${character + 1}` : '';
    const where = segment
      ? `${source}:${segment.sourceLine + moduleLine - segment.moduleLine}${column}`
      : `${source}:${entry.example.line} (generated import/context line ${moduleLine} of ${relative(repoRoot, entry.file)})`;
    entry.problems.push(`${where}: TS${d.code}: ${message}`);
  }
  return { results: [...byFile.values()], global };
}

/** Collects, writes and type-checks every example. */
export function checkExamples(packages = discoverPackages()) {
  const examples = collectExamples(packages);
  const written = writeExamples(examples);
  const { results, global } = typecheckExamples(written);
  const unusable = examples
    .filter((e) => e.problem)
    .map((example) => ({ example, file: '', segments: [], problems: [`${relative(repoRoot, example.source)}:${example.line}: ${example.problem}`] }));
  return { examples, results: [...results, ...unusable], global };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  const { examples, results, global } = checkExamples();
  const failed = results.filter((r) => r.problems.length > 0);
  for (const r of failed) console.error(r.problems.join('\n'));
  for (const g of global) console.error(g);
  const skipped = examples.filter((e) => e.skip);
  const data = examples.filter((e) => e.data);
  console.log(
    `examples: ${results.length} compiled, ${failed.length} failed, ${data.length} data examples (not code), ${skipped.length} marked no-check` +
      `${skipped.length ? ` (${skipped.map((e) => `${relative(repoRoot, e.source)}:${e.line}`).join(', ')})` : ''}` +
      ` in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  process.exit(failed.length > 0 || global.length > 0 ? 1 : 0);
}

