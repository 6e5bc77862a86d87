import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { defineConfig } from 'tsdown';
import { cjsInterop } from '../../scripts/tsdown-cjs-interop.ts';

/**
 * `#crypto` / `#transport` stay run-time imports: package.json `imports` picks the platform's
 * module. The declarations must not use them, since TypeScript's node10 resolution knows no
 * `imports`: there they name the Node variant's declarations (both variants export the same API).
 */
function declarationsWithoutPlatformImports(outDir: string): void {
  for (const file of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
    const declaration = /\.d\.(c?)ts$/.exec(file);
    if (declaration === null) continue;
    const path = posix.join(outDir, file);
    const code = readFileSync(path, 'utf8');
    const rewritten = code.replace(/(["'])#(crypto|transport)\1/g, (_match, quote: string, name: string) => {
      const target = posix.relative(posix.dirname(file), `internal/platform/${name}-node${declaration[1] === 'c' ? '.cjs' : '.js'}`);
      return `${quote}${target.startsWith('.') ? target : `./${target}`}${quote}`;
    });
    if (rewritten !== code) writeFileSync(path, rewritten);
  }
}

export default defineConfig({
  entry: ['src/index.ts', 'src/node/index.ts', 'src/internal/platform/*-{node,web}.ts'],
  format: ['esm', 'cjs'],
  unbundle: true,
  platform: 'node',
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
  dts: { sourcemap: true },
  sourcemap: true,
  shims: true,
  fixedExtension: false,
  clean: true,
  plugins: [cjsInterop],
  deps: { neverBundle: [/^#/] },
  // A lazy import() stays a require() in the CommonJS build: Jest 29's CommonJS runtime cannot run import().
  outputOptions: (_options, format) => (format === 'cjs' ? { dynamicImportInCjs: false } : {}),
  report: false,
  logLevel: 'warn',
  checks: { pluginTimings: false },
  hooks: { 'build:done': ({ options }) => declarationsWithoutPlatformImports(options.outDir) },
});
