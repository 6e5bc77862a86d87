import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Bun and Deno start in well under a second; a shared 2-core machine can be much slower.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
