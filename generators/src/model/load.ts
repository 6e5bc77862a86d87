/**
 * Loads one spec file (YAML or JSON, OpenAPI 3.0.x or 3.1.x): reads its bytes, hashes them, checks
 * the OpenAPI structure with Redocly's `struct` and `no-unresolved-refs` rules (against the
 * document's own OpenAPI version), bundles it (external `$ref`s inlined) and normalizes it (see
 * `normalize.ts`: 3.0 upgraded to 3.1 semantics, safe schema names, every schema reference to a
 * component).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { BaseResolver, bundleDocument, createConfig, type Document, lintDocument, makeDocumentFromString, Source } from '@redocly/openapi-core';
import { parseDocument } from 'yaml';
import { EmbedkitSpecError, type SpecProblem } from '../errors.js';
import { normalizeDocument } from './normalize.js';
import { createSourceLocator, getAtPointer, type SourceLocator } from './source.js';

/** A spec read from disk (or memory), structurally valid and bundled. */
export interface LoadedSpec {
  /** The file as shown in messages and headers. */
  readonly displayPath: string;
  /** sha256 of the bytes, hex. */
  readonly hash: string;
  /** The bundled, normalized document. */
  readonly document: Record<string, unknown>;
  /** The `openapi` field as written (`3.0.3`, `3.1.0`...). */
  readonly openapiVersion: string;
  /**
   * Finds line/column of a pointer of the normalized document in the file (pointers into renamed
   * or copied schemas are mapped back to where the spec writes them).
   */
  readonly locator: SourceLocator;
  /** Maps a pointer of the normalized document to the same place in the spec as written. */
  originalPointer(pointer: string): string;
  /** Things worth saying that do not stop generation. */
  readonly warnings: readonly SpecProblem[];
}

/** True when some `$ref` of the document points outside it (only then is bundling needed). */
function hasExternalRefs(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasExternalRefs);
  if (node === null || typeof node !== 'object') return false;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) return true;
    if (typeof value === 'object' && hasExternalRefs(value)) return true;
  }
  return false;
}

/**
 * Redocly's `struct` rule reports `nullable` without `type`, which OpenAPI 3.0.3 allows (it then
 * has no effect): that one is a warning, not a refusal.
 */
const NULLABLE_WITHOUT_TYPE = 'The `type` field must be defined when the `nullable` field is used.';

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

  // Syntax first: Redocly's messages for broken YAML are less precise. JSON (most large public
  // specs) is checked with JSON.parse, much faster than a YAML parser on megabytes.
  const isJson = /^\s*\{/.test(text);
  let redoclyDocument: Document;
  let parsedSource: () => unknown;
  if (isJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new EmbedkitSpecError([{ file, pointer: '#', problem: `JSON syntax error: ${(error as Error).message}` }]);
    }
    redoclyDocument = { source: new Source(input.absolutePath, text, 'application/json'), parsed };
    parsedSource = () => parsed;
  } else {
    const yamlDoc = parseDocument(text);
    if (yamlDoc.errors.length > 0) {
      // Only the first: later YAML errors are usually consequences of it.
      const e = yamlDoc.errors[0]!;
      const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new EmbedkitSpecError([
        { file, pointer: '#', problem: `YAML syntax error: ${message}`, line: e.linePos?.[0]?.line, column: e.linePos?.[0]?.col },
      ]);
    }
    // Redocly's own parse, so that lint and bundle read exactly what its resolver would.
    redoclyDocument = makeDocumentFromString(text, input.absolutePath);
    parsedSource = () => yamlDoc.toJS() as unknown;
  }
  // Positions are only needed for messages: build the (costly) line index on first use.
  let sourceLocator: SourceLocator | undefined;
  const sourceLocate: SourceLocator['locate'] = (pointer) => {
    sourceLocator ??= createSourceLocator(text);
    return sourceLocator.locate(pointer);
  };

  // Only these two rules (no recommended set): structure against the document's own OpenAPI
  // version (Redocly detects 3.0 or 3.1), and references that resolve.
  const config = await createConfig({ extends: [], rules: { struct: 'error', 'no-unresolved-refs': 'error' } });
  const resolver = new BaseResolver(config.resolve);
  const linted = await lintDocument({ document: redoclyDocument, config: config.styleguide, externalRefResolver: resolver });
  const warnings: SpecProblem[] = [];
  const nullables = linted.filter((p) => p.message === NULLABLE_WITHOUT_TYPE);
  if (nullables.length > 0) {
    const first = nullables[0]!.location[0]?.pointer ?? '#';
    warnings.push({
      file,
      pointer: first,
      problem: `${nullables.length === 1 ? 'a schema uses' : `${nullables.length} schemas use`} "nullable" without "type" (first here), which has no effect in OpenAPI 3.0.3: null is not allowed there`,
    });
  }
  const problems = linted.filter((p) => p.severity === 'error' && p.message !== NULLABLE_WITHOUT_TYPE);
  if (problems.length > 0) {
    const raw = parsedSource();
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
        const position = sameFile ? sourceLocate(pointer) : undefined;
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

  // Bundling (inlining other files' schemas as components) walks the whole document: only when needed.
  let bundled: unknown = redoclyDocument.parsed;
  if (hasExternalRefs(bundled)) {
    const { bundle, problems: bundleProblems } = await bundleDocument({ document: redoclyDocument, config: config.styleguide, externalRefResolver: resolver });
    const errors = bundleProblems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      throw new EmbedkitSpecError(errors.map((p) => ({ file, pointer: p.location[0]?.pointer ?? '#', problem: p.message })));
    }
    bundled = bundle.parsed;
  }
  if (bundled === null || typeof bundled !== 'object' || Array.isArray(bundled)) {
    throw new EmbedkitSpecError([{ file, pointer: '#', problem: 'the spec must be a YAML or JSON object' }]);
  }
  const normalized = normalizeDocument(bundled as Record<string, unknown>);
  const locator: SourceLocator = { locate: (pointer) => sourceLocate(normalized.originalPointer(pointer)) };
  if (normalized.problems.length > 0) {
    throw new EmbedkitSpecError(
      normalized.problems.map((p) => ({ file, pointer: p.pointer, problem: p.problem, ...sourceLocate(p.pointer) })),
    );
  }
  return {
    displayPath: file,
    hash: hashSpec(bytes),
    document: normalized.document,
    openapiVersion: normalized.openapiVersion,
    locator,
    originalPointer: normalized.originalPointer,
    warnings,
  };
}
