/**
 * The changeset check and writer on small temporary git repositories (real git, real files).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changesetBase, checkChangesets, recordBaseline, writeChangesets } from '../../src/cli/changeset.js';
import { main } from '../../src/cli/main.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'diff');
let root: string;

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@embedkit.invalid', ...args], { cwd: root, encoding: 'utf8' });
}

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

const manifest = (name: string, version = '0.1.0', extra: Record<string, unknown> = {}) => `${JSON.stringify({ name, version, ...extra }, null, 2)}\n`;

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { cwd: root, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'embedkit-changeset-'));
  await put('pnpm-workspace.yaml', "packages:\n  - packages/runtime\n  - packages/*/*\n  - docs\n");
  await put('.changeset/config.json', '{}\n');
  await put('.changeset/README.md', 'Changesets.\n');
  await put('packages/runtime/package.json', manifest('@embedkit/runtime'));
  await put('packages/runtime/src/index.ts', 'export const a = 1;\n');
  await put('packages/runtime/test/index.test.ts', 'test\n');
  await put('docs/package.json', manifest('@embedkit/docs', '0.0.0', { private: true }));
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git('commit', '--quiet', '-m', 'initial');
});

afterEach(async () => rm(root, { recursive: true, force: true }));

describe('embedkit changeset --check', () => {
  it('passes for packages never released (not in the baseline): their first release needs no changeset', async () => {
    await put('packages/runtime/src/index.ts', 'export const a = 2;\n');
    const result = await checkChangesets(root);
    expect(result).toEqual({ checked: 0, unreleased: ['@embedkit/runtime'], problems: [] });
  });

  it('fails when a released package changed without a changeset, and passes once one names it', async () => {
    expect((await cli('changeset', '--record')).stdout).toContain('recorded 1 public package');
    expect((await cli('changeset', '--check')).code).toBe(0);

    // Tests and the changelog are not published: no changeset needed.
    await put('packages/runtime/test/index.test.ts', 'changed\n');
    await put('packages/runtime/CHANGELOG.md', '# changelog\n');
    expect((await cli('changeset', '--check')).code).toBe(0);

    await put('packages/runtime/src/index.ts', 'export const a = 2;\n');
    const failed = await cli('changeset', '--check');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('@embedkit/runtime: packages/runtime changed since its last release (0.1.0) and no changeset names it: run `pnpm changeset`');

    // Committing does not hide the change: the baseline, not git history, decides.
    git('add', '.');
    git('commit', '--quiet', '-m', 'change');
    expect((await cli('changeset', '--check')).code).toBe(1);

    await put('.changeset/brave-cats.md', '---\n"@embedkit/runtime": minor\n---\n\nA new constant.\n');
    expect((await cli('changeset', '--check')).code).toBe(0);
  });

  it('after `changeset version` (version bumped, changesets consumed), asks to record the release', async () => {
    await recordBaseline(root);
    await put('packages/runtime/src/index.ts', 'export const a = 2;\n');
    await put('packages/runtime/package.json', manifest('@embedkit/runtime', '0.2.0'));
    const failed = await cli('changeset', '--check');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('says 0.2.0, the baseline says 0.1.0');
    await cli('changeset', '--record');
    expect((await cli('changeset', '--check')).code).toBe(0);
    const baseline = JSON.parse(await readFile(join(root, '.changeset/baseline.json'), 'utf8'));
    expect(baseline.packages['@embedkit/runtime'].version).toBe('0.2.0');
    expect(baseline.packages['@embedkit/docs']).toBeUndefined();
  });
});

describe('embedkit changeset (writer)', () => {
  const V = '2030-01-01';
  async function addVersion(fixture: string): Promise<void> {
    await put(`spec/${V}/openapi.yaml`, await readFile(join(FIXTURES, fixture, 'old.yaml'), 'utf8'));
    for (const artifact of ['types', 'validators', 'signing', 'client']) {
      await put(`packages/${V}/${artifact}/package.json`, manifest(`@embedkit/${artifact}-${V}`));
      await put(`packages/${V}/${artifact}/src/index.ts`, 'export {};\n');
    }
    git('add', '.');
    git('commit', '--quiet', '-m', `version ${V}`);
    git('checkout', '--quiet', '-b', 'feature');
  }

  it.each([
    ['request-property-enum-value-removed', 'major'],
    ['request-property-enum-value-added', 'minor'],
    ['request-body-description-changed', 'patch'],
  ])('%s: writes a %s changeset for the generated packages that changed', async (fixture, bump) => {
    await addVersion(fixture);
    await put(`spec/${V}/openapi.yaml`, await readFile(join(FIXTURES, fixture, 'new.yaml'), 'utf8'));
    await put(`packages/${V}/types/src/index.ts`, 'export type Changed = 1;\n');
    await put(`packages/${V}/validators/src/index.ts`, 'export const changed = 1;\n');
    const { stdout } = await cli('changeset');
    expect(stdout).toMatch(new RegExp(`wrote \\.changeset/embedkit-${V}-[0-9a-f]{8}\\.md \\(${bump}: @embedkit/types-${V}, @embedkit/validators-${V}\\)`));
    const files = (await readdir(join(root, '.changeset'))).filter((f) => f.startsWith('embedkit-'));
    expect(files).toHaveLength(1);
    const text = await readFile(join(root, '.changeset', files[0]!), 'utf8');
    expect(text).toMatch(new RegExp(`^---\\n"@embedkit/types-${V}": ${bump}\\n"@embedkit/validators-${V}": ${bump}\\n---\\n`));
    if (bump === 'major') expect(text).toContain('**Breaking:**');

    // Running it again replaces its own changeset instead of adding a second one.
    await cli('changeset');
    expect((await readdir(join(root, '.changeset'))).filter((f) => f.startsWith('embedkit-'))).toEqual(files);
  });

  it('writes a patch changeset when only the generator changed the packages, and nothing for a new version', async () => {
    await addVersion('endpoint-added');
    await put(`packages/${V}/client/src/index.ts`, 'export const regenerated = true;\n');
    await put('spec/2031-01-01/openapi.yaml', await readFile(join(FIXTURES, 'endpoint-added', 'new.yaml'), 'utf8'));
    const { written, skipped } = await writeChangesets(root, changesetBase(root));
    expect(written.map((w) => [w.bump, w.packages])).toEqual([['patch', [`@embedkit/client-${V}`]]]);
    expect(await readFile(join(root, written[0]!.file), 'utf8')).toContain('generator change only');
    expect(skipped).toEqual(['2031-01-01: new API version; its packages start at their first release and need no changeset']);
  });

  it('the written changeset satisfies the check', async () => {
    await addVersion('request-property-removed');
    await recordBaseline(root);
    await put(`spec/${V}/openapi.yaml`, await readFile(join(FIXTURES, 'request-property-removed', 'new.yaml'), 'utf8'));
    await put(`packages/${V}/types/src/index.ts`, 'export type Changed = 1;\n');
    expect((await checkChangesets(root)).problems.map((p) => p.name)).toEqual([`@embedkit/types-${V}`]);
    expect((await checkChangesets(root)).problems[0]!.problem).toContain('`pnpm exec embedkit changeset`');
    await cli('changeset');
    expect((await checkChangesets(root)).problems).toEqual([]);
  });
});
