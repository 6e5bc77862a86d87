/**
 * Emits the files that make each generated folder a publishable package: package.json,
 * tsconfig.json (typecheck), tsconfig.build.json and tsdown.config.ts (the dual ESM + CommonJS
 * build) and a package-level turbo.json that makes `build` depend on `@embedkit/generators#generate`.
 *
 * @module
 */
import type { GeneratorContext } from '../context.js';
import { type Artifact, artifactsOf, packageNames } from '../model/names.js';
import type { ApiModel } from '../model/types.js';
import { fileHeader, type GeneratedFile, headerLines } from './common.js';
import { projectFields } from './project.js';
import { validatorExportNames } from './validators.js';

/** An entry point built twice: ESM (`.js`, `.d.ts`) for `import`, CommonJS (`.cjs`, `.d.cts`) for `require`. */
function dualEntry(base: string): { import: { types: string; default: string }; require: { types: string; default: string } } {
  return {
    import: { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` },
    require: { types: `./dist/${base}.d.cts`, default: `./dist/${base}.cjs` },
  };
}

const DESCRIPTIONS: Record<Artifact, (v: string) => string> = {
  types: (v) => `TypeScript types of the Kraken Embed API ${v}, generated from its OpenAPI spec.`,
  validators: (v) => `Validators (typed functions and Standard Schema objects) for the Kraken Embed API ${v}, generated from its OpenAPI spec.`,
  signing: (v) => `API-Sign request signing for the Kraken Embed API ${v}, bound to the scheme its OpenAPI spec declares.`,
  client: (v) => `A typed, validating, signing client for the Kraken Embed API ${v}, generated from its OpenAPI spec.`,
};

/**
 * Runtime dependencies of each artifact. The other generated packages of the version are always
 * `workspace:*` (they sit next to each other in a pnpm workspace; `pnpm publish` writes their
 * versions); the runtime too inside the embedkit repository, the published one outside it.
 */
function dependencies(artifact: Artifact, model: ApiModel, ctx: GeneratorContext): Record<string, string> {
  const names = packageNames(model.apiVersion);
  const runtime = { '@embedkit/runtime': ctx.standalone === undefined ? 'workspace:*' : `^${ctx.standalone.runtimeVersion}` };
  switch (artifact) {
    case 'types':
      return {};
    case 'validators':
      // Type-only imports from the runtime (ValidationIssue) and @standard-schema/spec.
      return { ...runtime, [names.types]: 'workspace:*', '@standard-schema/spec': '1.1.0' };
    case 'signing':
      return { ...runtime };
    case 'client':
      // Without Kraken signing the client is plain openapi-fetch (see emitters/client.ts).
      return model.signature === undefined
        ? { ...runtime, [names.types]: 'workspace:*', [names.validators]: 'workspace:*', 'openapi-fetch': '0.17.0' }
        : { ...runtime, [names.types]: 'workspace:*', [names.validators]: 'workspace:*', [names.signing]: 'workspace:*' };
  }
}

/**
 * The validators package's `./schemas/X` entry points, one per exported validator, listed one by
 * one (not a `./schemas/*` pattern) so that a mistyped name fails at resolution and editors can
 * complete the names.
 */
function schemaSubpaths(model: ApiModel): Record<string, ReturnType<typeof dualEntry>> {
  return Object.fromEntries(validatorExportNames(model).map((name) => [`./schemas/${name}`, dualEntry(`schemas/${name}`)]));
}

/**
 * `typesVersions` for TypeScript's `moduleResolution: "node"` (node10), which ignores `exports`:
 * it maps `schemas/X` to the CommonJS declarations `dist/schemas/X.d.cts` (node10 means
 * `require`). The root import matches no pattern and falls back to `types`;
 * node16/nodenext/bundler resolve through `exports` and never read this.
 */
const SCHEMA_TYPES_VERSIONS = { '*': { 'schemas/*': ['./dist/schemas/*.d.cts'] } };

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The package.json of one artifact. `"//"` carries the header (JSON has no comments). */
export function packageJson(model: ApiModel, ctx: GeneratorContext, artifact: Artifact): Record<string, unknown> {
  const name = packageNames(model.apiVersion)[artifact];
  const deps = dependencies(artifact, model, ctx);
  return {
    '//': headerLines(model, ctx).join(' '),
    name,
    version: ctx.packageVersions[name] ?? ctx.initialVersion,
    description: DESCRIPTIONS[artifact](model.apiVersion),
    license: 'MIT',
    keywords: ['kraken', 'embed', 'openapi', 'embedkit', model.apiVersion],
    // Outside the repository the packages are the user's own: no links to embedkit's repository.
    ...(ctx.standalone === undefined ? projectFields(name, `packages/${model.apiVersion}/${artifact}`) : {}),
    type: 'module',
    sideEffects: false,
    // node10 (no `exports`) reads main/types: the CommonJS build and its declarations.
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.cts',
    exports: {
      '.': dualEntry('index'),
      ...(artifact === 'validators' ? schemaSubpaths(model) : {}),
      './package.json': './package.json',
    },
    ...(artifact === 'validators' ? { typesVersions: SCHEMA_TYPES_VERSIONS } : {}),
    files: ['dist', 'src', 'README.md'],
    engines: { node: '>=20.19' },
    scripts: {
      // tsdown: JavaScript for both formats and the CommonJS declarations; tsc: the ESM
      // declarations with declaration maps back to src/ (what the docs site's TypeDoc reads).
      build: 'tsdown && tsc -p tsconfig.build.json --emitDeclarationOnly',
      typecheck: 'tsc --noEmit',
    },
    ...(Object.keys(deps).length > 0 ? { dependencies: sortKeys(deps) } : {}),
    devDependencies: { tsdown: TSDOWN_VERSION, typescript: ctx.pins.typescript },
    publishConfig: { access: 'public' },
    embedkit: {
      apiVersion: model.apiVersion,
      specHash: `sha256:${model.spec.hash}`,
      generator: `${ctx.generator.name}@${ctx.generator.version}`,
    },
  };
}

/** The build tool of the generated packages (the last tsdown release that runs on Node 20). */
const TSDOWN_VERSION = '0.21.10';

/**
 * The generated packages' build: ESM and CommonJS, one output module per source module (so a
 * `./schemas/X` entry stays a small module of its own), declarations for both.
 */
function tsdownConfig(artifact: Artifact): string {
  const entry = artifact === 'validators' ? `['src/index.ts', 'src/schemas/*.ts']` : `['src/index.ts']`;
  return [
    `import { defineConfig } from 'tsdown';`,
    '',
    'export default defineConfig({',
    `  entry: ${entry},`,
    `  format: ['esm', 'cjs'],`,
    '  unbundle: true,',
    `  platform: 'neutral',`,
    `  target: 'es2022',`,
    `  tsconfig: 'tsconfig.build.json',`,
    '  dts: { sourcemap: true },',
    '  sourcemap: true,',
    '  fixedExtension: false,',
    '  report: false,',
    `  logLevel: 'warn',`,
    '  checks: { pluginTimings: false },',
    '  clean: true,',
    '});',
    '',
  ].join('\n');
}

/**
 * The compiler options of the repository's tsconfig.base.json, which the generated tsconfigs
 * extend inside the repository; outside it (`--standalone`) they are written out in full, since
 * there is no base to extend. A test keeps the two equal.
 */
export const STANDALONE_COMPILER_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  forceConsistentCasingInFileNames: true,
  skipLibCheck: true,
  declaration: true,
  declarationMap: true,
  sourceMap: true,
  esModuleInterop: false,
  resolveJsonModule: true,
} as const;

/** A tsconfig of a generated package: extending the repository's base, or self-contained. */
function tsconfig(ctx: GeneratorContext, compilerOptions: Record<string, unknown>): Record<string, unknown> {
  return ctx.standalone === undefined
    ? { extends: '../../../tsconfig.base.json', compilerOptions, include: ['src'] }
    : { compilerOptions: { ...STANDALONE_COMPILER_OPTIONS, ...compilerOptions }, include: ['src'] };
}

/** Emits the package files of every artifact. */
export function emitPackageFiles(model: ApiModel, ctx: GeneratorContext): GeneratedFile[] {
  const header = fileHeader(model, ctx);
  const files: GeneratedFile[] = [];
  for (const artifact of artifactsOf(model)) {
    files.push({ path: `${artifact}/package.json`, contents: `${JSON.stringify(packageJson(model, ctx, artifact), null, 2)}\n` });
    files.push({
      path: `${artifact}/tsconfig.json`,
      contents: `${header}\n${JSON.stringify(tsconfig(ctx, { noEmit: true, types: [] }), null, 2)}\n`,
    });
    files.push({
      path: `${artifact}/tsconfig.build.json`,
      contents: `${header}\n${JSON.stringify(tsconfig(ctx, { rootDir: 'src', outDir: 'dist', types: [] }), null, 2)}\n`,
    });
    files.push({ path: `${artifact}/tsdown.config.ts`, contents: `${header}\n${tsdownConfig(artifact)}` });
    if (artifact === 'validators') {
      // TypeDoc (the docs site) would document every `exports` entry: keep it on the root entry,
      // since each `./schemas/X` entry exports the same validateX, isX and XSchema again.
      files.push({
        path: `${artifact}/typedoc.json`,
        contents: `${header}\n${JSON.stringify({ entryPoints: ['./src/index.ts'] }, null, 2)}\n`,
      });
    }
    // The repository's turbo pipeline; a project outside it has its own build (or none).
    if (ctx.standalone !== undefined) continue;
    files.push({
      path: `${artifact}/turbo.json`,
      contents: `${header}\n${JSON.stringify(
        {
          extends: ['//'],
          tasks: {
            build: { dependsOn: ['^build', '@embedkit/generators#generate'] },
            typecheck: { dependsOn: ['^build', '@embedkit/generators#generate'] },
          },
        },
        null,
        2,
      )}\n`,
    });
  }
  return files;
}
