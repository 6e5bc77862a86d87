import { defineConfig, type UserConfig } from 'tsdown';
import { cjsInterop } from './tsdown-cjs-interop.ts';

/**
 * The build of a hand-written Node.js package: ESM (.js, .d.ts) and CommonJS (.cjs, .d.cts) with
 * the source layout kept (one output module per source module, so files read beside a module,
 * like the sandbox's dist/spec/, stay where it expects them). `overrides` adds what one package
 * needs beyond that.
 */
export function nodePackageConfig(entry: string[], overrides: UserConfig = {}) {
  return defineConfig({
    entry,
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
    ...overrides,
  });
}
