/**
 * The sandbox's own API-Sign verifier and nonce rules. Deliberately independent of
 * `@embedkit/runtime` (architecture decision 7): a bug in the client's signer cannot hide itself
 * behind the same bug here.
 *
 * API-Sign = base64(HMAC-SHA512(base64decode(secret), pathWithQuery + SHA-256(nonce + body)))
 */
import { createHash, createHmac, type Hash, timingSafeEqual } from 'node:crypto';

/** The largest unsigned 64-bit integer, the upper bound of `API-Nonce`. */
export const MAX_NONCE = 2n ** 64n - 1n;

/** The inputs of one API-Sign computation. */
export interface SignatureInput {
  /** The API secret, base64-encoded (as Kraken issues it). */
  secret: string;
  /** The request target exactly as sent: path plus `?query` if any, without scheme and host. */
  pathWithQuery: string;
  /** The `API-Nonce` header value, in decimal, exactly as sent. */
  nonce: string;
  /** The exact request body bytes (empty for a request without a body). */
  body?: Uint8Array | string;
}

/**
 * Starts the body hash: SHA-256 seeded with the nonce's ASCII bytes. Feed it the raw body bytes
 * as they arrive, then pass its digest to {@link signatureFromBodyDigest}.
 */
export function createBodyHash(nonce: string): Hash {
  return createHash('sha256').update(nonce, 'latin1');
}

/**
 * Finishes an API-Sign computation from the path and the SHA-256 digest of `nonce + body`.
 * @returns The raw 64-byte HMAC-SHA512.
 */
export function signatureFromBodyDigest(secret: string, pathWithQuery: string, bodyDigest: Uint8Array): Buffer {
  return createHmac('sha512', Buffer.from(secret, 'base64'))
    .update(Buffer.from(pathWithQuery, 'utf8'))
    .update(bodyDigest)
    .digest();
}

/** Computes API-Sign (base64) for a whole request held in memory. */
export function computeSignature(input: SignatureInput): string {
  const hash = createBodyHash(input.nonce);
  if (input.body !== undefined) hash.update(input.body);
  return signatureFromBodyDigest(input.secret, input.pathWithQuery, hash.digest()).toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Compares a received API-Sign header with the expected raw HMAC in constant time. Anything that
 * is not standard base64 of exactly 64 bytes is rejected without a timing-sensitive comparison.
 */
export function signatureMatches(received: string, expected: Uint8Array): boolean {
  const trimmed = received.trim();
  if (trimmed.length % 4 !== 0 || !BASE64.test(trimmed)) return false;
  const decoded = Buffer.from(trimmed, 'base64');
  // The equal-length guard: timingSafeEqual throws on different lengths.
  if (decoded.length !== expected.length) return false;
  return timingSafeEqual(decoded, expected);
}

/** Verifies API-Sign for a whole request held in memory (used by tests and by callers with small bodies). */
export function verifySignature(input: SignatureInput & { signature: string }): boolean {
  const hash = createBodyHash(input.nonce);
  if (input.body !== undefined) hash.update(input.body);
  return signatureMatches(input.signature, signatureFromBodyDigest(input.secret, input.pathWithQuery, hash.digest()));
}

/**
 * Parses `API-Nonce`: a decimal unsigned 64-bit integer (1 to 20 ASCII digits, at most 2^64-1).
 * @returns The value, or `undefined` when the header is not such a number.
 */
export function parseNonce(value: string): bigint | undefined {
  if (!/^[0-9]{1,20}$/.test(value)) return undefined;
  const nonce = BigInt(value);
  return nonce <= MAX_NONCE ? nonce : undefined;
}

/**
 * Per-key nonce bookkeeping, as Kraken's keys work: each nonce must be greater than the last one
 * accepted. With a window `W > 0` (Kraken's "nonce window" key setting), a nonce up to `W` below
 * the highest accepted one is also accepted once, so requests sent concurrently may arrive out of
 * order; a nonce is never accepted twice.
 */
export class NonceTracker {
  readonly #window: bigint;
  readonly #highest = new Map<string, bigint>();
  readonly #seen = new Map<string, Set<bigint>>();

  /** @param window - How far below the highest accepted nonce a nonce may be (0 = strictly increasing). */
  constructor(window: number | bigint = 0) {
    this.#window = BigInt(window);
    if (this.#window < 0n) throw new RangeError('nonceWindow must be >= 0');
  }

  /** Whether `nonce` would be accepted for `key` now (does not record it). */
  check(key: string, nonce: bigint): boolean {
    const highest = this.#highest.get(key);
    if (highest === undefined || nonce > highest) return true;
    if (this.#window === 0n) return false;
    return highest - nonce <= this.#window && !(this.#seen.get(key)?.has(nonce) ?? false);
  }

  /** Records an accepted nonce for `key`. */
  accept(key: string, nonce: bigint): void {
    const highest = this.#highest.get(key);
    if (highest === undefined || nonce > highest) this.#highest.set(key, nonce);
    if (this.#window === 0n) return;
    const top = this.#highest.get(key)!;
    let seen = this.#seen.get(key);
    if (!seen) {
      seen = new Set();
      this.#seen.set(key, seen);
    }
    seen.add(nonce);
    // Forget nonces that fell out of the window: they are rejected by the range check anyway.
    for (const old of seen) if (top - old > this.#window) seen.delete(old);
  }

  /** Forgets every accepted nonce (of every key). */
  clear(): void {
    this.#highest.clear();
    this.#seen.clear();
  }

  /** The highest nonce accepted for `key`, if any. */
  highest(key: string): bigint | undefined {
    return this.#highest.get(key);
  }
}
