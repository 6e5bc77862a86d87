/**
 * Compiles raw JSON Schemas into generated validators in a temporary directory (normalized,
 * emitted, transpiled and imported as the generator would write them), for tests that run the
 * emitted code against Ajv.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { standaloneValidatorsModule } from '../../src/emitters/validators.js';
import { normalizeSchema, type SchemaContext } from '../../src/model/schema.js';
import type { NamedSchema } from '../../src/model/types.js';
import { transpile } from '../helpers.js';

export type Compiled = Record<string, (value: unknown) => { ok: boolean; issues?: { path: string; rule: string; message: string }[] }>;

const dir = mkdtempSync(join(tmpdir(), 'embedkit-oracle-'));
let supportWritten = false;
let counter = 0;

/** Problems and warnings of normalizing the schemas. */
export interface Normalized {
  readonly schemas: NamedSchema[];
  readonly problems: { pointer: string; problem: string }[];
  readonly warnings: { pointer: string; message: string }[];
}

export function normalizeAll(raw: Record<string, unknown>): Normalized {
  const problems: { pointer: string; problem: string }[] = [];
  const warnings: { pointer: string; message: string }[] = [];
  const ctx: SchemaContext = {
    problems: { report: (pointer, problem) => problems.push({ pointer, problem }), warn: (pointer, message) => warnings.push({ pointer, message }) },
    componentSchemas: raw,
  };
  const schemas = Object.entries(raw).map(([name, node]) => ({ name, typeExpression: '', schema: normalizeSchema(node, `#/components/schemas/${name}`, ctx) }));
  return { schemas, problems, warnings };
}

/** Generates, transpiles and imports validators for the schemas (named by their keys). */
export async function compileSchemas(raw: Record<string, unknown>): Promise<Compiled> {
  const { schemas, problems } = normalizeAll(raw);
  if (problems.length > 0) throw new Error(`schema problems: ${JSON.stringify(problems)}`);
  if (!supportWritten) {
    writeFileSync(join(dir, 'support.mjs'), transpile(readFileSync(new URL('../../src/runtime/validators.ts', import.meta.url), 'utf8')));
    supportWritten = true;
  }
  const file = join(dir, `v${counter++}.mjs`);
  writeFileSync(file, transpile(standaloneValidatorsModule(schemas, './support.mjs')));
  return (await import(pathToFileURL(file).href)) as Compiled;
}
