/**
 * The validators' per-schema entry points (`@embedkit/validators-<version>/schemas/X`): one
 * module per exported validator, listed one by one in `exports`, importing at run time only the
 * helpers it uses from the package's one `support` module (shared, not copied), and returning
 * exactly what the root entry returns.
 * The built 2025-04-15 package is loaded by its package name and subpaths, resolved as Node
 * resolves them (a package's own name resolves from inside it through its `exports`); the
 * 2099-01-01 fixture's generated sources are loaded from a temporary directory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatorExportNames } from '../../src/emitters/validators.js';
import type { ApiModel } from '../../src/model/types.js';
import { fileOf, generate, importResolver, PACKAGES_DIR, type SpecVersion, tempDir, writeFiles } from '../helpers.js';
import { mutated, SchemaArbitraries } from './arbitraries.js';

const NAME = '@embedkit/validators-2025-04-15';
const PACKAGE_DIR = join(PACKAGES_DIR, '2025-04-15', 'validators');
// Resolved as an ESM consumer's `import` resolves them (the `import` condition picks the `.js`
// build), from inside the package, in beforeAll below.
let resolveFromPackage: (specifier: string) => string;

type Result = { ok: boolean; value?: unknown; issues?: { path: string; rule: string; message: string }[] };
type Validators = Record<string, unknown>;

const load = async (specifier: string): Promise<Validators> => import(pathToFileURL(resolveFromPackage(specifier)).href);

describe.each(['2025-04-15', '2099-01-01'] as SpecVersion[])('per-schema modules of %s', (version) => {
  it('exist for every exported validator, and exports lists each one explicitly', async () => {
    const generated = await generate(version);
    const names = validatorExportNames(generated.model);
    expect(names.length).toBeGreaterThan(40);
    const prefix = `${version}/validators/src/schemas/`;
    const modules = generated.files.filter((f) => f.path.startsWith(prefix)).map((f) => f.path.slice(prefix.length));
    expect(modules.sort()).toEqual(names.map((n) => `${n}.ts`).sort());
    const pkg = JSON.parse(fileOf(generated, 'validators/package.json'));
    expect(Object.keys(pkg.exports)).toEqual(['.', ...names.map((n) => `./schemas/${n}`), './package.json']);
    for (const n of names) {
      expect(pkg.exports[`./schemas/${n}`]).toEqual({
        import: { types: `./dist/schemas/${n}.d.ts`, default: `./dist/schemas/${n}.js` },
        require: { types: `./dist/schemas/${n}.d.cts`, default: `./dist/schemas/${n}.cjs` },
      });
    }
    // For moduleResolution node10, which ignores exports (test/type-level.resolution.test.ts compiles against it).
    expect(pkg.typesVersions).toEqual({ '*': { 'schemas/*': ['./dist/schemas/*.d.cts'] } });
    expect(pkg.sideEffects).toBe(false);
    // The root index still exports every validator.
    const index = fileOf(generated, 'validators/src/index.ts');
    for (const n of names) expect(index).toContain(`export { validate${n}, is${n}, ${n}Schema } from './schemas/${n}.js';`);
  });

  it('export validateX, isX and XSchema only, and import only helpers from ../support.js at run time', async () => {
    const generated = await generate(version);
    const support = fileOf(generated, 'validators/src/support.ts');
    for (const n of validatorExportNames(generated.model)) {
      const code = fileOf(generated, `validators/src/schemas/${n}.ts`);
      const imports = code.match(/^import .*$/gm) ?? [];
      expect(imports.slice(0, 3), n).toEqual([
        "import type { ValidationIssue, ValidationResult } from '@embedkit/runtime';",
        "import type { StandardSchemaV1 } from '@standard-schema/spec';",
        `import type * as T from '@embedkit/types-${version}';`,
      ]);
      const runtime = imports.slice(3).filter((line) => !line.startsWith('import type '));
      expect(runtime.every((line) => /from '\.\.\/(support|constants)\.js';$/.test(line)), n).toBe(true);
      const helpers = runtime.find((line) => line.endsWith("'../support.js';"))!.match(/^import \{ (.*) \} from/)![1]!.split(', ');
      for (const h of helpers) expect(support, `${n} imports ${h}`).toMatch(new RegExp(`^export (?:function|const) ${h.replace('$', '\\$')}\\b`, 'm'));
      expect(code, n).not.toMatch(/\bimport\(|\brequire\(|^export .* from /m);
      const exported = [...code.matchAll(/^export (?:const|function) (\w+)/gm)].map((m) => m[1]);
      expect(exported, n).toEqual([`validate${n}`, `${n}Schema`]);
      expect(code, n).toContain(`export { c_${n} as is${n} };`);
      // No helper without a caller: every module-level function is called somewhere else in it.
      for (const fn of [...code.matchAll(/^(?:const (\w+) = \(function|function (\w+))/gm)].map((m) => m[1] ?? m[2])) {
        expect(code.split(new RegExp(`\\b${fn}\\b`)).length - 1, `${n}: ${fn} is never used`).toBeGreaterThan(1);
      }
    }
  });
});

describe('per-schema modules hold only what they use', () => {
  it('the URI check only where a schema has format: uri, file checks only for file parts', async () => {
    const generated = await generate('2025-04-15');
    const metadata = fileOf(generated, 'validators/src/schemas/IdentityDocumentMetadata.ts');
    expect(metadata).not.toMatch(/checkUri|const URI|checkFile|ucs2length|const formats|function checkDateTime/);
    expect(metadata).toMatch(/^import \{[^}]*\bcheckDateTime\b[^}]*\} from '\.\.\/support\.js';$/m);
    expect(fileOf(generated, 'validators/src/schemas/DocumentUrl.ts')).toMatch(/^import \{[^}]*\bcheckUri\b[^}]*\} from/m);
    expect(fileOf(generated, 'validators/src/schemas/SubmitVerificationInput.ts')).toMatch(/checkFile/);
    // The helpers are written once per package, not per module.
    const all = generated.files.filter((f) => f.path.includes('/validators/src/')).map((f) => f.contents).join('\n');
    expect(all.split('function checkDateTime(').length - 1).toBe(1);
    expect(all.split('const S_CountryCode').length - 1).toBe(1);
    expect(fileOf(generated, 'validators/src/constants.ts')).toMatch(/^export const S_CountryCode: ReadonlySet<unknown> = new Set\(\[/m);
    // Not the country codes' 262-value Set where no CountryCode is checked.
    expect(fileOf(generated, 'validators/src/schemas/SelfieMetadata.ts')).not.toContain('S_CountryCode');
  });

  it('compile the first call of a valid value with the module, except the variants of a union', async () => {
    const generated = await generate('2025-04-15');
    const input = fileOf(generated, 'validators/src/schemas/SubmitVerificationInput.ts');
    expect(input).toContain('export const validateSubmitVerificationInput = (function validateSubmitVerificationInput(');
    expect(input).toContain('const c_SubmitVerificationInput = (function c_SubmitVerificationInput(');
    expect(input).toMatch(/^function c_IdentityDocumentVerificationInput\(/m);
  });
});

/** Samples for a model: every spec example, valid and mutated values of every schema, client inputs, wrong shapes. */
function samplesFor(model: ApiModel, extra: readonly unknown[]): unknown[] {
  const arbs = new SchemaArbitraries(model.schemas);
  const examples = model.schemas.flatMap((s) => (s.schema.example === undefined ? [] : [s.schema.example]));
  expect(examples.length).toBeGreaterThan(10);
  const generatedValues = model.schemas.flatMap((s, i) => [
    ...fc.sample(arbs.named(s.name), { numRuns: 4, seed: 1000 + i }),
    ...fc.sample(mutated(arbs.named(s.name)), { numRuns: 4, seed: 2000 + i }),
  ]);
  return [...examples, ...generatedValues, ...extra, null, undefined, 0, 42, 'x', '', true, [], {}, [{}], new Blob(['x'])];
}

