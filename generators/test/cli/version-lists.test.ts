import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { respecVersion } from '../../src/cli/new-version.js';
import { listSpecVersions, syncVersionLists, versionLists } from '../../src/cli/version-lists.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

describe('version lists', () => {
  it('every file that names the API versions or their packages matches the spec/<version>/ folders', async () => {
    const versions = await listSpecVersions(REPO_ROOT);
    expect(versions).toContain('2025-04-15');
    const files = await versionLists(REPO_ROOT, versions);
    expect(files.map((f) => f.path).sort()).toEqual(['docs/package.json', 'generators/turbo.json', 'spec/redocly.yaml']);
    for (const file of files) expect({ path: file.path, text: file.current }).toEqual({ path: file.path, text: file.expected });
  });

  it('syncVersionLists adds and removes versions, keeping everything else', async () => {
    const root = await mkdtemp(join(tmpdir(), 'embedkit-lists-'));
    try {
      for (const path of ['spec/redocly.yaml', 'generators/turbo.json', 'docs/package.json']) {
        await mkdir(join(root, path, '..'), { recursive: true });
        await writeFile(join(root, path), await readFile(join(REPO_ROOT, path), 'utf8'));
      }
      expect(await syncVersionLists(root, ['2025-04-15', '2099-06-01'])).toEqual(['spec/redocly.yaml', 'generators/turbo.json', 'docs/package.json']);
      const redocly = await readFile(join(root, 'spec/redocly.yaml'), 'utf8');
      expect(redocly).toContain('  embed@2099-06-01:\n    root: ./2099-06-01/openapi.yaml\n');
      expect(redocly).toContain('# Example hosts in the spec are placeholders, not servers.');
      const turbo = JSON.parse(await readFile(join(root, 'generators/turbo.json'), 'utf8'));
      expect(turbo.tasks.typecheck.dependsOn).toContain('@embedkit/client-2099-06-01#build');
      expect(turbo.tasks.typecheck.dependsOn).toContain('@embedkit/runtime#build');
      const docs = JSON.parse(await readFile(join(root, 'docs/package.json'), 'utf8'));
      expect(docs.devDependencies['@embedkit/validators-2099-06-01']).toBe('workspace:*');
      expect(docs.devDependencies['typedoc']).toBeDefined();
      expect(await syncVersionLists(root, ['2099-06-01'])).toHaveLength(3);
      expect(JSON.parse(await readFile(join(root, 'docs/package.json'), 'utf8')).devDependencies['@embedkit/client-2025-04-15']).toBeUndefined();
      expect(await syncVersionLists(root, ['2099-06-01'])).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('respecVersion', () => {
  it('changes only info.version and the version header, keeping quoting and every other byte', async () => {
    const source = await readFile(join(REPO_ROOT, 'spec', '2025-04-15', 'openapi.yaml'), 'utf8');
    const { text, edited } = respecVersion(source, '2025-04-15', '2099-06-01');
    expect(edited).toBe(3);
    const changed = source.split('\n').flatMap((line, i) => (line === text.split('\n')[i] ? [] : [[line, text.split('\n')[i]]]));
    expect(changed).toEqual([
      ['  version: 2025-04-15', '  version: 2099-06-01'],
      ["        enum: ['2025-04-15']", "        enum: ['2099-06-01']"],
      ["        default: '2025-04-15'", "        default: '2099-06-01'"],
    ]);
  });
});
