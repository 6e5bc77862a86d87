/**
 * Kraken Embed `API-Sign`:
 * `base64(HMAC-SHA512(base64decode(secret), utf8(pathWithQuery) ++ SHA-256(utf8(nonce) ++ bodyBytes)))`.
 *
 * @module
 */
import type { Middleware } from 'openapi-fetch';
import { cryptoProvider } from '#crypto';
import { type ApiCredentials, type CredentialsInput, hmacKeyOf, resolveCredentials } from './credentials.js';
import { EmbedConfigError } from './errors.js';
import { decodeSecret } from './internal/base64.js';
import { type SignableBody, bodyChunks, smallBodyBytes } from './internal/body.js';
import { untilAborted } from './internal/deadline.js';
import { asEmbedError } from './internal/guard.js';
import type { HmacKey } from './internal/platform/types.js';
import { bodySourceOf } from './internal/signable-request.js';
import { isMultipartBody } from './multipart.js';
import { type NonceSource, defaultNonceSource, nonceToString } from './nonce.js';

/**
 * How requests are signed, as declared by the spec's vendor extension on its security schemes.
 * The generator emits one constant of this type per API version (`signatureScheme` in
 * `@embedkit/signing-<version>`); the runtime supports exactly the algorithm below and rejects
 * anything else with {@link EmbedConfigError}.
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

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Validates a scheme; throws {@link EmbedConfigError} for unsupported algorithms or bad header names.
 *
 * @internal
 */
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
async function digestStreaming(nonce: string, body: SignableBody, signal?: AbortSignal): Promise<Uint8Array> {
  const hash = cryptoProvider.createSha256();
  hash.update(nonce);
  for await (const chunk of bodyChunks(body, signal)) hash.update(chunk);
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
  try {
    const key = cryptoProvider.importHmacKey(decodeSecret(secret, 'secret'));
    return await signWithKey(key, pathWithQuery, nonceToString(nonce), checkBody(body));
  } catch (error) {
    throw asEmbedError(error, 'computeApiSign failed');
  }
}

