/**
 * Kraken Embed `API-Sign`:
 * `base64(HMAC-SHA512(base64decode(secret), utf8(pathWithQuery) ++ SHA-256(utf8(nonce) ++ bodyBytes)))`.
 *
 * @module
 */
import type { Middleware } from 'openapi-fetch';
import { cryptoProvider } from '#crypto';
import { decodeSecret } from './base64.js';
import { type SignableBody, bodyChunks, smallBodyBytes } from './body.js';
import { type ApiCredentials, type CredentialsInput, hmacKeyOf, resolveCredentials } from './credentials.js';
import { EmbedConfigError } from './errors.js';
import { type NonceSource, defaultNonceSource, nonceToString } from './nonce.js';
import type { HmacKey } from './platform/types.js';
import { getEmbedkitBody } from './side-channel.js';

/**
 * How requests are signed, as declared by the spec's vendor extension on its security schemes.
 * The generator emits one constant of this type per API version; the runtime supports exactly
 * the algorithm below and rejects anything else with {@link EmbedConfigError}.
 */
export interface SignatureScheme {
  /** Header carrying the API key, e.g. `API-Key`. */
  readonly keyHeader: string;
  /** Header carrying the nonce, e.g. `API-Nonce`. */
  readonly nonceHeader: string;
  /** Header carrying the signature, e.g. `API-Sign`. */
  readonly signHeader: string;
  /** Encoding of the secret. */
  readonly secretEncoding: 'base64';
  /** The HMAC hash. */
  readonly hmac: 'SHA-512';
  /** The hash of `nonce ++ body`. */
  readonly bodyHash: 'SHA-256';
  /** What path is signed: URL path plus `?query` exactly as sent. */
  readonly signedPath: 'path-with-query';
}

/** The Embed API's scheme: `API-Key` / `API-Nonce` / `API-Sign`. */
export const EMBED_SIGNATURE_SCHEME: SignatureScheme = Object.freeze({
  keyHeader: 'API-Key',
  nonceHeader: 'API-Nonce',
  signHeader: 'API-Sign',
  secretEncoding: 'base64',
  hmac: 'SHA-512',
  bodyHash: 'SHA-256',
  signedPath: 'path-with-query',
});

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Validates a scheme; throws {@link EmbedConfigError} for unsupported algorithms or bad header names. */
export function validateSignatureScheme(scheme: SignatureScheme): void {
  if (scheme === null || typeof scheme !== 'object') {
    throw new EmbedConfigError('scheme must be a SignatureScheme object', { option: 'scheme' });
  }
  for (const key of ['keyHeader', 'nonceHeader', 'signHeader'] as const) {
    if (typeof scheme[key] !== 'string' || !TOKEN.test(scheme[key])) {
      throw new EmbedConfigError(`scheme.${key} must be a valid HTTP header name`, { option: `scheme.${key}` });
    }
  }
  const expected = { secretEncoding: 'base64', hmac: 'SHA-512', bodyHash: 'SHA-256', signedPath: 'path-with-query' } as const;
  for (const [key, value] of Object.entries(expected)) {
    const actual = (scheme as unknown as Record<string, unknown>)[key];
    if (actual !== value) {
      throw new EmbedConfigError(`scheme.${key} is not supported by this runtime (supported: ${value})`, {
        option: `scheme.${key}`,
      });
    }
  }
}

/** Hashes `utf8(nonce) ++ body` when the bytes are at hand. */
function digestSync(nonce: string, bytes: Uint8Array | undefined): Uint8Array {
  const hash = cryptoProvider.createSha256();
  hash.update(nonce);
  if (bytes !== undefined && bytes.byteLength > 0) hash.update(bytes);
  return hash.digest();
}

/** Hashes `utf8(nonce) ++ body`, streaming Blob parts (a file-backed Blob is never loaded whole). */
async function digestStreaming(nonce: string, body: SignableBody): Promise<Uint8Array> {
  const hash = cryptoProvider.createSha256();
  hash.update(nonce);
  for await (const chunk of bodyChunks(body)) hash.update(chunk);
  return hash.digest();
}

function signDigest(key: HmacKey, pathWithQuery: string, digest: Uint8Array): string {
  return cryptoProvider.hmacSha512Base64(key, pathWithQuery, digest);
}

/**
 * Computes `API-Sign` for one request.
 *
 * - `secret`: the base64 API secret (validated: standard alphabet, padded, not empty).
 * - `pathWithQuery`: the URL path and `?query` exactly as sent, e.g. `/b2b/quotes?user=abc`.
 * - `nonce`: the `API-Nonce` value.
 * - `body`: the exact body bytes sent; omit (or `null`) for no body, in which case only the
 *   nonce is hashed. Blobs, including file-backed ones, are streamed through the hash.
 *
 * @throws {@link EmbedConfigError} for a bad secret or nonce (never echoing the secret).
 *
 * @example
 * ```ts
 * const sign = await computeApiSign(secret, '/b2b/assets', 1700000000000000000n);
 * // 'kVjBKgyzF8j8D3A0EXY7jw0FtboJOd4YwRjdQOKnjocQ3YSICH99/ZDUpdj4qcZD3xIA7wUfcC4aNVBcvhBG+Q==' for the reference secret
 * ```
 */
export async function computeApiSign(
  secret: string,
  pathWithQuery: string,
  nonce: string | bigint,
  body?: SignableBody | null,
): Promise<string> {
  const key = cryptoProvider.importHmacKey(decodeSecret(secret, 'secret'));
  return signWithKey(key, pathWithQuery, nonceToString(nonce), body ?? undefined);
}

