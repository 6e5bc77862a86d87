import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

// The generator's test-only API version 2099-01-01 is never published; its generated packages are
// kept as golden sources in generators/test/__golden__/. The multi-version test imports its client
// as `@embedkit/client-2099-01-01`: this resolves the 2099 packages to a copy of those sources
// (their own tsconfig.json files only make sense under packages/, so the sources are copied out
// without them), and their imports (`@embedkit/runtime`, ...) through this package's dependencies.
const SOURCES = fileURLToPath(new URL('../../generators/test/__golden__/2099-01-01/', import.meta.url));
const GOLDEN = fileURLToPath(new URL('./test-output/golden-2099-01-01/', import.meta.url));
const SELF = fileURLToPath(new URL('./package.json', import.meta.url));
for (const artifact of ['client', 'signing', 'validators', 'types']) cpSync(`${SOURCES}${artifact}/src`, `${GOLDEN}${artifact}/src`, { recursive: true });

const golden2099: Plugin = {
  name: 'embedkit-golden-2099-01-01',
  enforce: 'pre',
  async resolveId(source, importer) {
    const match = /^@embedkit\/(client|signing|validators|types)-2099-01-01(?:\/(.*))?$/.exec(source);
    if (match) return `${GOLDEN}${match[1]}/src/${match[2] ?? 'index'}.ts`;
    if (importer?.startsWith(GOLDEN) && !source.startsWith('.') && !source.startsWith('/')) {
      return this.resolve(source, SELF, { skipSelf: true });
    }
    return null;
  },
};

export default defineConfig({
  plugins: [golden2099],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
