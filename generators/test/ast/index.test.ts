/**
 * The ts-morph helper layer.
 */
import { describe, expect, it } from 'vitest';
import { ModuleBuilder, renderBody, sanitizeDocText, wrapText } from '../../src/ast/index.js';

describe('wrapText', () => {
  it.each([
    ['short', 20, 'short'],
    ['one two three four five', 9, 'one two\nthree\nfour five'],
    ['para one\nstill one\n\npara two', 80, 'para one still one\n\npara two'],
    ['- a list\n- kept as is', 3, '- a list\n- kept as is'],
    ['```ts\nconst x = 1;  // not wrapped\n```', 5, '```ts\nconst x = 1;  // not wrapped\n```'],
  ])('%j at %i', (given, width, want) => {
    expect(wrapText(given, width)).toBe(want);
  });
});

describe('sanitizeDocText', () => {
  it('escapes comment terminators and normalizes line ends', () => {
    expect(sanitizeDocText(' a */ b\r\nc ')).toBe('a *\\/ b\nc');
  });
});

describe('ModuleBuilder', () => {
  it('builds a module with the header, imports, docs and blank lines between declarations', () => {
    const mod = new ModuleBuilder();
    mod.import('./x.js', ['A'], true);
    mod.typeAlias({ name: 'B', type: 'A | string', docs: { description: 'A B.' } });
    mod.const({ name: 'c', initializer: '1', exported: false });
    mod.function({ name: 'f', params: [{ name: 'v', type: 'unknown' }], returnType: 'boolean', body: (w) => w.writeLine('return v === c;') });
    expect(mod.toString('// header')).toBe(
      [
        '// header',
        "import type { A } from './x.js';",
        '',
        '/** A B. */',
        'export type B = A | string;',
        '',
        'const c = 1;',
        '',
        'export function f(v: unknown): boolean {',
        '  return v === c;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('renders bodies with two-space indentation', () => {
    expect(renderBody((w) => w.write('if (x)').block(() => w.writeLine('y();')))).toBe('if (x) {\n  y();\n}');
  });
});
