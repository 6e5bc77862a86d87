/**
 * node:crypto implementation of the runtime's crypto surface (also used by Deno and Bun, which
 * implement node:crypto natively). Streaming SHA-256 and HMAC here run in native code.
 *
 * @internal
 * @module
 */
import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { CryptoProvider, HmacKey } from './types.js';

/** The node:crypto provider. */
export const cryptoProvider: CryptoProvider = {
  name: 'node',
  createSha256: () => createHash('sha256'),
  // A KeyObject keeps the key bytes out of JS-visible memory and is reused for every signature.
  importHmacKey: (raw: Uint8Array): HmacKey => createSecretKey(raw),
  hmacSha512Base64: (key: HmacKey, first: string, second: Uint8Array): string =>
    createHmac('sha512', key as KeyObject)
      .update(first, 'utf8')
      .update(second)
      .digest('base64'),
};
