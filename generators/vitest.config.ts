import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Generation (openapi-typescript, ts-morph), tsc runs and the 10,000-case property tests take
    // seconds each on a 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
