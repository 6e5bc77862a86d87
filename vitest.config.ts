// One vitest run over every workspace project, used by `pnpm test` (scripts/test-all.mjs).
// Each project keeps its own vitest.config.ts (if any); `turbo run test` still runs them one by one.
import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const candidates = ['spec', 'generators', 'packages/runtime', 'packages/sandbox', 'packages/nonce-redis', 'examples/*', 'benchmarks', 'docs', 'release'];

export default defineConfig({
  test: {
    projects: candidates.filter((path) => path.endsWith('*') || existsSync(new URL(`./${path}/package.json`, import.meta.url))),
  },
});
