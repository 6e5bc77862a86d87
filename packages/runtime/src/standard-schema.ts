/**
 * Glue between embedkit validators (`(value) => ValidationResult<T>`) and Standard Schema v1.
 *
 * @module
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { EmbedValidationError, type ValidationIssue } from './errors.js';

/** Result of an embedkit validator. */
export type ValidationResult<T> =
  | {
      /** Valid. */
      ok: true;
      /** The validated value. */
      value: T;
    }
  | {
      /** Invalid. */
      ok: false;
      /** Every issue found. */
      issues: ValidationIssue[];
    };

/** An embedkit validator: never throws, returns every issue it finds. */
export type Validator<T> = (value: unknown) => ValidationResult<T>;

function unescapePointer(segment: string): string | number {
  const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
  return /^(?:0|[1-9]\d*)$/.test(key) ? Number(key) : key;
}

/**
 * Splits an issue path into keys: a JSON Pointer (`/files/0/name`, `''` for the root) or a
 * dotted path (`metadata.identity`, `files[0]`, `a["b.c"]`, optionally prefixed with `$`).
 * Array indices become numbers.
 */
export function issuePathSegments(path: string): Array<string | number> {
  if (path === '' || path === '$' || path === '/') return path === '/' ? [''] : [];
  if (path.startsWith('/')) return path.slice(1).split('/').map(unescapePointer);
  const out: Array<string | number> = [];
  let rest = path.startsWith('$') ? path.slice(1) : path;
  const token = /^(?:\.?([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\['((?:[^'\\]|\\.)*)'\])/;
  while (rest.length > 0) {
    const m = token.exec(rest);
    if (m === null) {
      // Not a path we understand: keep the remainder as one key rather than guessing.
      out.push(rest.startsWith('.') ? rest.slice(1) : rest);
      break;
    }
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push((m[3] ?? m[4] ?? '').replace(/\\(.)/g, '$1'));
    rest = rest.slice(m[0].length);
  }
  return out;
}

/** A Standard Schema v1 object whose issues also carry embedkit's `rule` and string `path`. */
export type EmbedStandardSchema<T> = StandardSchemaV1<T, T>;

/**
 * Wraps an embedkit validator as a Standard Schema v1 object (usable by any library that
 * accepts Standard Schema: form libraries, tRPC, ...). Each issue keeps its `message`, gets
 * `path` as an array of keys, and also carries the original `rule`.
 *
 * @example
 * ```ts
 * const schema = toStandardSchema(validateIdentityDocumentMetadata);
 * const result = await schema['~standard'].validate(input);
 * if (result.issues) console.log(result.issues[0]?.path); // ['identity', 'date_of_birth']
 * ```
 */
export function toStandardSchema<T>(validate: Validator<T>, vendor = 'embedkit'): EmbedStandardSchema<T> {
  return {
    '~standard': {
      version: 1,
      vendor,
      validate(value: unknown): StandardSchemaV1.Result<T> {
        const result = validate(value);
        if (result.ok) return { value: result.value };
        return {
          issues: result.issues.map((issue) => ({
            message: issue.message,
            path: issuePathSegments(issue.path),
            rule: issue.rule,
          })),
        };
      },
    },
  };
}

/**
 * Runs a validator and returns the value, or throws {@link EmbedValidationError} listing every
 * issue. `subject` names what was validated in the message (e.g. `request body`).
 */
export function assertValid<T>(validate: Validator<T>, value: unknown, subject = 'value'): T {
  const result = validate(value);
  if (result.ok) return result.value;
  throw new EmbedValidationError(result.issues, { subject });
}
