// The site's inputs are complete: every package found by listing folders is one turbo builds before
// the site, and every API version in spec/ has its generated packages on the site.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { categoryOrder, docsRoot, GENERATED_KINDS, repoRoot } from '../scripts/packages.mjs';
import { packages } from './site-build.js';

const manifest = JSON.parse(readFileSync(join(docsRoot, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };

describe('the documented packages', () => {
  test('include the runtime, the sandbox and generated packages', () => {
    const names = packages.map((p) => p.name);
    expect(names).toContain('@embedkit/runtime');
    expect(names).toContain('@embedkit/sandbox');
    expect(packages.some((p) => p.kind === 'client')).toBe(true);
  });

  test.each(packages.map((p) => [p.name] as const))('%s is a workspace devDependency of @embedkit/docs (so ^build builds it first)', (name) => {
    expect(manifest.devDependencies?.[name], `add it: pnpm add --filter @embedkit/docs -D ${name}@workspace:*`).toBe('workspace:*');
  });

  const specVersions = readdirSync(join(repoRoot, 'spec')).filter((entry) => /^\d{4}-\d{2}-\d{2}$/.test(entry) && existsSync(join(repoRoot, 'spec', entry, 'openapi.yaml')));
  test.each(specVersions.map((v) => [v] as const))('API %s has its generated packages on the site', (version) => {
    const kinds = packages.filter((p) => p.apiVersion === version).map((p) => p.kind);
    expect(kinds, `packages/${version}/* (run pnpm generate)`).toEqual(expect.arrayContaining(GENERATED_KINDS));
  });

  test('the site is grouped Guides, Runtime, Sandbox, then each API version, newest first', () => {
    const order = categoryOrder(packages);
    const versions = order.filter((title: string) => title.startsWith('API '));
    expect(order.slice(0, 3)).toEqual(['Guides', 'Runtime', 'Sandbox']);
    expect(versions).toEqual([...versions].sort().reverse());
    expect(order).toHaveLength(3 + versions.length);
  });

  test('each package has a types entry point and a README (its page on the site)', () => {
    for (const pkg of packages) {
      expect(pkg.entryPoints.length, `${pkg.name} exports`).toBeGreaterThan(0);
      expect(pkg.readme, `${pkg.name} README.md`).toBeDefined();
    }
  });
});