const meta = {
  verifier: 'example_kyc_provider',
  verified_at: '2024-04-15T10:00:00Z',
  identity: { full_name: { first_name: 'John', last_name: 'Doe' }, date_of_birth: '1990-01-15' },
  document_type: 'passport',
  document_number: 'P123456789',
  issuing_country: 'US',
};
const selfie = { verifier: 'x', verified_at: '2024-04-15T10:00:00Z', selfie_type: 'selfie' };
const jpeg = () => new Blob(['x'], { type: 'image/jpeg' });
/** Client inputs (with files) and path parameters, which the spec's component schemas do not cover. */
const handWritten = [
  { type: 'identity_document', metadata: meta, files: { front: jpeg(), back: new Uint8Array([1]) } },
  { type: 'identity_document', metadata: meta, files: { front_image: jpeg() } },
  { type: 'identity_document', metadata: meta, files: { front: new Blob([]) } },
  { type: 'identity_document', metadata: { ...meta, issuing_country: 'XX' }, files: {} },
  { type: 'selfie', metadata: selfie, files: { selfie: new ArrayBuffer(2) } },
  { type: 'selfie', metadata: selfie, files: { selfie: 'selfie.jpg' } },
  { type: 'watchlists', metadata: { pep: { verifier: 'p', verified_at: '2024-04-15T10:00:00Z', status: 'Matched' } } },
  { type: 'liveness_video', metadata: { verifier: 'v', verified_at: '2099-01-01T00:00:00Z', passed: true, attempts: 2 }, files: { video: new Blob(['x'], { type: 'video/webm' }) } },
  { type: 'liveness_video', metadata: { verifier: 'v', verified_at: '2099-01-01T00:00:00Z', passed: 'yes', attempts: 1.5 }, files: { video: jpeg() } },
  { type: 'unknown' },
  { metadata: meta, files: { front: jpeg() }, extra: 1 },
  { user: 'AA95N84GTESTXXXX' },
  { user: 'x' },
  { user: '😀'.repeat(14) },
  { selfie_url: 'not a url', type: 'selfie', metadata: selfie },
  { type: 'selfie', metadata: selfie, selfie_url: 'https://files.partner.example/s.jpg' },
];

