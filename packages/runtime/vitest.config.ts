import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources. The package.json `imports` map points at dist/,
// so map the platform specifiers to the Node sources here (the web variants are imported
// directly by the tests that exercise them).
const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^#crypto$/, replacement: src('internal/platform/crypto-node.ts') },
      { find: /^#transport$/, replacement: src('internal/platform/transport-node.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
