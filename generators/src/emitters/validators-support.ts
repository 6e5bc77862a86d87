/**
 * The validators' run-time support module: the generator's own, type-checked and tested
 * `src/runtime/validators.ts`, read as text and written once into each validators package as
 * `src/support.ts`. The root entry and every per-schema entry import the helpers they use from
 * it, so no helper is copied into more than one module.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { identifiersIn, topLevelStatements } from '../ast/index.js';

/** The support module's source (from `src/` both when running from `src/` and from `dist/`). */
export const SUPPORT_SOURCE: string = readFileSync(new URL('../../src/runtime/validators.ts', import.meta.url), 'utf8');

/** The names the support module exports (helpers, constants and types). */
export const SUPPORT_EXPORTS: readonly string[] = topLevelStatements(SUPPORT_SOURCE)
  .filter((s) => s.exported)
  .flatMap((s) => s.declares);

const VALUE_EXPORTS = new Set(
  topLevelStatements(SUPPORT_SOURCE)
    .filter((s) => s.exported && (s.functionName !== undefined || s.code.startsWith('const ')))
    .flatMap((s) => s.declares),
);

/**
 * The support module's exports that `code` mentions (or that are among the identifiers `code`
 * already lists), sorted: values, and types (for `import type`).
 */
export function supportImportsFor(code: string | ReadonlySet<string>): { values: string[]; types: string[] } {
  const used = typeof code === 'string' ? identifiersIn(code) : code;
  const names = SUPPORT_EXPORTS.filter((name) => used.has(name)).sort();
  return { values: names.filter((n) => VALUE_EXPORTS.has(n)), types: names.filter((n) => !VALUE_EXPORTS.has(n)) };
}

/** The text of `src/support.ts` in a generated validators package. */
export function supportModule(header: string): string {
  return `${header}\n${SUPPORT_SOURCE}`;
}