/** validateX, isX and XSchema of each per-schema module against the root entry's, on every sample. */
async function expectSameResults(names: readonly string[], root: Validators, sub: ReadonlyMap<string, Validators>, samples: readonly unknown[]) {
  let valid = 0;
  let invalid = 0;
  for (const n of names) {
    const m = sub.get(n)!;
    expect(Object.keys(m).sort(), n).toEqual([`${n}Schema`, `is${n}`, `validate${n}`].sort());
    const [ours, theirs] = [m[`validate${n}`], root[`validate${n}`]] as ((v: unknown) => Result)[];
    const [isOurs, isTheirs] = [m[`is${n}`], root[`is${n}`]] as ((v: unknown) => boolean)[];
    const [stdOurs, stdTheirs] = [m[`${n}Schema`], root[`${n}Schema`]] as { '~standard': { validate(v: unknown): unknown } }[];
    // The root entry re-exports the schema module: the very same functions and Schema objects.
    expect(ours, n).toBe(theirs);
    expect(stdOurs, n).toBe(stdTheirs);
    for (const sample of samples) {
      const expected = theirs!(sample);
      expect(ours!(sample), `${n}: ${String(JSON.stringify(sample))}`).toEqual(expected);
      expect(isOurs!(sample)).toBe(isTheirs!(sample));
      expect(await stdOurs!['~standard'].validate(sample)).toEqual(await stdTheirs!['~standard'].validate(sample));
      if (expected.ok) valid++;
      else invalid++;
    }
  }
  return { valid, invalid };
}

describe('the built package by its subpaths (2025-04-15)', () => {
  let names: string[];
  let root: Validators;
  const sub = new Map<string, Validators>();
  let samples: unknown[];

  beforeAll(async () => {
    const { model } = await generate('2025-04-15');
    names = validatorExportNames(model);
    const misspelt = [`${NAME}/schemas/identityDocumentMetadata`, `${NAME}/schemas/IdentityDocumentMetadata.js`];
    resolveFromPackage = importResolver(PACKAGE_DIR, [NAME, ...names.map((n) => `${NAME}/schemas/${n}`), ...misspelt]);
    root = await load(NAME);
    for (const n of names) sub.set(n, await load(`${NAME}/schemas/${n}`));
    samples = samplesFor(model, handWritten);
  });

  it('resolve by name; a mistyped subpath fails at resolution', () => {
    expect(resolveFromPackage(`${NAME}/schemas/IdentityDocumentMetadata`)).toBe(join(PACKAGE_DIR, 'dist', 'schemas', 'IdentityDocumentMetadata.js'));
    expect(() => resolveFromPackage(`${NAME}/schemas/identityDocumentMetadata`)).toThrow(/not defined by "exports"|ERR_PACKAGE_PATH_NOT_EXPORTED/);
    expect(() => resolveFromPackage(`${NAME}/schemas/IdentityDocumentMetadata.js`)).toThrow(/not defined by "exports"|ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('the built modules import only the package\'s support and constants modules', () => {
    for (const n of names) {
      const js = readFileSync(resolveFromPackage(`${NAME}/schemas/${n}`), 'utf8');
      const imports = js.match(/^\s*import\b.*$/gm) ?? [];
      // The build (tsdown) writes double quotes.
      expect(imports.every((line) => /from (['"])\.\.\/(support|constants)\.js\1;$/.test(line)), n).toBe(true);
      expect(js, n).not.toMatch(/\bimport\s*\(|\brequire\s*\(|^export [^;]* from /m);
    }
  });

  it('return exactly what the root entry returns, for every validator and every sample', async () => {
    const { valid, invalid } = await expectSameResults(names, root, sub, samples);
    // Both paths ran: values each validator accepts (its own examples) and rejects.
    expect(valid).toBeGreaterThan(200);
    expect(invalid).toBeGreaterThan(10_000);
  });
});

describe('the generated sources of 2099-01-01 (media types, booleans, integers)', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  afterAll(() => dir?.cleanup());

  it('return exactly what the root entry returns, for every validator and every sample', async () => {
    dir = await tempDir('validators-subpaths-2099');
    const generated = await generate('2099-01-01');
    await writeFiles(dir.path, generated.files.filter((f) => f.path.startsWith('2099-01-01/validators/src/')));
    const src = join(dir.path, '2099-01-01', 'validators', 'src');
    const names = validatorExportNames(generated.model);
    const root = (await import(pathToFileURL(join(src, 'index.ts')).href)) as Validators;
    const sub = new Map<string, Validators>();
    for (const n of names) sub.set(n, await import(pathToFileURL(join(src, 'schemas', `${n}.ts`)).href));
    const { valid, invalid } = await expectSameResults(names, root, sub, samplesFor(generated.model, handWritten));
    expect(valid).toBeGreaterThan(200);
    expect(invalid).toBeGreaterThan(10_000);
  });
});
