/**
 * The embedkit CLI end to end, in temporary directories: usage errors, generate (written /
 * unchanged / removed, stale files, untouched build output), check (clean, and a readable diff
 * after a spec edit), spec errors without stack traces, and two API versions side by side.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HELP, main, parseArgs } from '../../src/cli/main.js';
import { capture, FIXTURES_DIR, GENERATORS_DIR, SPECS, tempDir } from '../helpers.js';

async function run(argv: string[], cwd: string) {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { cwd, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('parseArgs', () => {
  it.each([
    [['generate'], { command: 'generate', specDir: 'spec', outDir: 'packages' }],
    [['check', '--api-version', '2025-04-15', '--spec-dir', 's', '--out-dir=o'], { command: 'check', apiVersion: '2025-04-15', specDir: 's', outDir: 'o' }],
    [['--help'], { command: 'help', specDir: 'spec', outDir: 'packages' }],
    [['generate', '-h'], { command: 'help', specDir: 'spec', outDir: 'packages' }],
    [['generate', '--standalone'], { command: 'generate', specDir: 'spec', outDir: 'packages', standalone: true }],
  ])('%j', (argv, want) => {
    expect(parseArgs(argv)).toEqual(want);
  });
});

describe('embedkit usage', () => {
  it('prints help and exits 0', async () => {
    const { code, stdout } = await run(['--help'], GENERATORS_DIR);
    expect(code).toBe(0);
    expect(stdout).toBe(HELP);
    expect(stdout).toMatch(/embedkit generate \[--api-version V\] \[--spec-dir DIR\] \[--out-dir DIR\]/);
  });

  it.each([
    [[], 'missing command'],
    [['build'], 'unknown command "build"'],
    [['generate', '--verbose'], 'unknown option "--verbose"'],
    [['generate', '--spec-dir'], '--spec-dir needs a value'],
    [['check', '--api-version', 'latest'], '--api-version must look like YYYY-MM-DD'],
  ])('%j exits 2 with a message', async (argv, message) => {
    const { code, stderr } = await run(argv, GENERATORS_DIR);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('embedkit --help');
  });

  it('the bin script runs the built CLI', async () => {
    const { stdout } = await promisify(execFile)('node', [join(GENERATORS_DIR, 'bin', 'embedkit.js'), '--help']);
    expect(stdout).toBe(HELP);
  });
});

describe('embedkit generate and check', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir('cli');
    await mkdir(join(dir.path, 'spec', '2025-04-15'), { recursive: true });
    await cp(SPECS['2025-04-15'], join(dir.path, 'spec', '2025-04-15', 'openapi.yaml'));
  });
  afterEach(() => dir.cleanup());

  it('generates, then reports everything unchanged, and check is clean', async () => {
    const first = await run(['generate'], dir.path);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/@embedkit\/types-2025-04-15 +packages\/2025-04-15\/types +8 written, 0 unchanged, 0 removed/);
    expect(first.stdout).toMatch(/82 files written, 0 unchanged, 0 removed in \d+\.\d\d s/);
    expect(first.stdout).toContain('run `pnpm install`');
    const second = await run(['generate'], dir.path);
    expect(second.stdout).toMatch(/0 files written, 82 unchanged, 0 removed/);
    expect(second.stdout).not.toContain('pnpm install');
    const check = await run(['check'], dir.path);
    expect(check.code).toBe(0);
    expect(check.stdout.trim().split('\n')).toHaveLength(1);
    expect(check.stdout).toMatch(/^embedkit check: up to date: 82 files in 1 API version \(2025-04-15\)/);
  });

  it('--standalone: packages on the runtime this CLI depends on, and check compares in the same mode', async () => {
    const generated = await run(['generate', '--standalone'], dir.path);
    expect(generated.code).toBe(0);
    // 4 turbo.json fewer than inside the repository.
    expect(generated.stdout).toMatch(/78 files written, 0 unchanged, 0 removed/);
    const runtime = JSON.parse(await readFile(join(GENERATORS_DIR, '..', 'packages', 'runtime', 'package.json'), 'utf8')) as { version: string };
    const client = JSON.parse(await readFile(join(dir.path, 'packages', '2025-04-15', 'client', 'package.json'), 'utf8'));
    expect(client.dependencies['@embedkit/runtime']).toBe(`^${runtime.version}`);
    expect((await run(['check', '--standalone'], dir.path)).code).toBe(0);
    // The repository's layout differs from the standalone one: check without the flag says so.
    const check = await run(['check'], dir.path);
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toContain('"@embedkit/runtime": "workspace:*"');
  });

  it('rewrites edited files, removes stale ones, and leaves build output, dependencies and the changelog alone', async () => {
    await run(['generate'], dir.path);
    const pkg = join(dir.path, 'packages', '2025-04-15', 'validators');
    await writeFile(join(pkg, 'src', 'index.ts'), '// edited by hand\n');
    await writeFile(join(pkg, 'src', 'old-module.ts'), 'export {};\n');
    // The per-schema module of a schema the spec no longer has, and one in a folder of its own.
    await writeFile(join(pkg, 'src', 'schemas', 'RemovedSchema.ts'), 'export {};\n');
    await mkdir(join(pkg, 'src', 'schemas', 'old'), { recursive: true });
    await writeFile(join(pkg, 'src', 'schemas', 'old', 'Nested.ts'), 'export {};\n');
    for (const keep of ['dist/index.js', 'node_modules/x/index.js', 'CHANGELOG.md']) {
      await mkdir(join(pkg, keep, '..'), { recursive: true });
      await writeFile(join(pkg, keep), 'keep\n');
    }
    const check = await run(['check'], dir.path);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('differs  packages/2025-04-15/validators/src/index.ts');
    expect(check.stderr).toContain('stale    packages/2025-04-15/validators/src/old-module.ts');
    expect(check.stderr).toContain('stale    packages/2025-04-15/validators/src/schemas/RemovedSchema.ts');
    expect(check.stderr).toContain('stale    packages/2025-04-15/validators/src/schemas/old/Nested.ts');
    const again = await run(['generate'], dir.path);
    expect(again.stdout).toMatch(/@embedkit\/validators-2025-04-15 +packages\/2025-04-15\/validators +1 written, 59 unchanged, 3 removed/);
    await expect(stat(join(pkg, 'src', 'old-module.ts'))).rejects.toThrow();
    await expect(stat(join(pkg, 'src', 'schemas', 'RemovedSchema.ts'))).rejects.toThrow();
    // The folder left empty goes too; the generated schemas/ stays.
    await expect(stat(join(pkg, 'src', 'schemas', 'old'))).rejects.toThrow();
    expect((await stat(join(pkg, 'src', 'schemas', 'IdentityDocumentMetadata.ts'))).isFile()).toBe(true);
    for (const keep of ['dist/index.js', 'node_modules/x/index.js', 'CHANGELOG.md']) {
      expect(await readFile(join(pkg, keep), 'utf8')).toBe('keep\n');
    }
    expect((await run(['check'], dir.path)).code).toBe(0);
  });

  it('keeps the package version changesets wrote', async () => {
    await run(['generate'], dir.path);
    const file = join(dir.path, 'packages', '2025-04-15', 'client', 'package.json');
    const pkg = JSON.parse(await readFile(file, 'utf8'));
    expect(pkg.version).toBe('0.1.0');
    await writeFile(file, `${JSON.stringify({ ...pkg, version: '0.2.0' }, null, 2)}\n`);
    expect((await run(['check'], dir.path)).code).toBe(0);
    await run(['generate'], dir.path);
    expect(JSON.parse(await readFile(file, 'utf8')).version).toBe('0.2.0');
  });

  it('fails check with a unified diff naming the file after one description changes in the spec', async () => {
    await run(['generate'], dir.path);
    const specFile = join(dir.path, 'spec', '2025-04-15', 'openapi.yaml');
    const spec = await readFile(specFile, 'utf8');
    const edited = spec.replace('description: The kind of identity document.', 'description: The kind of identity document (edited).');
    expect(edited).not.toBe(spec);
    await writeFile(specFile, edited);
    const check = await run(['check', '--spec-dir', 'spec'], dir.path);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('--- packages/2025-04-15/types/src/openapi.ts (on disk)\n+++ packages/2025-04-15/types/src/openapi.ts (generated)\n@@ ');
    expect(check.stdout).toContain('-         * @description The kind of identity document.\n+         * @description The kind of identity document (edited).');
    // The spec hash is in every header, so every file differs.
    expect(check.stderr).toMatch(/embedkit check: 82 files differ from a fresh generation/);
    expect(check.stderr).toContain('differs  packages/2025-04-15/types/src/index.ts');
    expect(check.stderr).toContain('Run `pnpm generate`');
  });

  it('reports a malformed spec with the file, the JSON pointer and the line, without a stack trace', async () => {
    await cp(join(FIXTURES_DIR, 'malformed', 'unknown-keyword.yaml'), join(dir.path, 'spec', '2025-04-15', 'openapi.yaml'));
    for (const command of ['generate', 'check']) {
      const { code, stdout, stderr } = await run([command], dir.path);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        new RegExp(`^embedkit ${command}: Invalid spec: spec/2025-04-15/openapi\\.yaml:\\d+:\\d+ #/components/schemas/Name/\\$dynamicRef: unsupported JSON Schema keyword "\\$dynamicRef"`),
      );
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('reports a missing spec directory or version', async () => {
    const missing = await run(['generate', '--spec-dir', 'nope'], dir.path);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain('nope #: the spec directory does not exist');
    const version = await run(['check', '--api-version', '2024-01-01'], dir.path);
    expect(version.code).toBe(1);
    expect(version.stderr).toContain('no spec for API version 2024-01-01 (found: 2025-04-15)');
  });

  it('generates two API versions side by side, with distinct package names and the breaking change', async () => {
    await mkdir(join(dir.path, 'spec', '2099-01-01'));
    await cp(SPECS['2099-01-01'], join(dir.path, 'spec', '2099-01-01', 'openapi.yaml'));
    const { code, stdout } = await run(['generate'], dir.path);
    expect(code).toBe(0);
    expect(stdout).toContain('embedkit generate: 2 API versions');
    const read = (p: string) => readFile(join(dir.path, 'packages', p), 'utf8');
    for (const version of ['2025-04-15', '2099-01-01']) {
      for (const artifact of ['types', 'validators', 'signing', 'client']) {
        const pkg = JSON.parse(await read(`${version}/${artifact}/package.json`));
        expect(pkg.name).toBe(`@embedkit/${artifact}-${version}`);
        expect(pkg.embedkit.apiVersion).toBe(version);
      }
    }
    const oldTypes = await read('2025-04-15/types/src/index.ts');
    const newTypes = await read('2099-01-01/types/src/index.ts');
    expect(oldTypes).toMatch(/export interface IdentityDocumentVerificationFiles \{[^}]*\n {2}front: FileInput;/);
    expect(newTypes).toMatch(/export interface IdentityDocumentVerificationFiles \{[^}]*\n {2}front_image: FileInput;/);
    expect(newTypes).not.toMatch(/\n {2}front: FileInput;/);
    expect(newTypes).toContain('export interface LivenessVideoVerificationInput {');
    expect(oldTypes).not.toContain('LivenessVideo');
    const newClient = await read('2099-01-01/client/src/index.ts');
    expect(newClient).toContain('parts.push(filePart("front_image", input.files.front_image));');
    expect(newClient).toContain('parts.push(filePart("video", input.files.video, "video/mp4"));');
    expect(newClient).toContain('export const VERSION_HEADER = Object.freeze({ name: "Payward-Version", value: "2099-01-01" } as const);');
    expect((await run(['check', '--api-version', '2099-01-01'], dir.path)).code).toBe(0);
  });
});
