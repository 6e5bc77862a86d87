import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { respecVersion } from '../../src/cli/new-version.js';
import { applyTestVersionEdits } from '../diff/test-version.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

function capture() {
  let text = '';
  return { write: (s: string) => (text += s), text: () => text };
}

async function run(argv: string[], cwd = REPO_ROOT) {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { cwd, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('embedkit diff 2025-04-15 <a test version>', () => {
  let dir: string;
  let testSpec: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embedkit-diff-'));
    const source = await readFile(join(REPO_ROOT, 'spec', '2025-04-15', 'openapi.yaml'), 'utf8');
    testSpec = join(dir, 'openapi.yaml');
    await writeFile(testSpec, applyTestVersionEdits(respecVersion(source, '2025-04-15', '2099-06-01').text));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('--json lists the removed request enum value and the new required field as breaking, the new optional field as not', async () => {
    const { code, stdout } = await run(['diff', '2025-04-15', testSpec, '--json']);
    expect(code).toBe(0);
    const { changes, bump } = JSON.parse(stdout) as { bump: string; changes: { breaking: boolean; rule: string; location: string; message: string; reason: string }[] };
    const find = (rule: string, text: string) => changes.filter((c) => c.rule === rule && c.message.includes(text));
    const removed = find('request-property-enum-value-removed', 'special_permanent_residence_card');
    // The enum is used by the multipart body and by the JSON body of the URL variant.
    expect(removed.map((c) => c.location)).toEqual([
      'POST /b2b/verifications/{user} request body multipart/form-data: (identity_document).metadata.document_type',
      'POST /b2b/verifications/{user}/url request body application/json: (identity_document).metadata.document_type',
    ]);
    expect(removed.every((c) => c.breaking)).toBe(true);
    expect(find('new-required-request-property', 'issuing_authority').map((c) => c.breaking)).toEqual([true, true]);
    expect(find('new-optional-request-property', 'issue_date').map((c) => c.breaking)).toEqual([false, false]);
    expect(changes.filter((c) => c.rule === 'version-header-changed')).toHaveLength(3);
    expect(changes.every((c) => c.reason.length > 0 && c.location.length > 0)).toBe(true);
    expect(bump).toBe('major');
  });

  it('prints Markdown by default, breaking changes first', async () => {
    const { code, stdout } = await run(['diff', '2025-04-15', testSpec]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# Changes from 2025-04-15 to /);
    const breaking = stdout.indexOf('## Breaking changes');
    const compatible = stdout.indexOf('## Compatible changes');
    expect(breaking).toBeGreaterThan(0);
    expect(compatible).toBeGreaterThan(breaking);
    expect(stdout.slice(breaking, compatible)).toContain('enum value `special_permanent_residence_card` removed. Breaking:');
    expect(stdout.slice(breaking, compatible)).toContain('new required property `issuing_authority`. Breaking:');
    expect(stdout.slice(compatible)).toContain('new optional property `issue_date`. Not breaking:');
  });

  it('finds versions under the repository spec/ when run from a subfolder', async () => {
    const { code, stdout } = await run(['diff', '2025-04-15', testSpec, '--json'], join(REPO_ROOT, 'generators'));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).from).toBe('2025-04-15');
  });

  it('compares a version with itself as no change', async () => {
    const { stdout } = await run(['diff', '2025-04-15', '2025-04-15', '--json']);
    expect(JSON.parse(stdout).changes).toEqual([]);
  });

  it.each([
    [['diff', '2025-04-15'], 'diff needs <old> <new>'],
    [['diff', '2025-04-15', '1999-01-01'], 'no spec for API version 1999-01-01'],
    [['diff', 'a', 'b', '--yaml'], 'unknown option "--yaml"'],
    [['new-version'], 'new-version needs <version>'],
    [['new-version', '2099-01-01', '--from', 'latest'], '--from must look like YYYY-MM-DD'],
    [['changeset', '--check', '--record'], '--check and --record exclude each other'],
  ])('%j exits 2 with a message', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('names a missing spec file', async () => {
    const { code, stderr } = await run(['diff', '2025-04-15', join(dir, 'nope.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain('file not found');
  });
});

describe('migration pages', () => {
  it('one page per consecutive pair, from the diff: what to change, what to use, the version header once', async () => {
    const { migrationPages } = await import('../../src/cli/migrations.js');
    const spec = (apiVersion: string, absolutePath: string) => ({ apiVersion, absolutePath, displayPath: absolutePath });
    const pages = await migrationPages([
      spec('2099-01-01', join(import.meta.dirname, '..', 'fixtures', '2099-01-01', 'openapi.yaml')),
      spec('2025-04-15', join(REPO_ROOT, 'spec', '2025-04-15', 'openapi.yaml')),
    ]);
    expect(pages.map((p) => p.name)).toEqual(['2025-04-15-to-2099-01-01.md']);
    const page = pages[0]!.contents;
    expect(page).toMatch(/^---\ntitle: Migrating from 2025-04-15 to 2099-01-01\n---\n/);
    const mustChange = page.slice(page.indexOf('## What you must change'), page.indexOf('## What you can start using'));
    expect(mustChange).toContain('part `front` removed');
    expect(mustChange).toContain('new required part `front_image`');
    expect(page.slice(page.indexOf('## What you can start using'))).toContain('new optional property `issue_date`');
    expect(page.match(/Payward-Version/g)).toHaveLength(1);
  });
});
