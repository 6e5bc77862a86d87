/**
 * Nonces for `API-Nonce`: strictly increasing unsigned 64-bit integers, nanoseconds since the
 * Unix epoch by default (Kraken's recommended format; keep one format per API key).
 *
 * @module
 */
import { EmbedConfigError } from './errors.js';

/**
 * Where nonces come from. `next()` must return a value greater than every value it returned
 * before, for as long as the API key is in use, across everything that signs with that key.
 *
 * The default source is per process. If several processes (or hosts) sign with the same key,
 * give them one shared source, e.g. a Redis counter seeded with the current epoch nanoseconds:
 *
 * ```ts
 * // Seed once: SET embed:nonce:<key> <current epoch nanoseconds> NX
 * const shared: NonceSource = {
 *   // INCR is atomic across processes. Read the reply as a string (or bigint): nanosecond
 *   // nonces exceed Number.MAX_SAFE_INTEGER, so a reply parsed as a JS number loses precision.
 *   next: async () => BigInt(await redisIncrAsString('embed:nonce:<key>')),
 * };
 * ```
 *
 * A shared source costs a round trip per attempt; Kraken's per-key "nonce window" setting is
 * the alternative when a little reordering between processes is acceptable.
 */
export interface NonceSource {
  /**
   * The next nonce. May be async (a shared store). The runtime passes the call's `signal`,
   * aborted when the call times out or its caller aborts: an async source should stop waiting
   * then (the runtime bounds the wait itself too, so a source that ignores it cannot hang a call).
   */
  next(options?: NonceSourceNextOptions): bigint | Promise<bigint>;
}

/** Options of {@link NonceSource.next}. */
export interface NonceSourceNextOptions {
  /** Aborted when the call this nonce is for times out or is aborted by its caller. */
  signal?: AbortSignal;
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
  const now = options.now ?? epochNanoseconds;
  let last = options.floor ?? 0n;
  if (typeof last !== 'bigint' || last < 0n) {
    throw new EmbedConfigError('nonce floor must be a non-negative bigint', { option: 'nonces.floor' });
  }
  return {
    next(): bigint {
      const t = now();
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

/** Checks that a nonce is an integer in the unsigned 64-bit range; returns its decimal string. */
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
