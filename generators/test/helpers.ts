/**
 * Shared test helpers: paths, in-memory generation, and loading generated TypeScript.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { createContext, type GeneratorContext } from '../src/context.js';
import { generateVersion, type GeneratedVersion } from '../src/generate.js';
import { readGeneratorIdentity } from '../src/version.js';

export const GENERATORS_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = join(GENERATORS_DIR, '..');
export const SPEC_DIR = join(REPO_ROOT, 'spec');
export const PACKAGES_DIR = join(REPO_ROOT, 'packages');
export const FIXTURES_DIR = join(GENERATORS_DIR, 'test', 'fixtures');

/** The specs the golden snapshots cover: the real one and the test-only second version. */
export const SPECS = {
  '2025-04-15': join(SPEC_DIR, '2025-04-15', 'openapi.yaml'),
  '2099-01-01': join(FIXTURES_DIR, '2099-01-01', 'openapi.yaml'),
} as const;

export type SpecVersion = keyof typeof SPECS;

/** The context used by tests: the real generator identity, fresh package versions. */
export function testContext(versions: Record<string, string> = {}): GeneratorContext {
  return createContext(readGeneratorIdentity(), versions);
}

const cache = new Map<string, Promise<GeneratedVersion>>();

/** Generates one of the test specs in memory (cached per test file). */
export function generate(version: SpecVersion, ctx: GeneratorContext = testContext()): Promise<GeneratedVersion> {
  const key = `${version}:${JSON.stringify([ctx.packageVersions, ctx.standalone])}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = generateVersion({ apiVersion: version, absolutePath: SPECS[version], displayPath: `spec/${version}/openapi.yaml` }, ctx);
    cache.set(key, pending);
  }
  return pending;
}

/** The text of one generated file (path relative to the version folder, e.g. `types/src/index.ts`). */
export function fileOf(generated: GeneratedVersion, path: string): string {
  const file = generated.files.find((f) => f.path === `${generated.model.apiVersion}/${path}`);
  if (!file) throw new Error(`no generated file ${path}`);
  return file.contents;
}

/** A fresh temporary directory, removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `embedkit-${prefix}-`));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Writes generated files under `root` (paths as generated, `<version>/<artifact>/...`). */
export async function writeFiles(root: string, files: readonly { path: string; contents: string }[]): Promise<void> {
  for (const f of files) {
    const target = join(root, ...f.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.contents);
  }
}

/** A writable in-memory stream for the CLI. */
export function capture(): { write(text: string): boolean; text(): string } {
  let out = '';
  return {
    write(text: string) {
      out += text;
      return true;
    },
    text: () => out,
  };
}

/**
 * Resolves `specifiers` as an ESM consumer's `import` does, from a module inside `fromDir` (where
 * a package's own name resolves through its `exports`): Node's own resolver with the `node` and
 * `import` conditions, run once in a child process. Returns a function from a specifier to its
 * file path, which throws Node's resolution error for a specifier that did not resolve.
 */
export function importResolver(fromDir: string, specifiers: readonly string[]): (specifier: string) => string {
  const script = `const out = {};
for (const s of JSON.parse(process.argv[1])) {
  try { out[s] = { url: import.meta.resolve(s) }; } catch (e) { out[s] = { error: e.code + ': ' + e.message }; }
}
console.log(JSON.stringify(out));`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(specifiers)], { cwd: fromDir, encoding: 'utf8' });
  const resolved = JSON.parse(stdout) as Record<string, { url?: string; error?: string }>;
  return (specifier) => {
    const r = resolved[specifier];
    if (r === undefined) throw new Error(`importResolver: ${specifier} was not among the specifiers resolved`);
    if (r.error !== undefined) throw new Error(r.error);
    return fileURLToPath(r.url!);
  };
}

/** Generated TypeScript as the ES module JavaScript a test imports (types erased, nothing checked). */
export function transpile(source: string): string {
  return ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}
