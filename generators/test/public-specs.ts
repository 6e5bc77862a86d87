/**
 * The public-spec fixture harness: the four public OpenAPI documents the generator must take
 * (installed as pinned devDependencies, never copied), generation of any spec in memory, a strict
 * `tsc` run over the generated packages, and the spec's examples per schema (for comparing the
 * generated validators with Ajv: see {@link schemaExamples}).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { generateVersion, type GeneratedVersion } from '../src/generate.js';
import { getAtPointer } from '../src/model/source.js';
import { GENERATORS_DIR, REPO_ROOT, testContext, writeFiles } from './helpers.js';

const require = createRequire(join(GENERATORS_DIR, 'package.json'));

/** The package-relative file of each public spec. */
export const PUBLIC_SPECS = {
  /** Petstore, OpenAPI 3.1 (`@readme/oas-examples` 8.2.2). */
  petstore: require.resolve('@readme/oas-examples/3.1/json/petstore.json'),
  /** Train Travel, OpenAPI 3.1 (`@readme/oas-examples` 8.2.2). */
  'train-travel': require.resolve('@readme/oas-examples/3.1/yaml/train-travel.yaml'),
  /** Figma's REST API, OpenAPI 3.1 (`@figma/rest-api-spec` 0.43.0). */
  figma: require.resolve('@figma/rest-api-spec/openapi/openapi.yaml'),
  /** GitHub's REST API, OpenAPI 3.0.3, 13 MB of JSON (`@octokit/openapi` 23.0.2). */
  github: require.resolve('@octokit/openapi/generated/api.github.com.json'),
} as const;

export type PublicSpec = keyof typeof PUBLIC_SPECS;

/** The API version public specs are generated under (their `info.version` differs: a warning). */
export const PUBLIC_API_VERSION = '2000-01-01';

/** Generates any spec file in memory under {@link PUBLIC_API_VERSION}. */
export function generateSpecFile(absolutePath: string, displayPath: string, apiVersion = PUBLIC_API_VERSION): Promise<GeneratedVersion> {
  return generateVersion({ apiVersion, absolutePath, displayPath }, testContext());
}

/** Generates one of the public specs in memory. */
export function generatePublicSpec(name: PublicSpec): Promise<GeneratedVersion> {
  return generateSpecFile(PUBLIC_SPECS[name], `${name}/${PUBLIC_SPECS[name].split('/').pop()}`);
}

/**
 * Writes the generated packages under `dir` and type-checks them all with `tsc` in strict mode
 * (the repository's tsconfig.base.json). Imports of the generated packages resolve to their
 * sources, `@embedkit/runtime` to its built declarations (build it first), and the third-party
 * modules to the runtime's copies. Returns tsc's output lines (empty when it passes).
 */
export async function typecheckGenerated(generated: GeneratedVersion, dir: string): Promise<string[]> {
  const version = generated.model.apiVersion;
  await writeFiles(dir, generated.files);
  const packageDir = (name: string) => join(REPO_ROOT, 'packages', 'runtime', 'node_modules', name);
  const paths: Record<string, string[]> = {
    '@embedkit/runtime': [join(REPO_ROOT, 'packages', 'runtime', 'dist', 'index.d.ts')],
    'openapi-fetch': [join(packageDir('openapi-fetch'), 'dist', 'index.d.mts')],
    '@standard-schema/spec': [join(packageDir('@standard-schema/spec'), 'dist', 'index.d.ts')],
  };
  for (const artifact of ['types', 'validators', 'signing', 'client']) {
    paths[`@embedkit/${artifact}-${version}`] = [join(dir, version, artifact, 'src', 'index.ts')];
    paths[`@embedkit/${artifact}-${version}/schemas/*`] = [join(dir, version, artifact, 'src', 'schemas', '*')];
  }
  const tsconfig = join(dir, 'tsconfig.json');
  await mkdir(dir, { recursive: true });
  await writeFile(
    tsconfig,
    JSON.stringify({
      extends: join(REPO_ROOT, 'tsconfig.base.json'),
      compilerOptions: { noEmit: true, types: [], skipLibCheck: true, paths },
      include: [join(dir, version, '*', 'src', '**', '*.ts')],
    }),
  );
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', tsconfig], { maxBuffer: 64 * 1024 * 1024 });
    return [];
  } catch (error) {
    const out = String((error as { stdout?: unknown }).stdout ?? error);
    return out.split('\n').filter((line) => line.trim() !== '');
  }
}

/**
 * The examples a spec gives for its named schemas (`example`, each of `examples`), with the
 * schema's name, for differential tests of the generated validators (e.g. against Ajv compiled
 * from `generated.model.document`, the normalized 3.1 document, at `#/components/schemas/<name>`).
 */
export function schemaExamples(generated: GeneratedVersion): { schemaName: string; example: unknown }[] {
  const out: { schemaName: string; example: unknown }[] = [];
  for (const { name } of generated.model.schemas) {
    const node = getAtPointer(generated.model.document, `#/components/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (node === null || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    if ('example' in record) out.push({ schemaName: name, example: record['example'] });
    if (Array.isArray(record['examples'])) for (const example of record['examples']) out.push({ schemaName: name, example });
  }
  return out;
}
