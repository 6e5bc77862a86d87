/**
 * Retry policy: which failures are retried, how long to wait, and the budgets.
 *
 * @module
 */
import { EmbedApiError, EmbedConfigError, EmbedNetworkError, EmbedTimeoutError } from './errors.js';

/** Retry settings (per client, overridable per request). */
export interface RetryOptions {
  /** Total attempts for ordinary retries, including the first. Default 3; 1 disables them. */
  maxAttempts?: number;
  /** Base of the exponential backoff, in ms. Default 500. */
  baseDelayMs?: number;
  /** Cap of one backoff delay, in ms. Default 8000. */
  maxDelayMs?: number;
  /**
   * Also retry a non-idempotent request after an ambiguous failure (HTTP 500/502/504, a timeout,
   * or a connection lost after bytes were sent), accepting that it may run twice. Default false.
   */
  retryAmbiguous?: boolean;
  /**
   * Separate budget for `EAPI:Invalid nonce` rejections, which the server makes before processing
   * anything (so they are safe to retry even for a submission). Default 10.
   */
  maxNonceRetries?: number;
  /** Upper bound of the small random delay before an invalid-nonce retry, in ms. Default 10. */
  nonceRetryDelayMs?: number;
  /** Cap applied to a server's `Retry-After`, in ms. Default 60000. */
  maxRetryAfterMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** The defaults. */
export const DEFAULT_RETRY: Readonly<Required<RetryOptions>> = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  retryAmbiguous: false,
  maxNonceRetries: 10,
  nonceRetryDelayMs: 10,
  maxRetryAfterMs: 60_000,
});

function checkNumber(value: number, option: string, min: number, integer: boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new EmbedConfigError(`${option} must be ${integer ? 'an integer' : 'a number'} >= ${min}`, { option });
  }
}

/** Merges retry options over the defaults and validates them. */
export function resolveRetryOptions(...layers: Array<RetryOptions | undefined>): ResolvedRetryOptions {
  const out: ResolvedRetryOptions = { ...DEFAULT_RETRY };
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const key of Object.keys(DEFAULT_RETRY) as Array<keyof ResolvedRetryOptions>) {
      const value = layer[key];
      if (value !== undefined) (out as Record<string, unknown>)[key] = value;
    }
  }
  checkNumber(out.maxAttempts, 'retry.maxAttempts', 1, true);
  checkNumber(out.baseDelayMs, 'retry.baseDelayMs', 0, false);
  checkNumber(out.maxDelayMs, 'retry.maxDelayMs', 0, false);
  checkNumber(out.maxNonceRetries, 'retry.maxNonceRetries', 0, true);
  checkNumber(out.nonceRetryDelayMs, 'retry.nonceRetryDelayMs', 0, false);
  checkNumber(out.maxRetryAfterMs, 'retry.maxRetryAfterMs', 0, false);
  if (typeof out.retryAmbiguous !== 'boolean') {
    throw new EmbedConfigError('retry.retryAmbiguous must be a boolean', { option: 'retry.retryAmbiguous' });
  }
  return out;
}

/**
 * How a failure relates to retrying:
 * - `nonce`: `EAPI:Invalid nonce`, rejected before processing; retried on its own budget;
 * - `safe`: nothing was processed (408, 429, 503, connection failure before sending);
 * - `ambiguous`: the server may have processed it (500, 502, 504, timeout, connection lost after sending);
 * - `fatal`: never retried.
 */
export type FailureKind = 'nonce' | 'safe' | 'ambiguous' | 'fatal';

/** Classifies an error thrown by one attempt. */
export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof EmbedApiError) {
    if (error.isInvalidNonce) return 'nonce';
    if (error.status === 408 || error.status === 429 || error.status === 503) return 'safe';
    if (error.status === 500 || error.status === 502 || error.status === 504) return 'ambiguous';
    return 'fatal';
  }
  if (error instanceof EmbedNetworkError) {
    // Retrying cannot help when the server answers with a redirect.
    if (error.systemCode === 'UNEXPECTED_REDIRECT') return 'fatal';
    return error.sent ? 'ambiguous' : 'safe';
  }
  if (error instanceof EmbedTimeoutError) return 'ambiguous';
  return 'fatal';
}

/** State of one logical request's retries. */
export interface RetryState {
  /** Ordinary attempts made so far (invalid-nonce retries not counted). */
  attempts: number;
  /** Invalid-nonce retries made so far. */
  nonceRetries: number;
}

/** A decision to retry, and after how long. */
export interface RetryDecision {
  /** Why the failure is retried. */
  kind: Exclude<FailureKind, 'fatal'>;
  /** How long to wait first, in ms. */
  delayMs: number;
}

/**
 * Decides whether to retry after `error`, given the budgets used so far; `undefined` means stop.
 * `random` is injectable for tests (full jitter: uniform in `[0, cap)`).
 */
export function decideRetry(
  error: unknown,
  state: RetryState,
  options: ResolvedRetryOptions,
  idempotent: boolean,
  random: () => number = Math.random,
): RetryDecision | undefined {
  const kind = classifyFailure(error);
  if (kind === 'fatal') return undefined;
  if (kind === 'nonce') {
    if (state.nonceRetries >= options.maxNonceRetries) return undefined;
    // Small jittered delay: spreads the retries so they do not collide again.
    const cap = Math.min(options.nonceRetryDelayMs * 2 ** Math.min(state.nonceRetries, 6), options.maxDelayMs);
    return { kind, delayMs: Math.floor(random() * cap) };
  }
  if (kind === 'ambiguous' && !idempotent && !options.retryAmbiguous) return undefined;
  if (state.attempts >= options.maxAttempts) return undefined;
  const retryAfter = error instanceof EmbedApiError ? error.retryAfterMs : undefined;
  if (retryAfter !== undefined) return { kind, delayMs: Math.min(retryAfter, options.maxRetryAfterMs) };
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (state.attempts - 1));
  return { kind, delayMs: Math.floor(random() * cap) };
}
