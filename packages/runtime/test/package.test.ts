// Checks the package boundaries: the main entry stays free of `node:*` modules outside Node,
// and the `imports` / `exports` maps point at real modules.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Every entry is dual: an `import` (ESM) and a `require` (CommonJS) build of the same module.
type Dual<T> = { import: T; require: T };
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, Dual<{ types: string; default: string }> | string>;
  imports: Record<string, Record<string, Dual<string>>>;
  dependencies: Record<string, string>;
};

// dist/x.js or dist/x.cjs -> src/x.ts
const toSource = (distPath: string): string => join(root, distPath.replace(/^\.\/dist\//, 'src/').replace(/\.c?js$/, '.ts'));

function resolveImportsField(specifier: string, conditions: readonly string[]): string {
  const entry = pkg.imports[specifier];
  if (entry === undefined) throw new Error(`no imports entry for ${specifier}`);
  for (const [condition, target] of Object.entries(entry)) {
    if (condition === 'default' || conditions.includes(condition)) return toSource(target.import);
  }
  throw new Error(`no match for ${specifier}`);
}

// Static (runtime) imports and re-exports of a module; type-only ones are erased by tsc.
function staticSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined) {
      const typeOnly =
        statement.isTypeOnly ||
        (statement.exportClause !== undefined &&
          ts.isNamedExports(statement.exportClause) &&
          statement.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  // Dynamic imports count as imports (loaded later, but loaded). The Node transport imports
  // undici through a parameter (so bundlers leave it out): every string constant of the file
  // naming a module is then counted as imported by it; any other computed specifier would
  // escape this check.
  const constants: string[] = [];
  let computed = false;
  const dynamic = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteral(argument)) out.push(argument.text);
      else computed = true;
    }
    if (ts.isVariableDeclaration(node) && node.initializer !== undefined && ts.isStringLiteral(node.initializer)) {
      if (/^(?:@[a-z0-9-]+\/)?[a-z0-9-]+\/.+\.js$/.test(node.initializer.text)) constants.push(node.initializer.text);
    }
    ts.forEachChild(node, dynamic);
  };
  dynamic(source);
  if (computed) {
    if (constants.length === 0) throw new Error(`${file} has a computed dynamic import; extend this test`);
    out.push(...constants);
  }
  return out;
}

function graph(entry: string, conditions: readonly string[]): { files: Set<string>; external: Map<string, string[]> } {
  const files = new Set<string>();
  const external = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of staticSpecifiers(file)) {
      let target: string | undefined;
      if (spec.startsWith('.')) target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      else if (spec.startsWith('#')) target = resolveImportsField(spec, conditions);
      if (target !== undefined) {
        expect(existsSync(target), `${spec} from ${relative(root, file)}`).toBe(true);
        visit(target);
      } else {
        external.set(spec, [...(external.get(spec) ?? []), relative(root, file)]);
      }
    }
  };
  visit(entry);
  return { files, external };
}

const main = pkg.exports['.'];
if (main === undefined || typeof main === 'string') throw new Error('package.json exports["."] must have import and require conditions');
const mainEntry = toSource(main.import.default);

describe('package boundaries', () => {
  for (const conditions of [['browser', 'import'], ['worker', 'import'], ['workerd', 'worker', 'import'], ['import']]) {
    it(`main entry has no node:* imports under conditions [${conditions.join(', ')}]`, () => {
      const { external } = graph(mainEntry, conditions);
      const nodeImports = [...external].filter(([spec]) => spec.startsWith('node:') || ['http', 'https', 'fs', 'crypto', 'zlib', 'stream'].includes(spec));
      expect(nodeImports).toEqual([]);
      // Only declared dependencies remain.
      for (const spec of external.keys()) {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        expect(Object.keys(pkg.dependencies)).toContain(name);
      }
    });
  }

  it('under the node condition, node:* is reached only through the platform and node/ modules', () => {
    const { external } = graph(mainEntry, ['node', 'import']);
    const importers = [...external].filter(([spec]) => spec.startsWith('node:')).flatMap(([, from]) => from);
    expect(importers.length).toBeGreaterThan(0);
    for (const file of importers) expect(file).toMatch(/^src\/(internal\/platform\/[a-z]+-node\.ts|node\/)/);
    // undici (the Node transport) is Node-only too.
    const undiciImporters = [...external].filter(([spec]) => spec === 'undici' || spec.startsWith('undici/')).flatMap(([, from]) => from);
    expect(undiciImporters.length).toBeGreaterThan(0);
    for (const file of undiciImporters) expect(file).toMatch(/^src\/node\//);
  });

  it("importing the built entries does not make Node load its bundled undici (the globals' fetch, Response)", () => {
    // Reading the global Response, Request, Headers or fetch loads it: about 40 ms on a slow
    // machine, which a process that imports the runtime but never sends should not pay.
    const script = `await import('@embedkit/runtime'); await import('@embedkit/runtime/node');
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => m.includes('undici'))));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });

  it('every exports and imports target has a source module', () => {
    for (const entry of Object.values(pkg.exports)) {
      if (typeof entry === 'string') continue;
      for (const target of [entry.import, entry.require]) {
        expect(existsSync(toSource(target.default))).toBe(true);
        // index.d.ts types index.js, index.d.cts types index.cjs
        expect(target.types.replace(/\.d\.(c?)ts$/, '.$1js')).toBe(target.default);
      }
      expect(entry.require.default).toBe(entry.import.default.replace(/\.js$/, '.cjs'));
    }
    for (const entry of Object.values(pkg.imports)) {
      for (const target of Object.values(entry)) {
        expect(existsSync(toSource(target.import)), target.import).toBe(true);
        expect(target.require).toBe(target.import.replace(/\.js$/, '.cjs'));
      }
    }
  });

  it('platform variants export the same names', async () => {
    const [cryptoNode, cryptoWeb, transportNode, transportWeb] = await Promise.all([
      import('../src/internal/platform/crypto-node.js'),
      import('../src/internal/platform/crypto-web.js'),
      import('../src/internal/platform/transport-node.js'),
      import('../src/internal/platform/transport-web.js'),
    ]);
    expect(Object.keys(cryptoWeb).sort()).toEqual(Object.keys(cryptoNode).sort());
    expect(Object.keys(transportWeb).sort()).toEqual(Object.keys(transportNode).sort());
    expect(transportWeb.defaultTransportName).toBe('fetch');
  });
});
