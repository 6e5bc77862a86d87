/**
 * Nonces for `API-Nonce`: strictly increasing unsigned 64-bit integers, nanoseconds since the
 * Unix epoch by default (Kraken's recommended format; keep one format per API key).
 *
 * @module
 */
import { EmbedConfigError } from './errors.js';
import { asEmbedError } from './internal/guard.js';

/** What the signer passes to {@link NonceSource.next}. */
export interface NonceRequestOptions {
  /**
   * Aborted when the call's deadline passes or its caller aborts: stop waiting for the store.
   * (The runtime also stops waiting by itself, so a source that ignores it cannot hang a call.)
   */
  signal?: AbortSignal;
}

/**
 * Where nonces come from. `next()` must return a value greater than every value it returned
 * before, for as long as the API key is in use, across everything that signs with that key.
 *
 * The default source is per process. If several processes (or hosts) sign with the same key,
 * give them one shared source, such as the Redis source of `@embedkit/nonce-redis`. A shared
 * source costs a round trip per attempt; Kraken's per-key "nonce window" setting is the
 * alternative when a little reordering between processes is acceptable.
 */
export interface NonceSource {
  /** The next nonce. May be async (a shared store); should honour `options.signal`. */
  next(options?: NonceRequestOptions): bigint | Promise<bigint>;
}

/** Options of {@link createNonceSource}. */
export interface NonceSourceOptions {
  /**
   * The clock, in nanoseconds since the Unix epoch. Defaults to
   * `performance.timeOrigin + performance.now()` (a monotonic clock anchored to the wall clock
   * at process start). Injectable for tests.
   */
  now?: () => bigint;
  /**
   * Every nonce will be greater than this, e.g. the last nonce persisted before a restart
   * (guards against a wall clock that was stepped back between runs).
   */
  floor?: bigint;
}

/** The default clock: epoch nanoseconds from the monotonic performance clock. */
export function epochNanoseconds(): bigint {
  return ORIGIN_NS + BigInt(Math.round(performance.now() * 1e6));
}

// Microsecond precision is all a double gives at epoch scale; the offset only anchors the epoch.
const ORIGIN_NS: bigint =
  typeof performance !== 'undefined' && typeof performance.timeOrigin === 'number'
    ? BigInt(Math.round(performance.timeOrigin * 1000)) * 1000n
    : BigInt(Date.now()) * 1_000_000n;

/**
 * Creates an in-process nonce source: `max(last + 1n, now())`, so nonces are strictly increasing
 * under any number of concurrent calls and even if the clock goes backwards, while staying close
 * to epoch nanoseconds.
 *
 * @example
 * ```ts
 * const nonces = createNonceSource();
 * nonces.next(); // 1764094455123456789n
 * nonces.next(); // 1764094455123460000n (always larger)
 * ```
 */
export function createNonceSource(options: NonceSourceOptions = {}): NonceSource {
  let now: () => bigint;
  let last: bigint;
  try {
    if (options === null || typeof options !== 'object') throw new EmbedConfigError('nonce source options must be an object', { option: 'nonces' });
    now = options.now ?? epochNanoseconds;
    last = options.floor ?? 0n;
  } catch (error) {
    throw asEmbedError(error, 'invalid nonce source options', 'nonces');
  }
  if (typeof now !== 'function') throw new EmbedConfigError('nonce clock (now) must be a function returning a bigint', { option: 'nonces.now' });
  if (typeof last !== 'bigint' || last < 0n) {
    throw new EmbedConfigError('nonce floor must be a non-negative bigint', { option: 'nonces.floor' });
  }
  return {
    next(): bigint {
      let t: unknown;
      try {
        t = now();
      } catch (error) {
        throw asEmbedError(error, 'the nonce clock failed', 'nonces.now');
      }
      if (typeof t !== 'bigint') throw new EmbedConfigError('nonce clock (now) must return a bigint', { option: 'nonces.now' });
      // Monotonic guard: never repeat or go back, even if the clock does.
      last = t > last ? t : last + 1n;
      return last;
    },
  };
}

/** The process-wide nonce source used when none is configured. Share it between clients of one key. */
export const defaultNonceSource: NonceSource = createNonceSource();

/** Largest value of an unsigned 64-bit integer. */
export const MAX_NONCE = (1n << 64n) - 1n;

/**
 * Checks that a nonce is an integer in the unsigned 64-bit range; returns its decimal string.
 *
 * @internal
 */
export function nonceToString(nonce: unknown): string {
  if (typeof nonce === 'bigint') {
    if (nonce < 0n || nonce > MAX_NONCE) {
      throw new EmbedConfigError('nonce must be an unsigned 64-bit integer', { option: 'nonce' });
    }
    return nonce.toString();
  }
  if (typeof nonce === 'string' && /^\d{1,20}$/.test(nonce) && BigInt(nonce) <= MAX_NONCE) return nonce;
  throw new EmbedConfigError('nonce must be an unsigned 64-bit integer (a bigint or a decimal string)', {
    option: 'nonce',
  });
}
