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
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { generateVersion, type GeneratedVersion } from '../src/generate.js';
import { childPointer, getAtPointer, isRecord } from '../src/model/source.js';
import { GENERATORS_DIR, REPO_ROOT, testContext, transpile, writeFiles } from './helpers.js';

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

/** One example of a spec with the named schema it is an example of. */
export interface SchemaExample {
  /** The named schema (its validator is `validate<schemaName>`). */
  readonly schemaName: string;
  /** The schema's pointer in `generated.model.document` (where Ajv can compile it). */
  readonly pointer: string;
  /** Where the example is, for messages. */
  readonly source: string;
  readonly example: unknown;
}

/**
 * The examples a spec gives for the schemas the validators export: each named schema's own
 * `example` and `examples`, and the `example` and `examples` (`value`s, through `$ref`s) of every
 * request and response media type whose schema the model names (a component or a synthesized
 * `<Operation>Response<status>`), for differential tests of the generated validators (e.g. against
 * Ajv compiled from `generated.model.document`, the normalized 3.1 document, at `pointer`).
 */
export function schemaExamples(generated: GeneratedVersion): SchemaExample[] {
  const { document, schemas, operations } = generated.model;
  const byName = new Map(schemas.map((s) => [s.name, s]));
  const out: SchemaExample[] = [];
  const deref = (pointer: string): { node: Record<string, unknown>; pointer: string } | undefined => {
    let node = getAtPointer(document, pointer);
    for (let hops = 0; isRecord(node) && typeof node['$ref'] === 'string' && hops < 10; hops++) {
      pointer = node['$ref'];
      node = getAtPointer(document, pointer);
    }
    return isRecord(node) ? { node, pointer } : undefined;
  };
  const collect = (name: string, at: string) => {
    // A request or response view (readOnly/writeOnly, which Ajv ignores) is compared as the schema it is a view of.
    const schemaName = byName.get(name)?.viewOf?.name ?? name;
    const named = byName.get(schemaName);
    const found = deref(at);
    if (!named || !found) return;
    const add = (example: unknown, source: string) => out.push({ schemaName, pointer: named.schema.pointer, source, example });
    if ('example' in found.node) add(found.node['example'], `${found.pointer}/example`);
    const examples = found.node['examples'];
    if (Array.isArray(examples)) examples.forEach((example, i) => void add(example, `${found.pointer}/examples/${i}`));
    else if (isRecord(examples)) {
      for (const key of Object.keys(examples)) {
        const entry = deref(childPointer(found.pointer, 'examples', key));
        if (entry && 'value' in entry.node) add(entry.node['value'], entry.pointer);
      }
    }
  };
  for (const { name, schema } of schemas) if (schema.pointer.startsWith('#/components/schemas/')) collect(name, schema.pointer);
  for (const op of operations) {
    const opPointer = childPointer('#/paths', op.path, op.method);
    const body = op.requestBody;
    if (body?.encoding === 'json') {
      const requestBody = deref(childPointer(opPointer, 'requestBody'));
      if (requestBody) collect(body.schema.name, childPointer(requestBody.pointer, 'content', body.mediaType));
    }
    // The model keeps one response per code, in the document's order (a spec that generates has no invalid code).
    const responses = getAtPointer(document, childPointer(opPointer, 'responses'));
    const codes = isRecord(responses) ? Object.keys(responses) : [];
    op.responses.forEach((response, i) => {
      const resolved = deref(childPointer(opPointer, 'responses', codes[i] ?? ''));
      if (response.schema && response.mediaType !== undefined && resolved) {
        collect(response.schema.name, childPointer(resolved.pointer, 'content', response.mediaType));
      }
    });
  }
  return out;
}

/** A generated validator as the validators package exports it (`validate<Name>`). */
export type GeneratedValidator = (value: unknown) => { ok: boolean; issues?: { path: string; rule: string; message: string }[] };

/**
 * Transpiles the generated validators package to JavaScript under `dir` (its imports are
 * type-only apart from its own modules, so it runs as written) and imports its root entry: the
 * `validate<Name>` function of every named schema.
 */
export async function importValidators(generated: GeneratedVersion, dir: string): Promise<Record<string, GeneratedValidator>> {
  const prefix = `${generated.model.apiVersion}/validators/src/`;
  const files = generated.files
    .filter((f) => f.path.startsWith(prefix) && f.path.endsWith('.ts'))
    .map((f) => ({
      path: `${f.path.slice(prefix.length, -'.ts'.length)}.js`,
      contents: transpile(f.contents),
    }));
  await writeFiles(dir, [...files, { path: 'package.json', contents: '{ "type": "module" }' }]);
  return (await import(pathToFileURL(join(dir, 'index.js')).href)) as Record<string, GeneratedValidator>;
}
