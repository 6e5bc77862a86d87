/**
 * Turning any failure into a typed error, and the checks for values that would make the
 * platform throw its own errors (lone surrogates, header bytes).
 *
 * @internal
 * @module
 */
import { EmbedConfigError, EmbedError } from '../errors.js';

/** `error` if it is an {@link EmbedError}, else an {@link EmbedConfigError} about `what` caused by it. */
export function asEmbedError(error: unknown, what: string, option?: string): EmbedError {
  if (error instanceof EmbedError) return error;
  return new EmbedConfigError(`${what}: ${describe(error)}`, option === undefined ? { cause: error } : { option, cause: error });
}

function describe(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
  } catch {
    // A hostile error object (throwing getters): say nothing about it.
  }
  return 'an unexpected value was thrown';
}

// In a `u` regex a surrogate pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /\p{Surrogate}/u;

/** True if `value` has no lone surrogate (so it encodes to UTF-8 without replacement). */
export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}
