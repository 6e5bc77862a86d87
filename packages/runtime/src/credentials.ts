/**
 * API credentials with a secret that cannot leak through logging.
 *
 * @module
 */
import { cryptoProvider } from '#crypto';
import { decodeSecret } from './internal/base64.js';
import { EmbedConfigError } from './errors.js';
import type { HmacKey } from './internal/platform/types.js';

const REDACTED = '[redacted]';

let keyOf: (credentials: ApiCredentials) => HmacKey;

/** What {@link ApiCredentials.toJSON} returns. */
export interface RedactedCredentials {
  /** The public API key. */
  apiKey: string;
  /** Always `[redacted]`. */
  apiSecret: string;
}

/**
 * An API key and its secret. The secret is validated (standard base64, not empty), decoded once
 * and kept in a `#private` field; `toJSON()`, `toString()` and `util.inspect` show
 * `[redacted]` instead, and no runtime error message ever includes it.
 *
 * @example
 * ```ts
 * const credentials = new ApiCredentials(process.env.EMBED_API_KEY!, process.env.EMBED_API_SECRET!);
 * console.log(credentials); // ApiCredentials { apiKey: '…', apiSecret: '[redacted]' }
 * ```
 */
export class ApiCredentials {
  /** The public API key, sent in the key header (e.g. `API-Key`). */
  readonly apiKey: string;
  readonly #key: HmacKey;

  /**
   * @throws {@link EmbedConfigError} if the key is empty or not header-safe, or the secret is not
   * valid standard base64 (the message names the rule, never the value).
   */
  constructor(apiKey: string, apiSecret: string) {
    if (typeof apiKey !== 'string' || apiKey.length === 0) {
      throw new EmbedConfigError('apiKey must be a non-empty string', { option: 'apiKey' });
    }
    // Header values must not carry control characters (CR/LF would allow header injection).
    if (/[\0-\x1f\x7f]/.test(apiKey) || apiKey.trim() !== apiKey) {
      throw new EmbedConfigError('apiKey must not contain control characters or surrounding whitespace', {
        option: 'apiKey',
      });
    }
    this.apiKey = apiKey;
    this.#key = cryptoProvider.importHmacKey(decodeSecret(apiSecret));
  }

  static {
    keyOf = (credentials) => credentials.#key;
  }

  /** `{ apiKey, apiSecret: '[redacted]' }`. */
  toJSON(): RedactedCredentials {
    return { apiKey: this.apiKey, apiSecret: REDACTED };
  }

  /** `ApiCredentials(apiKey=…, apiSecret=[redacted])`. */
  toString(): string {
    return `ApiCredentials(apiKey=${this.apiKey}, apiSecret=${REDACTED})`;
  }

  /** Node's `util.inspect` hook. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ApiCredentials { apiKey: '${this.apiKey}', apiSecret: '${REDACTED}' }`;
  }
}

/**
 * The prepared HMAC key of some credentials. Only the signer calls this.
 *
 * @internal
 */
export function hmacKeyOf(credentials: ApiCredentials): HmacKey {
  return keyOf(credentials);
}

/** Either an {@link ApiCredentials} or the raw key and secret. */
export type CredentialsInput =
  | {
      /** Prepared credentials. */
      credentials: ApiCredentials;
    }
  | {
      /** The public API key. */
      apiKey: string;
      /** The base64 API secret (validated; kept private). */
      apiSecret: string;
    };

/** Builds (and validates) credentials from either form. */
export function resolveCredentials(input: CredentialsInput): ApiCredentials {
  if ('credentials' in input && input.credentials !== undefined) {
    if (!(input.credentials instanceof ApiCredentials)) {
      throw new EmbedConfigError('credentials must be an ApiCredentials instance', { option: 'credentials' });
    }
    return input.credentials;
  }
  const { apiKey, apiSecret } = input as { apiKey: string; apiSecret: string };
  return new ApiCredentials(apiKey, apiSecret);
}
