/**
 * The small crypto surface the runtime needs, implemented once per platform
 * (`crypto-node.ts` with node:crypto, `crypto-web.ts` with @noble/hashes) and selected through
 * the package.json `imports` condition `#crypto`.
 *
 * @internal
 * @module
 */

/** An incremental SHA-256. */
export interface Sha256Hash {
  /** Adds bytes, or a string as its UTF-8 bytes. */
  update(data: Uint8Array | string): unknown;
  digest(): Uint8Array;
}

/** An HMAC key prepared once per credential (a node `KeyObject`, or raw bytes). */
export type HmacKey = object;

/** What each platform module provides. */
export interface CryptoProvider {
  /** Which implementation this is. */
  readonly name: 'node' | 'web';
  /** A new incremental SHA-256. */
  createSha256(): Sha256Hash;
  /** Prepares raw key bytes for repeated HMAC use. */
  importHmacKey(raw: Uint8Array): HmacKey;
  /** base64(HMAC-SHA512(key, utf8(first) ++ second)). */
  hmacSha512Base64(key: HmacKey, first: string, second: Uint8Array): string;
}
