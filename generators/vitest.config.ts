import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generation (openapi-typescript, ts-morph) and the type-level test start the TypeScript
    // compiler, which takes a few seconds on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
