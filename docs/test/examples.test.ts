// Every TypeScript example the site shows compiles against the built packages: the ```ts blocks of
// the guides, the landing page and the package READMEs, and the `@example` blocks of the packages'
// TSDoc. See scripts/examples.mjs for the rules; a block marked ```ts no-check is listed, not compiled.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  collectExamples,
  extractFromMarkdown,
  extractFromSource,
  typecheckExamples,
  writeExamples,
} from '../scripts/examples.mjs';
import { docsRoot, repoRoot } from '../scripts/packages.mjs';
import { packages } from './site-build.js';

type Result = ReturnType<typeof typecheckExamples>['results'][number];

const examples = collectExamples(packages);
const checked = examples.filter((e) => !e.skip && !e.data);
const label = (e: { source: string; line: number }) => `${relative(repoRoot, e.source)}:${e.line}`;

describe('code examples compile', () => {
  let results: Map<string, Result>;
  let global: string[];

  beforeAll(() => {
    const written = writeExamples(examples);
    const outcome = typecheckExamples(written);
    results = new Map(outcome.results.map((r) => [label(r.example), r]));
    for (const example of examples.filter((e) => e.problem)) {
      results.set(label(example), { example, file: '', segments: [], problems: [`${label(example)}: ${example.problem}`] });
    }
    global = outcome.global;
  }, 120_000);

  test('the example project itself has no errors', () => {
    expect(global).toEqual([]);
  });

  test('every guide has compiled examples', () => {
    for (const guide of ['getting-started', 'signing', 'api-versions', 'testing-with-the-sandbox', 'generator-internals']) {
      const count = checked.filter((e) => e.source.endsWith(`guides/${guide}.md`)).length;
      expect(count, `guides/${guide}.md`).toBeGreaterThan(0);
    }
  });

  test('blocks marked no-check are rare', () => {
    const skipped = examples.filter((e) => e.skip).map(label);
    expect(skipped.length, `no-check blocks: ${skipped.join(', ')}`).toBeLessThanOrEqual(3);
  });

  const what = (e: (typeof checked)[number]) => (e.parts.length > 1 ? `${e.kind}, ${e.parts.length} blocks compiled together` : e.kind);
  test.each(checked.map((e) => [label(e), what(e)] as const))('%s (%s)', (name) => {
    const result = results.get(name);
    expect(result, `${name} was not type-checked`).toBeDefined();
    expect(result?.problems, `${name} does not compile:\n${result?.problems.join('\n')}`).toEqual([]);
  });
});

describe('the example checker', () => {
  let dir: string;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('finds ts blocks in markdown, skipping other languages and honouring no-check', () => {
    const md = ['# Title', '', '```ts', 'const a: number = 1;', '```', '', '```sh', 'pnpm i', '```', '', '```ts no-check', 'broken(', '```'].join('\n');
    const found = extractFromMarkdown('/x/guide.md', md);
    expect(found.map((e) => [e.line, e.code, e.skip])).toEqual([
      [4, 'const a: number = 1;', false],
      [12, 'broken(', true],
    ]);
  });

  test('finds @example blocks in TSDoc with their source lines, with or without a fence', () => {
    const src = [
      '/**',
      ' * Does a thing.',
      ' *',
      ' * @example Title of the example',
      ' * ```ts',
      ' * const x = doThing();',
      ' * ```',
      ' * @param a - not code',
      ' */',
      'export function doThing() {}',
      '/**',
      ' * @example',
      ' * doThing();',
      ' */',
    ].join('\n');
    const found = extractFromSource('/x/src/a.ts', src);
    expect(found.map((e) => [e.line, e.code])).toEqual([
      [6, 'const x = doThing();'],
      [13, 'doThing();'],
    ]);
  });

  test('tells data examples (the spec\'s example values) from code', () => {
    const src = [
      '/**',
      ' * @example US',
      ' */',
      '/**',
      ' * @example {',
      ' *   "verifier": "example_kyc_provider"',
      ' * }',
      ' */',
      '/**',
      ' * @example createEmbedClient(options)',
      ' */',
    ].join('\n');
    const found = extractFromSource('/x/src/openapi.ts', src);
    expect(found.map((e) => [e.line, e.code, e.data])).toEqual([
      [2, 'US', true],
      [5, '{\n  "verifier": "example_kyc_provider"\n}', true],
      [10, 'createEmbedClient(options)', false],
    ]);
  });

  test('reports a broken example at its source line', () => {
    mkdirSync(join(docsRoot, '.tmp'), { recursive: true });
    dir = mkdtempSync(join(docsRoot, '.tmp', 'broken-example-'));
    const md = ['```ts', 'const ok = 1;', 'const n: number = "not a number";', '```', '', 'Then:', '', '```ts continued', 'const m: string = ok;', '```'].join('\n');
    const broken = extractFromMarkdown(join(repoRoot, 'docs/guides/fake.md'), md);
    expect(broken).toHaveLength(1);
    const written = writeExamples(broken, dir);
    const { results } = typecheckExamples(written, dir);
    const problems = results[0]?.problems.join('\n') ?? '';
    // Line 3 of the first block, and line 9 of the continued block (where `ok` is a number).
    expect(problems).toMatch(/docs\/guides\/fake\.md:3:\d+: TS2322/);
    expect(problems).toMatch(/docs\/guides\/fake\.md:9:\d+: TS2322/);
  });
});
