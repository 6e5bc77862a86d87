import { defineConfig } from 'vitest/config';

// test/site.test.ts builds docs/site first when it is missing or older than its inputs
// (test/site-build.ts); the examples test compiles into docs/.tmp/examples/.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Building the site (when stale) and starting Chromium happen in beforeAll hooks.
    hookTimeout: 240_000,
  },
});
