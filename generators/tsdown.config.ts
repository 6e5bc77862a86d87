import { defineConfig } from 'tsdown';
import { cjsInterop } from '../scripts/tsdown-cjs-interop.ts';

// ESM (.js, .d.ts) and CommonJS (.cjs, .d.cts) builds with the source layout kept (one output
// module per source module).
export default defineConfig({
  entry: ['src/index.ts', 'src/cli/main.ts'],
  format: ['esm', 'cjs'],
  unbundle: true,
  platform: 'node',
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
  dts: { sourcemap: true },
  sourcemap: true,
  shims: true,
  fixedExtension: false,
  report: false,
  logLevel: 'warn',
  checks: { pluginTimings: false },
  clean: true,
  plugins: [cjsInterop],
});
