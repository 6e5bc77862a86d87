/**
 * Type-level test: a small consumer (fixtures/consumer/consumer.ts) compiles against the
 * generated packages of 2025-04-15 (the committed sources) and 2099-01-01 (generated into a
 * temporary directory), under the repository's strict tsconfig; wrong requests are marked
 * `@ts-expect-error`. With the directives removed, exactly the marked lines fail.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, GENERATORS_DIR, generate, PACKAGES_DIR, REPO_ROOT, tempDir, writeFiles } from './helpers.js';

const CONSUMER = join(FIXTURES_DIR, 'consumer', 'consumer.ts');
const ARTIFACTS = ['types', 'validators', 'signing', 'client'];

let dir: { path: string; cleanup: () => Promise<void> };

/** Compiles the consumer (with `source` as its text) and any extra virtual files. */
function compile(source: string, extra: Record<string, string> = {}): readonly ts.Diagnostic[] {
  const base = ts.readConfigFile(join(REPO_ROOT, 'tsconfig.base.json'), (p) => ts.sys.readFile(p));
  const paths: Record<string, string[]> = {
    '@embedkit/runtime': [join(REPO_ROOT, 'packages', 'runtime', 'dist', 'index.d.ts')],
    '@embedkit/runtime/node': [join(REPO_ROOT, 'packages', 'runtime', 'dist', 'node', 'index.d.ts')],
    'openapi-fetch': [join(REPO_ROOT, 'packages', 'runtime', 'node_modules', 'openapi-fetch', 'dist', 'index.d.mts')],
    '@standard-schema/spec': [join(REPO_ROOT, 'packages', 'runtime', 'node_modules', '@standard-schema', 'spec', 'dist', 'index.d.ts')],
  };
  for (const artifact of ARTIFACTS) {
    paths[`@embedkit/${artifact}-2025-04-15`] = [join(PACKAGES_DIR, '2025-04-15', artifact, 'src', 'index.ts')];
    paths[`@embedkit/${artifact}-2099-01-01`] = [join(dir.path, '2099-01-01', artifact, 'src', 'index.ts')];
  }
  // The validators' per-schema entry points (`exports` "./schemas/X").
  paths['@embedkit/validators-2025-04-15/schemas/*'] = [join(PACKAGES_DIR, '2025-04-15', 'validators', 'src', 'schemas', '*.ts')];
  paths['@embedkit/validators-2099-01-01/schemas/*'] = [join(dir.path, '2099-01-01', 'validators', 'src', 'schemas', '*.ts')];
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    {
      ...base.config.compilerOptions,
      noEmit: true,
      // A Node consumer: the README examples use process.env and @embedkit/runtime/node.
      types: ['node'],
      typeRoots: [join(GENERATORS_DIR, 'node_modules', '@types')],
      paths,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
    },
    REPO_ROOT,
  );
  expect(errors).toEqual([]);
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => (file === CONSUMER ? source : (extra[file] ?? readFile(file)));
  host.fileExists = (file) => file in extra || fileExists(file);
  const program = ts.createProgram([CONSUMER, ...Object.keys(extra)], options, host);
  return ts.getPreEmitDiagnostics(program);
}

function render(diagnostics: readonly ts.Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

beforeAll(async () => {
  dir = await tempDir('type-level');
  await writeFiles(dir.path, (await generate('2099-01-01')).files);
});
afterAll(() => dir.cleanup());

describe('type-level consumer', () => {
  const source = readFileSync(CONSUMER, 'utf8');

  it('compiles with every wrong request rejected', () => {
    expect(render(compile(source))).toEqual([]);
  });

  it('fails exactly on the marked lines once the @ts-expect-error directives are removed', () => {
    const lines = source.split('\n');
    const marked = lines.flatMap((l, i) => (l.includes('// @ts-expect-error') ? [i + 2] : []));
    expect(marked.length).toBe(9);
    const stripped = source.replaceAll('// @ts-expect-error', '// (expected error)');
    const diagnostics = compile(stripped).filter((d) => d.file?.fileName === CONSUMER);
    const failing = [...new Set(diagnostics.map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1))].sort((a, b) => a - b);
    expect(failing).toEqual(marked);
    const text = render(diagnostics).join('\n');
    expect(text).toMatch(/Property 'selfie' is missing in type '\{\}'/);
    expect(text).toMatch(/"visa"/);
    expect(text).toMatch(/Property 'front_image' is missing|'front' does not exist/);
  });
});

describe('README examples of the generated packages', () => {
  it('compile against the packages they document', () => {
    const prelude = 'declare const apiKey: string;\ndeclare const apiSecret: string;\ndeclare const text: string;\n';
    const extra: Record<string, string> = {};
    for (const artifact of ARTIFACTS) {
      const readme = readFileSync(join(PACKAGES_DIR, '2025-04-15', artifact, 'README.md'), 'utf8');
      const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
      expect(blocks.length, artifact).toBeGreaterThan(0);
      blocks.forEach((code, i) => {
        extra[join(FIXTURES_DIR, 'consumer', `readme-${artifact}-${i}.ts`)] = `${prelude}${code}\nexport {};\n`;
      });
    }
    const diagnostics = compile(readFileSync(CONSUMER, 'utf8'), extra).filter((d) => d.file && d.file.fileName in extra);
    expect(render(diagnostics)).toEqual([]);
  });
});