function checkBody(body: unknown): SignableBody | undefined {
  if (body === undefined || body === null) return undefined;
  if (body instanceof Uint8Array || body instanceof Blob || isMultipartBody(body)) return body;
  throw new EmbedConfigError('body must be a Uint8Array, a Blob or a multipart body from encodeMultipart()', { option: 'body' });
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
  /**
   * Stops signing when aborted (waiting for the nonce, hashing a large body) and rejects with
   * the signal's reason. Passed on to the nonce source.
   */
  signal?: AbortSignal | undefined;
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
 * import { signatureScheme } from '@embedkit/signing-2025-04-15';
 * const signer = createRequestSigner({ apiKey, apiSecret, scheme: signatureScheme });
 * const headers = await signer.sign({ pathWithQuery: '/b2b/assets' });
 * // { 'API-Key': '…', 'API-Nonce': '1764094455123456789', 'API-Sign': '…' }
 * ```
 */
export function createRequestSigner(options: RequestSignerOptions): RequestSigner {
  try {
    return makeSigner(options);
  } catch (error) {
    throw asEmbedError(error, 'invalid signer options');
  }
}

function makeSigner(options: RequestSignerOptions): RequestSigner {
  if (options === null || typeof options !== 'object') throw new EmbedConfigError('signer options must be an object');
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
    async sign(input: SignInput): Promise<Record<string, string>> {
      try {
        return await signOne(input);
      } catch (error) {
        // An abort keeps its reason (the caller's signal); anything else becomes a typed error.
        throw signalOf(input)?.aborted ? error : asEmbedError(error, 'signing failed');
      }
    },
  };

  async function signOne(input: SignInput): Promise<Record<string, string>> {
      if (input === null || typeof input !== 'object') throw new EmbedConfigError('sign() needs { pathWithQuery, body? }');
      const { pathWithQuery, signal } = input;
      const body = checkBody(input.body);
      if (signal !== undefined && !(signal instanceof AbortSignal)) throw new EmbedConfigError('signal must be an AbortSignal', { option: 'signal' });
      if (typeof pathWithQuery !== 'string' || !pathWithQuery.startsWith('/')) {
        throw new EmbedConfigError('pathWithQuery must be a path starting with "/"', { option: 'pathWithQuery' });
      }
      let bytes: Uint8Array | undefined;
      if (body != null) {
        const small = smallBodyBytes(body);
        bytes = small instanceof Promise ? await untilAborted(small, signal) : small;
      }
      // Draw the nonce as late as possible: after the body is in memory, right before hashing.
      const drawn = drawNonce(nonces, signal);
      const nonce = nonceToString(typeof drawn === 'bigint' ? drawn : await drawn);
      const digest = body == null || bytes !== undefined ? digestSync(nonce, bytes) : await digestStreaming(nonce, body, signal);
      return { [keyHeader]: apiKey, [nonceHeader]: nonce, [signHeader]: signDigest(key, pathWithQuery, digest) };
  }
}

function signalOf(input: SignInput): AbortSignal | undefined {
  try {
    return input.signal instanceof AbortSignal ? input.signal : undefined;
  } catch {
    return undefined;
  }
}

// The next nonce, bounded by `signal` even if the source ignores it (a hung store cannot hang a
// call). A synchronous source stays synchronous: no await between drawing and sending.
function drawNonce(nonces: NonceSource, signal: AbortSignal | undefined): bigint | Promise<bigint> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  let drawn: bigint | Promise<bigint>;
  try {
    drawn = signal === undefined ? nonces.next() : nonces.next({ signal });
  } catch (error) {
    return Promise.reject(asEmbedError(error, 'the nonce source failed', 'nonces'));
  }
  if (typeof drawn === 'bigint') return drawn;
  const pending = Promise.resolve(drawn).catch((error: unknown) => {
    // Rejections caused by our own abort keep the abort's reason (the caller maps it).
    throw signal?.aborted ? signal.reason : asEmbedError(error, 'the nonce source failed', 'nonces');
  });
  return untilAborted(pending, signal);
}

/**
 * The signed path of a request URL: pathname plus search, exactly as fetch sends them.
 *
 * @internal
 */
export function signedPathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/**
 * An openapi-fetch middleware that signs every request: each call of openapi-fetch (so each
 * retry, which calls it again) draws a new nonce. Waiting for the nonce and hashing stop when
 * the request's `signal` aborts.
 *
 * Requests built by the embedkit core carry the exact body they were built from, which is
 * hashed by streaming it (file-backed uploads are never loaded whole). On any other Request
 * (a plain `createClient<paths>()`), a body is read from `request.clone()`, which buffers it:
 * fine for JSON, costly for large uploads. Register it after your own middleware, so it signs
 * what is actually sent.
 *
 * @example
 * ```ts
 * import createClient from 'openapi-fetch';
 * import { signatureScheme } from '@embedkit/signing-2025-04-15';
 * const http = createClient<paths>({ baseUrl: 'https://nexus.kraken.com' });
 * http.use(createSigningMiddleware({ apiKey, apiSecret, scheme: signatureScheme }));
 * ```
 */
export function createSigningMiddleware(options: RequestSignerOptions): Middleware {
  const signer = createRequestSigner(options);
  return {
    async onRequest({ request }) {
      let body: SignableBody | undefined = bodySourceOf(request);
      if (body === undefined && request.body !== null) {
        // Not built by the core: read a copy of the body (buffers it).
        body = new Uint8Array(await untilAborted(request.clone().arrayBuffer(), request.signal));
      }
      const headers = await signer.sign({ pathWithQuery: signedPathOf(request.url), body, signal: request.signal });
      for (const name in headers) request.headers.set(name, headers[name]!);
      return undefined;
    },
  };
}
