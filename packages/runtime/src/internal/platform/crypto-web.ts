/**
 * Portable implementation of the runtime's crypto surface on @noble/hashes, for browsers and
 * workers: Web Crypto cannot hash a stream incrementally, and the multipart body must be hashed
 * without loading files into memory.
 *
 * @internal
 * @module
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { bytesToBase64 } from '../base64.js';
import type { CryptoProvider, HmacKey } from './types.js';

// Wraps the key so it is not a bare Uint8Array anyone could print by accident.
class RawKey {
  readonly #bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes.slice();
  }
  static bytes(key: RawKey): Uint8Array {
    return key.#bytes;
  }
}

/** The @noble/hashes provider. */
export const cryptoProvider: CryptoProvider = {
  name: 'web',
  createSha256: () => {
    const hash = sha256.create();
    return {
      update: (data: Uint8Array | string) => hash.update(typeof data === 'string' ? utf8ToBytes(data) : data),
      digest: () => hash.digest(),
    };
  },
  importHmacKey: (raw: Uint8Array): HmacKey => new RawKey(raw),
  hmacSha512Base64: (key: HmacKey, first: string, second: Uint8Array): string =>
    bytesToBase64(
      hmac
        .create(sha512, RawKey.bytes(key as RawKey))
        .update(utf8ToBytes(first))
        .update(second)
        .digest(),
    ),
};
