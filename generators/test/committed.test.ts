/**
 * The committed packages/2025-04-15 equal a fresh in-memory generation, byte for byte, with no
 * missing and no stale files (what `embedkit check` verifies in CI).
 */
import { describe, expect, it } from 'vitest';
import { compareWithDisk } from '../src/cli/disk.js';
import { readPackageVersions } from '../src/generate.js';
import { generate, PACKAGES_DIR, testContext } from './helpers.js';

describe('committed packages/2025-04-15', () => {
  it('equal a fresh generation', async () => {
    const ctx = testContext(await readPackageVersions(PACKAGES_DIR, '2025-04-15'));
    const { files } = await generate('2025-04-15', ctx);
    const comparisons = await compareWithDisk(PACKAGES_DIR, '2025-04-15', files);
    expect(comparisons.filter((c) => c.status !== 'unchanged').map((c) => `${c.status} ${c.path}`)).toEqual([]);
    // 25 package files, a tsdown.config.ts per package (4), the validators' typedoc.json, support.ts and
    // constants.ts, and one validators/src/schemas/X.ts per validator (50).
    expect(comparisons.length).toBe(82);
  });
});