async function signWithKey(key: HmacKey, pathWithQuery: string, nonce: string, body: SignableBody | undefined): Promise<string> {
  if (typeof pathWithQuery !== 'string' || !pathWithQuery.startsWith('/')) {
    throw new EmbedConfigError('pathWithQuery must be a path starting with "/"', { option: 'pathWithQuery' });
  }
  if (body === undefined) return signDigest(key, pathWithQuery, digestSync(nonce, undefined));
  const small = smallBodyBytes(body);
  const bytes = small instanceof Promise ? await small : small;
  const digest = bytes !== undefined ? digestSync(nonce, bytes) : await digestStreaming(nonce, body);
  return signDigest(key, pathWithQuery, digest);
}

/** Options of {@link createRequestSigner} and {@link createSigningMiddleware}. */
export type RequestSignerOptions = CredentialsInput & {
  /** The signature scheme (from the generated signing package). */
  scheme: SignatureScheme;
  /** Nonce source; defaults to the process-wide {@link defaultNonceSource}. */
  nonces?: NonceSource;
};

/** What to sign: the path with query as sent, and the exact body (if any). */
export interface SignInput {
  /** URL path plus `?query`, exactly as sent. */
  pathWithQuery: string;
  /** The exact body bytes sent, or `undefined` / `null` for none. */
  body?: SignableBody | null | undefined;
}

/** Signs requests: every call draws a new nonce. */
export interface RequestSigner {
  /** The key header value (the API key). */
  readonly apiKey: string;
  /** The scheme in use. */
  readonly scheme: SignatureScheme;
  /** Returns the three auth headers (key, nonce, signature) for one request. */
  sign(input: SignInput): Promise<Record<string, string>>;
}

/**
 * Creates a signer bound to one key, secret, scheme and nonce source.
 *
 * In-memory and small bodies are read before the nonce is drawn, so the nonce is as fresh as
 * possible when the request leaves (Kraken rejects a nonce lower than one it already accepted).
 *
 * @example
 * ```ts
 * const signer = createRequestSigner({ apiKey, apiSecret, scheme: EMBED_SIGNATURE_SCHEME });
 * const headers = await signer.sign({ pathWithQuery: '/b2b/assets' });
 * // { 'API-Key': '…', 'API-Nonce': '1764094455123456789', 'API-Sign': '…' }
 * ```
 */
export function createRequestSigner(options: RequestSignerOptions): RequestSigner {
  const credentials: ApiCredentials = resolveCredentials(options);
  const { scheme } = options;
  validateSignatureScheme(scheme);
  const nonces = options.nonces ?? defaultNonceSource;
  if (nonces === null || typeof nonces !== 'object' || typeof nonces.next !== 'function') {
    throw new EmbedConfigError('nonces must be a NonceSource (an object with next())', { option: 'nonces' });
  }
  const key = hmacKeyOf(credentials);
  const { apiKey } = credentials;
  const { keyHeader, nonceHeader, signHeader } = scheme;

  return {
    apiKey,
    scheme,
    async sign({ pathWithQuery, body }: SignInput): Promise<Record<string, string>> {
      if (typeof pathWithQuery !== 'string' || !pathWithQuery.startsWith('/')) {
        throw new EmbedConfigError('pathWithQuery must be a path starting with "/"', { option: 'pathWithQuery' });
      }
      let bytes: Uint8Array | undefined;
      if (body != null) {
        const small = smallBodyBytes(body);
        bytes = small instanceof Promise ? await small : small;
      }
      // Draw the nonce as late as possible: after the body is in memory, right before hashing.
      const drawn = nonces.next();
      const nonce = nonceToString(typeof drawn === 'bigint' ? drawn : await drawn);
      const digest = body == null || bytes !== undefined ? digestSync(nonce, bytes) : await digestStreaming(nonce, body);
      return { [keyHeader]: apiKey, [nonceHeader]: nonce, [signHeader]: signDigest(key, pathWithQuery, digest) };
    },
  };
}

/** The signed path of a request URL: pathname plus search, exactly as fetch sends them. */
export function signedPathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/**
 * An openapi-fetch middleware that signs every request (a new nonce each time).
 *
 * It hashes `request.embedkitBody` (see {@link EMBEDKIT_BODY}) when present: the exact bytes
 * sent, streamed, with no copy of the Request. Without it, a request that has a body is signed
 * by reading `request.clone()`, which buffers the whole body in memory: fine for small JSON,
 * wasteful for uploads. Register it last, so it signs what is actually sent.
 *
 * @example
 * ```ts
 * import createClient from 'openapi-fetch';
 * const http = createClient<paths>({ baseUrl: 'https://nexus.kraken.com' });
 * http.use(createSigningMiddleware({ apiKey, apiSecret, scheme: EMBED_SIGNATURE_SCHEME }));
 * ```
 */
export function createSigningMiddleware(options: RequestSignerOptions): Middleware {
  return signingMiddlewareFor(createRequestSigner(options));
}

/**
 * The signing middleware over an existing signer.
 *
 * @internal
 */
export function signingMiddlewareFor(signer: RequestSigner): Middleware {
  return {
    async onRequest({ request }) {
      let body: SignableBody | undefined = getEmbedkitBody(request);
      if (body === undefined && request.body !== null) {
        // Fallback: no side channel, so read a copy of the body (buffers it).
        body = new Uint8Array(await request.clone().arrayBuffer());
      }
      const headers = await signer.sign({ pathWithQuery: signedPathOf(request.url), body });
      for (const name in headers) request.headers.set(name, headers[name]!);
      return undefined;
    },
  };
}
