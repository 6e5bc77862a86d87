/**
 * Emits the files that make each generated folder a publishable package: package.json,
 * tsconfig.json (typecheck), tsconfig.build.json (build) and a package-level turbo.json that
 * makes `build` depend on `@embedkit/generators#generate`.
 *
 * @module
 */
import type { GeneratorContext } from '../context.js';
import { type Artifact, artifactsOf, packageNames } from '../model/names.js';
import type { ApiModel } from '../model/types.js';
import { fileHeader, type GeneratedFile, headerLines } from './common.js';
import { validatorExportNames } from './validators.js';

const DESCRIPTIONS: Record<Artifact, (v: string) => string> = {
  types: (v) => `TypeScript types of the Kraken Embed API ${v}, generated from its OpenAPI spec.`,
  validators: (v) => `Validators (typed functions and Standard Schema objects) for the Kraken Embed API ${v}, generated from its OpenAPI spec.`,
  signing: (v) => `API-Sign request signing for the Kraken Embed API ${v}, bound to the scheme its OpenAPI spec declares.`,
  client: (v) => `A typed, validating, signing client for the Kraken Embed API ${v}, generated from its OpenAPI spec.`,
};

/** Runtime dependencies of each artifact (besides the other generated packages). */
function dependencies(artifact: Artifact, model: ApiModel): Record<string, string> {
  const names = packageNames(model.apiVersion);
  const runtime = { '@embedkit/runtime': 'workspace:*' };
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
function schemaSubpaths(model: ApiModel): Record<string, { types: string; default: string }> {
  return Object.fromEntries(
    validatorExportNames(model).map((name) => [`./schemas/${name}`, { types: `./dist/schemas/${name}.d.ts`, default: `./dist/schemas/${name}.js` }]),
  );
}

/**
 * `typesVersions` for TypeScript's `moduleResolution: "node"` (node10), which ignores `exports`:
 * it maps `schemas/X` to `dist/schemas/X.d.ts`. The root import matches no pattern and falls back
 * to `types`; node16/nodenext/bundler resolve through `exports` and never read this.
 */
const SCHEMA_TYPES_VERSIONS = { '*': { 'schemas/*': ['./dist/schemas/*.d.ts'] } };

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The package.json of one artifact. `"//"` carries the header (JSON has no comments). */
export function packageJson(model: ApiModel, ctx: GeneratorContext, artifact: Artifact): Record<string, unknown> {
  const name = packageNames(model.apiVersion)[artifact];
  const deps = dependencies(artifact, model);
  return {
    '//': headerLines(model, ctx).join(' '),
    name,
    version: ctx.packageVersions[name] ?? ctx.initialVersion,
    description: DESCRIPTIONS[artifact](model.apiVersion),
    license: 'MIT',
    keywords: ['kraken', 'embed', 'openapi', 'embedkit', model.apiVersion],
    type: 'module',
    sideEffects: false,
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      ...(artifact === 'validators' ? schemaSubpaths(model) : {}),
      './package.json': './package.json',
    },
    types: './dist/index.d.ts',
    ...(artifact === 'validators' ? { typesVersions: SCHEMA_TYPES_VERSIONS } : {}),
    files: ['dist', 'src', 'README.md'],
    engines: { node: '>=20.19' },
    scripts: {
      build: 'tsc -p tsconfig.build.json',
      typecheck: 'tsc --noEmit',
    },
    ...(Object.keys(deps).length > 0 ? { dependencies: sortKeys(deps) } : {}),
    devDependencies: { typescript: ctx.pins.typescript },
    publishConfig: { access: 'public' },
    embedkit: {
      apiVersion: model.apiVersion,
      specHash: `sha256:${model.spec.hash}`,
      generator: `${ctx.generator.name}@${ctx.generator.version}`,
    },
  };
}

/** Emits the package files of every artifact. */
export function emitPackageFiles(model: ApiModel, ctx: GeneratorContext): GeneratedFile[] {
  const header = fileHeader(model, ctx);
  const files: GeneratedFile[] = [];
  for (const artifact of artifactsOf(model)) {
    files.push({ path: `${artifact}/package.json`, contents: `${JSON.stringify(packageJson(model, ctx, artifact), null, 2)}\n` });
    files.push({
      path: `${artifact}/tsconfig.json`,
      contents: `${header}\n${JSON.stringify(
        {
          extends: '../../../tsconfig.base.json',
          compilerOptions: { noEmit: true, types: [] },
          include: ['src'],
        },
        null,
        2,
      )}\n`,
    });
    files.push({
      path: `${artifact}/tsconfig.build.json`,
      contents: `${header}\n${JSON.stringify(
        {
          extends: '../../../tsconfig.base.json',
          compilerOptions: { rootDir: 'src', outDir: 'dist', types: [] },
          include: ['src'],
        },
        null,
        2,
      )}\n`,
    });
    if (artifact === 'validators') {
      // TypeDoc (the docs site) would document every `exports` entry: keep it on the root entry,
      // since each `./schemas/X` entry exports the same validateX, isX and XSchema again.
      files.push({
        path: `${artifact}/typedoc.json`,
        contents: `${header}\n${JSON.stringify({ entryPoints: ['./src/index.ts'] }, null, 2)}\n`,
      });
    }
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
