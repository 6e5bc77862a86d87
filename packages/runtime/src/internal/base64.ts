/**
 * Strict standard base64 (RFC 4648 section 4) helpers that work on every runtime (no Buffer).
 *
 * @internal
 * @module
 */
import { EmbedConfigError } from '../errors.js';

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes a base64 API secret, or throws {@link EmbedConfigError} naming the rule that failed.
 * The message never contains the value.
 */
export function decodeSecret(value: unknown, option = 'apiSecret'): Uint8Array {
  if (typeof value !== 'string') {
    throw new EmbedConfigError(`${option} must be a string (standard base64)`, { option });
  }
  if (value.length === 0) {
    throw new EmbedConfigError(`${option} is empty; expected the base64 API secret`, { option });
  }
  if (!STRICT_BASE64.test(value)) {
    // Name the most likely mistake without echoing any part of the secret.
    let why = 'it must use only A-Z, a-z, 0-9, "+", "/" and "=" padding, with a length that is a multiple of 4';
    if (/\s/.test(value)) why = 'it contains whitespace (trim the value)';
    else if (/[-_]/.test(value)) why = 'it uses the URL-safe alphabet ("-" or "_"); standard base64 uses "+" and "/"';
    else if (value.length % 4 !== 0) why = 'its length is not a multiple of 4 (missing "=" padding?)';
    throw new EmbedConfigError(`${option} is not valid standard base64: ${why}`, { option });
  }
  const binary = atob(value);
  if (binary.length === 0) {
    throw new EmbedConfigError(`${option} decodes to 0 bytes; expected the base64 API secret`, { option });
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Standard base64 with padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
