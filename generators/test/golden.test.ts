/**
 * Golden snapshots of every generated file. The real spec's golden files are the committed
 * packages/2025-04-15 themselves (committed.test.ts and `embedkit check` compare them with a fresh
 * generation; `pnpm generate` refreshes them); the test-only second version (2099-01-01) has its
 * own under test/__golden__/<version>/<artifact>/..., refreshed with `pnpm test:update-golden`.
 */
import { describe, expect, it } from 'vitest';
import { generate, type SpecVersion } from './helpers.js';

describe.each(['2025-04-15', '2099-01-01'] as SpecVersion[])('generation of %s', (version) => {
  it('generate the same bytes twice (deterministic)', async () => {
    const { generateVersion } = await import('../src/generate.js');
    const { SPECS, testContext } = await import('./helpers.js');
    const again = await generateVersion({ apiVersion: version, absolutePath: SPECS[version], displayPath: 'elsewhere/openapi.yaml' }, testContext());
    const first = await generate(version);
    expect(again.files).toEqual(first.files);
  });
});

describe('golden files of 2099-01-01', () => {
  it('match the committed golden files', async () => {
    const { files } = await generate('2099-01-01');
    // 29 package files, the validators' typedoc.json, support.ts and constants.ts, and one validators/src/schemas/X.ts per validator (53).
    expect(files.length).toBe(85);
    for (const file of files) {
      await expect(file.contents, file.path).toMatchFileSnapshot(`./__golden__/${file.path}`);
    }
  });
});

describe('golden folders', () => {
  it.each(['2099-01-01'] as SpecVersion[])('hold no stale golden files for %s', async (version) => {
    // Missing golden files fail the snapshots above; this catches files no longer generated.
    const { readdir } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const root = join(new URL('.', import.meta.url).pathname, '__golden__');
    const list = async (dir: string): Promise<string[]> => {
      const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
      const nested = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => list(`${dir}/${e.name}`)));
      return [...entries.filter((e) => !e.isDirectory()).map((e) => `${dir}/${e.name}`), ...nested.flat()];
    };
    const generated = new Set((await generate(version)).files.map((f) => f.path));
    expect((await list(version)).filter((f) => !generated.has(f))).toEqual([]);
  });
});
