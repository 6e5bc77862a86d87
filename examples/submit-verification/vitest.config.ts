import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Prism takes a few seconds to start on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
