import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@embedkit/release',
    include: ['test/**/*.test.ts'],
    // Packing, publishing and installing are slow on a shared CI machine.
    testTimeout: 600_000,
    hookTimeout: 2_400_000,
  },
});
