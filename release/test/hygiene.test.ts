/**
 * Package hygiene of every public workspace package, on the tarball `pnpm pack` makes (what the
 * registry gets): @arethetypeswrong/cli finds no problem under node10, node16 (from CommonJS and
 * from ESM) and bundler; publint --strict reports nothing; the metadata a registry page and a
 * bundler read is complete and links to the project as generators/src/emitters/project.ts
 * decides; the README says which module formats the package supports.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_LINKS, projectFields } from '../../generators/src/emitters/project.js';
import { publicPackages, REPO_ROOT, run, tempDir } from './helpers.js';

const execFileAsync = promisify(execFile);
const ATTW = new URL('../node_modules/@arethetypeswrong/cli/dist/index.js', import.meta.url).pathname;
const packages = await publicPackages();

let work: { path: string; cleanup: () => Promise<void> };
const tarballs = new Map<string, string>();

beforeAll(async () => {
  work = await tempDir('pack');
  for (const pkg of packages) {
    const destination = join(work.path, pkg.name.replace('/', '__'));
    await run('pnpm', ['pack', '--pack-destination', destination], { cwd: pkg.path });
    const [file] = await readdir(destination);
    tarballs.set(pkg.name, join(destination, file!));
  }
}, 900_000);
afterAll(() => work?.cleanup());

it('finds the public packages: the hand-written ones and every generated one', () => {
  const names = packages.map((p) => p.name);
  expect(names).toEqual(expect.arrayContaining(['@embedkit/runtime', '@embedkit/sandbox', '@embedkit/generators']));
  expect(names.filter((n) => /^@embedkit\/(types|validators|signing|client)-\d{4}-\d\d-\d\d$/.test(n)).length).toBeGreaterThanOrEqual(4);
});

describe.each(packages.map((p) => [p.name, p] as const))('%s', (name, pkg) => {
  it('has no problem for @arethetypeswrong/cli in node10, node16 (CJS and ESM) and bundler', async () => {
    // attw exits 1 when it finds problems; the JSON report says which.
    const { stdout } = await execFileAsync(process.execPath, [ATTW, tarballs.get(name)!, '--format', 'json'], { cwd: work.path, maxBuffer: 64 << 20 }).catch(
      (error: { stdout: string }) => error,
    );
    const report = JSON.parse(stdout) as { analysis: { problems: unknown[]; entrypoints: Record<string, { resolutions: Record<string, unknown> }> } };
    expect(report.analysis.problems).toEqual([]);
    for (const entry of Object.values(report.analysis.entrypoints)) {
      expect(Object.keys(entry.resolutions).sort()).toEqual(['bundler', 'node10', 'node16-cjs', 'node16-esm']);
    }
  });

  it('is clean for publint --strict (no error, warning or suggestion)', async () => {
    const tarball = await readFile(tarballs.get(name)!);
    // No pkgDir: publint lints the unpacked tarball, as its CLI does when given one.
    const { messages } = await publint({ pack: { tarball: new Uint8Array(tarball).buffer }, strict: true });
    expect(messages).toEqual([]);
  });

  it('has the metadata: repository, homepage on the docs site, bugs, license, engines, keywords, sideEffects, files, public access', async () => {
    const manifest = JSON.parse(await readFile(join(pkg.path, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject(projectFields(name, relative(REPO_ROOT, pkg.path)));
    expect(manifest.homepage).toMatch(new RegExp(`^${PROJECT_LINKS.docs.replace(/[.]/g, '\\.')}`));
    expect(manifest).toMatchObject({ license: 'MIT', engines: { node: expect.any(String) }, publishConfig: { access: 'public' } });
    expect(typeof manifest.sideEffects).toBe('boolean');
    expect((manifest.keywords as string[]).length).toBeGreaterThan(2);
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'README.md']));
  });

  it('says in its README which module formats it supports', async () => {
    const readme = await readFile(join(pkg.path, 'README.md'), 'utf8');
    expect(readme).toMatch(/## Module formats/);
    expect(readme).toMatch(/ESM/);
    expect(readme).toMatch(/CommonJS/);
  });
});
