/**
 * Loads one spec file: reads its bytes, hashes them, checks the OpenAPI structure with
 * Redocly's `struct` and `no-unresolved-refs` rules, and bundles it (external `$ref`s inlined).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { bundleFromString, createConfig, lintFromString } from '@redocly/openapi-core';
import { parseDocument } from 'yaml';
import { EmbedkitSpecError, type SpecProblem } from '../errors.js';
import { createSourceLocator, getAtPointer, type SourceLocator } from './source.js';

/** A spec read from disk (or memory), structurally valid and bundled. */
export interface LoadedSpec {
  /** The file as shown in messages and headers. */
  readonly displayPath: string;
  /** sha256 of the bytes, hex. */
  readonly hash: string;
  /** The bundled document. */
  readonly document: Record<string, unknown>;
  /** Finds line/column of a pointer in the file. */
  readonly locator: SourceLocator;
}

/** Where the spec comes from. `text` lets tests load a spec without writing a file. */
export interface SpecInput {
  /** Absolute path of the spec file (also used to resolve external `$ref`s). */
  readonly absolutePath: string;
  /** How to name the file in messages, e.g. `spec/2025-04-15/openapi.yaml`. */
  readonly displayPath: string;
  /** The file's contents; read from `absolutePath` when omitted. */
  readonly bytes?: Uint8Array | undefined;
}

/** sha256 of the spec bytes, hex. */
export function hashSpec(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads, structurally validates and bundles a spec, or throws an {@link EmbedkitSpecError}. */
export async function loadSpec(input: SpecInput): Promise<LoadedSpec> {
  let bytes: Uint8Array;
  try {
    bytes = input.bytes ?? (await readFile(input.absolutePath));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String((error as Error).message);
    throw new EmbedkitSpecError([{ file: input.displayPath, pointer: '#', problem: `cannot read the spec: ${reason}` }]);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const file = input.displayPath;

  // YAML syntax first: Redocly's messages for broken YAML are less precise.
  const yamlDoc = parseDocument(text);
  if (yamlDoc.errors.length > 0) {
    // Only the first: later YAML errors are usually consequences of it.
    const e = yamlDoc.errors[0]!;
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new EmbedkitSpecError([
      { file, pointer: '#', problem: `YAML syntax error: ${message}`, line: e.linePos?.[0]?.line, column: e.linePos?.[0]?.col },
    ]);
  }
  const locator = createSourceLocator(text);

  const config = await createConfig({ rules: { struct: 'error', 'no-unresolved-refs': 'error' } });
  const problems = (await lintFromString({ source: text, absoluteRef: input.absolutePath, config })).filter(
    (p) => p.severity === 'error',
  );
  if (problems.length > 0) {
    const raw = yamlDoc.toJS() as unknown;
    throw new EmbedkitSpecError(
      problems.map((p) => {
        const loc = p.location[0];
        const pointer = loc?.pointer ?? '#';
        const sameFile = loc === undefined || loc.source.absoluteRef === input.absolutePath;
        let problem = p.message;
        if (p.ruleId === 'no-unresolved-refs') {
          const ref = getAtPointer(raw, `${pointer}/$ref`);
          problem = `broken $ref${typeof ref === 'string' ? ` ${JSON.stringify(ref)}` : ''}: nothing exists at that location`;
        }
        const position = sameFile ? locator.locate(pointer) : undefined;
        return {
          file: sameFile ? file : (loc?.source.absoluteRef ?? file),
          pointer,
          problem,
          line: position?.line,
          column: position?.column,
        } satisfies SpecProblem;
      }),
    );
  }

  const { bundle, problems: bundleProblems } = await bundleFromString({ source: text, absoluteRef: input.absolutePath, config });
  const errors = bundleProblems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new EmbedkitSpecError(errors.map((p) => ({ file, pointer: p.location[0]?.pointer ?? '#', problem: p.message })));
  }
  const document = bundle.parsed as unknown;
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new EmbedkitSpecError([{ file, pointer: '#', problem: 'the spec must be a YAML or JSON object' }]);
  }
  return { displayPath: file, hash: hashSpec(bytes), document: document as Record<string, unknown>, locator };
}
