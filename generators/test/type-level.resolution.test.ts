/**
 * Type-level test of how a consumer's TypeScript finds the validators package: a consumer in a
 * temporary directory whose node_modules links the built 2025-04-15 package (no `paths`), compiled
 * under `moduleResolution` node10 (which ignores `exports` and reads the generated
 * `typesVersions`), node16 and bundler (which read `exports`). The root entry and a
 * `./schemas/X` subpath must resolve to their own `.d.ts` and give the real types; a mistyped
 * schema name must not resolve.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGES_DIR, tempDir } from './helpers.js';

const NAME = '@embedkit/validators-2025-04-15';
const PACKAGE_DIR = join(PACKAGES_DIR, '2025-04-15', 'validators');
const RUNTIME_DIR = join(PACKAGES_DIR, 'runtime');

const MODES = {
  node10: { module: 'esnext', moduleResolution: 'node10' },
  node16: { module: 'node16', moduleResolution: 'node16' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
} as const;
type Mode = keyof typeof MODES;

/**
 * Which build's declarations each mode reads: node16 (from this ES module) and bundler take the
 * `import` condition (ESM, `.d.ts`); node10 reads `types`/`typesVersions`, the CommonJS build's
 * (`.d.cts`), since node10 means `require`.
 */
const DECLARATION: Record<Mode, string> = { node10: '.d.cts', node16: '.d.ts', bundler: '.d.ts' };

/**
 * The consumer. `// @ts-expect-error` marks what must fail: a guard narrowing to `any` (types not
 * found) would leave a directive unused, which is an error too.
 */
function consumer(): string {
  const lines = [
    `import { isIdentityDocumentMetadata as isRoot } from '${NAME}';`,
    `import { isIdentityDocumentMetadata, validateIdentityDocumentMetadata } from '${NAME}/schemas/IdentityDocumentMetadata';`,
    '// @ts-expect-error: no such schema, so no such subpath',
    `import { isNoSuchSchema } from '${NAME}/schemas/NoSuchSchema';`,
    'declare const value: unknown;',
    'if (isRoot(value)) {',
    '  const ok: string = value.document_number;',
    '  // @ts-expect-error: the root guard narrows to the real type',
    '  const wrong: number = value.document_number;',
    '}',
    'if (isIdentityDocumentMetadata(value)) {',
    '  const ok: string = value.document_number;',
    '  // @ts-expect-error: the subpath guard narrows to the real type',
    '  const wrong: number = value.document_number;',
    '}',
  ];
  // validateX returns the runtime's ValidationResult: under node10 that needs the runtime's own
  // top-level `types` (it ignores `exports`), or the result would silently be `any`.
  lines.push(
    'const result = validateIdentityDocumentMetadata(value);',
    'if (result.ok) {',
    '  // @ts-expect-error: the subpath validator returns the real type',
    '  const wrong: number = result.value.document_number;',
    '}',
  );
  return `${lines.join('\n')}\nexport {};\n`;
}

let dir: { path: string; cleanup: () => Promise<void> };
let file: string;

beforeAll(async () => {
  dir = await tempDir('resolution');
  await mkdir(join(dir.path, 'node_modules', '@embedkit'), { recursive: true });
  // As pnpm installs it: a link to the package, its own dependencies resolved from its real path.
  await symlink(PACKAGE_DIR, join(dir.path, 'node_modules', ...NAME.split('/')), 'dir');
  // `.mts`: an ES module under node16 without a package.json "type".
  file = join(dir.path, 'consumer.mts');
});
afterAll(() => dir.cleanup());

function options(mode: Mode): ts.CompilerOptions {
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    {
      ...MODES[mode],
      target: 'ES2022',
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
      // TypeScript 6 deprecates node10 (an error unless acknowledged); 5.x rejects the value "6.0".
      ...(mode === 'node10' && Number(ts.versionMajorMinor.split('.')[0]) >= 6 ? { ignoreDeprecations: '6.0' } : {}),
    },
    dir.path,
  );
  expect(errors).toEqual([]);
  return options;
}

/** Resolves as an import from an ES module (the consumer is `.mts`, the validators' index.d.ts is ESM). */
function resolveFrom(containingFile: string, specifier: string, mode: Mode): string | undefined {
  const resolutionMode = mode === 'node16' ? ts.ModuleKind.ESNext : undefined;
  return ts.resolveModuleName(specifier, containingFile, options(mode), ts.sys, undefined, undefined, resolutionMode).resolvedModule?.resolvedFileName;
}

describe.each(Object.keys(MODES) as Mode[])('validators package under moduleResolution %s', (mode) => {
  it('resolves the root and a ./schemas/X subpath to their declarations, and no mistyped name', () => {
    const resolve = (specifier: string) => resolveFrom(file, specifier, mode);
    expect(resolve(NAME)).toBe(join(PACKAGE_DIR, 'dist', `index${DECLARATION[mode]}`));
    expect(resolve(`${NAME}/schemas/IdentityDocumentMetadata`)).toBe(join(PACKAGE_DIR, 'dist', 'schemas', `IdentityDocumentMetadata${DECLARATION[mode]}`));
    expect(resolve(`${NAME}/schemas/NoSuchSchema`)).toBeUndefined();
  });

  it('resolves the runtime the validators import, and its ./node entry, to their declarations', () => {
    const from = join(PACKAGE_DIR, 'dist', `index${DECLARATION[mode]}`);
    const resolve = (specifier: string) => resolveFrom(from, specifier, mode);
    expect(resolve('@embedkit/runtime')).toBe(join(RUNTIME_DIR, 'dist', `index${DECLARATION[mode]}`));
    expect(resolve('@embedkit/runtime/node')).toBe(join(RUNTIME_DIR, 'dist', 'node', `index${DECLARATION[mode]}`));
  });

  it('compiles a consumer of both with the real types', async () => {
    await writeFile(file, consumer());
    const program = ts.createProgram([file], options(mode));
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `${d.file?.fileName ?? ''}:${line} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  });
});
