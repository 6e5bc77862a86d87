/**
 * The spec-agnostic client core that generated clients are built on: openapi-fetch (kept behind
 * this API) plus signing, retries, timeouts, typed errors and the default transport.
 *
 * @module
 */
import createClient, { type Client, type Middleware, createFinalURL, createQuerySerializer, defaultPathSerializer } from 'openapi-fetch';
import { getDefaultFetch } from '#transport';
import { type SignableBody, fetchBody } from './body.js';
import { AttemptSignal, type DirectSend, getDirectSend } from './direct.js';
import { type CredentialsInput, resolveCredentials } from './credentials.js';
import {
  EmbedAbortError,
  EmbedApiError,
  EmbedConfigError,
  EmbedError,
  type EmbedNetworkError,
  EmbedTimeoutError,
  EmbedValidationError,
  parseBodyText,
  parseKrakenErrors,
  requestIdFrom,
} from './errors.js';
import { type FetchLike, toNetworkError } from './fetch-transport.js';
import { type MultipartBody, isMultipartBody } from './multipart.js';
import type { NonceSource } from './nonce.js';
import { type FailureKind, type ResolvedRetryOptions, type RetryOptions, decideRetry, resolveRetryOptions } from './retry.js';
import { identity, isEmbedkitTransport } from './side-channel.js';
import { type SignatureScheme, createRequestSigner, signingMiddlewareFor, validateSignatureScheme } from './signing.js';
import type { Validator } from './standard-schema.js';

/** HTTP methods the core sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** A request body: an encoded multipart body, a JSON value (serialized once), or raw bytes. */
export type EmbedRequestBody =
  | {
      /** Multipart: sent with the body's own `Content-Type` (boundary included). */
      kind: 'multipart';
      /** The body from {@link encodeMultipart}. */
      value: MultipartBody;
    }
  | {
      /** JSON: `JSON.stringify` once, sent as `application/json`; every attempt sends these bytes. */
      kind: 'json';
      /** Any JSON-serializable value. */
      value: unknown;
    }
  | {
      /** Raw bytes with an explicit content type. */
      kind: 'bytes';
      /** The exact bytes (a Blob is streamed). */
      value: Uint8Array | Blob;
      /** The `Content-Type` header. */
      contentType: string;
    };

/** The API version header sent with every request. */
export interface VersionHeader {
  /** Header name, e.g. `Payward-Version`. */
  name: string;
  /** Header value, e.g. `2025-04-15`. */
  value: string;
}

/** Parameters substituted into the path template, the query string and headers (openapi-fetch style). */
export interface EmbedRequestParams {
  /** Values for `{name}` placeholders in the path (percent-encoded). */
  path?: Record<string, string | number | boolean>;
  /** Query parameters (`undefined` values are skipped). */
  query?: Record<string, unknown>;
  /** Extra request headers declared as parameters. */
  header?: Record<string, string>;
}

/** Information passed to the `onRetry` hook of {@link EmbedCoreOptions} before each retry. */
export interface RetryEvent {
  /** Method of the request. */
  method: HttpMethod;
  /** Path template of the request, e.g. `/b2b/verifications/{user}`. */
  path: string;
  /** The attempt that just failed (1-based, counting every attempt). */
  attempt: number;
  /** Why it is retried. */
  kind: Exclude<FailureKind, 'fatal'>;
  /** Wait before the next attempt, in ms. */
  delayMs: number;
  /** The failure (never contains the secret). */
  error: EmbedError;
}

/** Configuration of {@link createEmbedCore}. */
export type EmbedCoreOptions = CredentialsInput & {
  /** Signature scheme (from the generated signing package). */
  scheme: SignatureScheme;
  /** API origin (and optional path prefix), e.g. `https://nexus.kraken.com`. */
  baseUrl: string;
  /** The API version header sent with every request, e.g. `{ name: 'Payward-Version', value: '2025-04-15' }`. */
  versionHeader?: VersionHeader;
  /**
   * Transport. Default: on Node an undici-based transport (see `createNodeFetch` in
   * `@embedkit/runtime/node`), elsewhere `globalThis.fetch`. Any fetch-compatible function works.
   * Requests are built with `redirect: 'error'`: a 3xx is never followed (the Node transport
   * reports it as an {@link EmbedApiError}; fetch reports it as an {@link EmbedNetworkError}
   * with `systemCode: 'UNEXPECTED_REDIRECT'`, which is not retried).
   */
  fetch?: FetchLike;
  /** Retry policy defaults (see {@link RetryOptions}). */
  retry?: RetryOptions;
  /** Timeout of each attempt in ms (connect, send, and reading the response). Default 60000. */
  timeoutMs?: number;
  /** Nonce source; defaults to the process-wide one. Share one source among all clients of a key. */
  nonces?: NonceSource;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** openapi-fetch middleware to run before signing (signing always runs last). */
  middleware?: Middleware[];
  /** Called before each retry (for logging and metrics). */
  onRetry?: (event: RetryEvent) => void;
};

/** One request through {@link EmbedCore.request}. */
export interface EmbedRequestOptions<T = unknown> {
  /** HTTP method. */
  method: HttpMethod;
  /** Path template relative to `baseUrl`, e.g. `/b2b/verifications/{user}`. */
  path: string;
  /** Path, query and header parameters. */
  params?: EmbedRequestParams;
  /** The body, if any. */
  body?: EmbedRequestBody;
  /**
   * Whether repeating the request is harmless. Idempotent requests are also retried after
   * ambiguous failures (500/502/504, timeouts, connections lost after sending). Default: true
   * for GET, HEAD and OPTIONS, false otherwise.
   */
  idempotent?: boolean;
  /** Aborts the request, including retries and waits (rejects with {@link EmbedAbortError}). */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
  /** Overrides retry options for this request. */
  retry?: RetryOptions;
  /** Extra headers for this request. */
  headers?: Record<string, string>;
  /** Validates the parsed 2xx body; failures throw {@link EmbedValidationError} (not retried). */
  validateResponse?: Validator<T>;
}

/** Result of {@link EmbedCore.request}. */
export interface EmbedResponse<T = unknown> {
  /** The parsed response body (JSON; text if not JSON; `undefined` if empty), validated if a validator was given. */
  data: T;
  /** The final response (its body has been read). */
  response: Response;
  /** Attempts made, including retries of every kind. */
  attempts: number;
  /** Request id from the response headers, if present. */
  requestId?: string;
}

/** The client core. */
export interface EmbedCore<Paths extends object = object> {
  /**
   * The underlying openapi-fetch client (escape hatch). It signs every request (pass
   * `...multipartInit(body)` to avoid buffering uploads), uses the same transport and never
   * follows redirects, but has no retries, timeouts or typed errors.
   */
  readonly http: Client<Paths>;
  /** The normalized base URL. */
  readonly baseUrl: string;
  /**
   * Sends a request: serializes the body once, signs each attempt with a fresh nonce, retries
   * per policy, and returns the parsed body or throws a typed {@link EmbedError}.
   */
  request<T = unknown>(options: EmbedRequestOptions<T>): Promise<EmbedResponse<T>>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

function checkHeaders(headers: Record<string, string> | undefined, option: string): void {
  if (headers === undefined) return;
  if (headers === null || typeof headers !== 'object') {
    throw new EmbedConfigError(`${option} must be an object of header names to values`, { option });
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) throw new EmbedConfigError(`${option} has an invalid header name`, { option });
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw new EmbedConfigError(`${option}["${name}"] must be a string without CR, LF or NUL`, { option });
    }
  }
}

function checkTimeout(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 2_147_483_647) {
    throw new EmbedConfigError(`${option} must be a positive number of milliseconds (at most 2^31-1)`, { option });
  }
  return value;
}

/** Validates and normalizes a base URL (http or https, no query, fragment or credentials; no trailing slash). */
export function normalizeBaseUrl(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string' || baseUrl === '') {
    throw new EmbedConfigError('baseUrl must be an absolute http(s) URL', { option: 'baseUrl' });
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new EmbedConfigError('baseUrl must be an absolute http(s) URL', { option: 'baseUrl' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EmbedConfigError('baseUrl must use http: or https:', { option: 'baseUrl' });
  }
  if (url.username !== '' || url.password !== '') {
    throw new EmbedConfigError('baseUrl must not contain credentials', { option: 'baseUrl' });
  }
  if (url.search !== '' || url.hash !== '' || baseUrl.includes('?') || baseUrl.includes('#')) {
    throw new EmbedConfigError('baseUrl must not contain a query string or fragment', { option: 'baseUrl' });
  }
  return url.href.replace(/\/+$/, '');
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b|^text\/json\b/i;

function parseSuccessBody(text: unknown, response: Response): unknown {
  if (typeof text !== 'string') return text;
  if (text === '') return undefined;
  const contentType = response.headers.get('content-type') ?? '';
  if (JSON_TYPE.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new EmbedValidationError([{ path: '', rule: 'json', message: 'response body is not valid JSON' }], {
        subject: 'response body',
        cause,
      });
    }
  }
  return contentType === '' ? parseBodyText(text) : text;
}

// A 2xx carrying Kraken errors and no result is an error (Kraken's Spot API answers 200 this way).
function hasErrorEnvelope(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const o = body as Record<string, unknown>;
  return (o['result'] === undefined || o['result'] === null) && parseKrakenErrors(o).length > 0;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new EmbedAbortError({ cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs one attempt under its timeout and the caller's signal: `abort` cancels the attempt's
 * transfer; a caller abort becomes {@link EmbedAbortError}, the timeout {@link EmbedTimeoutError}.
 */
async function underDeadline<T>(
  abort: (reason: unknown) => void,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  run: () => Promise<T>,
): Promise<T> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort(new EmbedTimeoutError(timeoutMs));
  }, timeoutMs);
  const onCallerAbort = (): void => abort(signal?.reason);
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    return await run();
  } catch (error) {
    if (signal?.aborted) throw new EmbedAbortError({ cause: signal.reason });
    if (timedOut) throw error instanceof EmbedTimeoutError ? error : new EmbedTimeoutError(timeoutMs, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
  }
}

// The loose shape of openapi-fetch's client, for calls with runtime (not typed) paths.
interface LooseClient {
  request(method: string, path: string, init: Record<string, unknown>): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

const encoder = new TextEncoder();

// Headers normalizes values by stripping leading and trailing HTTP whitespace (CR/LF/NUL are
// rejected up front by checkHeaders).
function normalizeHeaderValue(value: string): string {
  const n = value.length;
  if (n === 0) return value;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(n - 1);
  return first === 32 || first === 9 || last === 32 || last === 9 ? value.replace(/^[\t ]+|[\t ]+$/g, '') : value;
}

// Adds headers under lower-case names (later ones win, case-insensitively, as with Headers).
function addHeaders(target: Record<string, string>, headers: Record<string, string> | undefined): void {
  if (headers === undefined) return;
  for (const name in headers) target[name.toLowerCase()] = normalizeHeaderValue(headers[name]!);
}

function hasKeys(value: object | undefined): boolean {
  if (value === undefined || value === null) return false;
  for (const _ in value) return true;
  return false;
}

/**
 * Creates the client core for one API key. Config is validated up front
 * ({@link EmbedConfigError} for a bad secret, base URL, header, timeout or retry option).
 *
 * @example
 * ```ts
 * import { EMBED_SIGNATURE_SCHEME, createEmbedCore, encodeMultipart } from '@embedkit/runtime';
 *
 * const core = createEmbedCore({
 *   apiKey: process.env.EMBED_API_KEY!,
 *   apiSecret: process.env.EMBED_API_SECRET!,
 *   scheme: EMBED_SIGNATURE_SCHEME,
 *   baseUrl: 'https://nexus.kraken.com',
 *   versionHeader: { name: 'Payward-Version', value: '2025-04-15' },
 * });
 *
 * const { data, requestId } = await core.request({
 *   method: 'POST',
 *   path: '/b2b/verifications/{user}',
 *   params: { path: { user: 'AA95N84GTESTXXXX' } },
 *   body: { kind: 'multipart', value: encodeMultipart(fields) },
 *   idempotent: false,
 * });
 * ```
 */
export function createEmbedCore<Paths extends object = object>(options: EmbedCoreOptions): EmbedCore<Paths> {
  if (options === null || typeof options !== 'object') {
    throw new EmbedConfigError('createEmbedCore needs an options object');
  }
  const credentials = resolveCredentials(options);
  validateSignatureScheme(options.scheme);
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const retryDefaults = resolveRetryOptions(options.retry);
  const defaultTimeoutMs = checkTimeout(options.timeoutMs ?? 60_000, 'timeoutMs');
  checkHeaders(options.headers, 'headers');
  const baseHeaders: Record<string, string> = { Accept: 'application/json' };
  if (options.versionHeader !== undefined) {
    const { name, value } = options.versionHeader;
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      throw new EmbedConfigError('versionHeader.name must be a valid HTTP header name', { option: 'versionHeader' });
    }
    checkHeaders({ [name]: value }, 'versionHeader');
    baseHeaders[name] = value;
  }
  Object.assign(baseHeaders, options.headers);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new EmbedConfigError('fetch must be a function', { option: 'fetch' });
  }
  if (options.onRetry !== undefined && typeof options.onRetry !== 'function') {
    throw new EmbedConfigError('onRetry must be a function', { option: 'onRetry' });
  }
  const onRetry = options.onRetry;
  const transport = options.fetch ?? getDefaultFetch();
  const send = async (request: Request): Promise<Response> => {
    try {
      return await transport(request);
    } catch (error) {
      throw toNetworkError(error, request);
    }
  };

  // With an embedkit transport (and no user middleware that might inspect or replace the
  // Request), the body and signal travel only in the side channels: building the Request's body
  // stream and following its signal would cost more than the rest of the request.
  const lean = isEmbedkitTransport(transport) && (options.middleware === undefined || options.middleware.length === 0);

  // Signed requests never follow redirects: fetch would replay API-Key/API-Sign (custom headers
  // it does not strip) to the redirect target with a signature for another path. 'error' also
  // spares undici a clone (tee) of every request body.
  const http = createClient<Paths>({ baseUrl, fetch: send, headers: baseHeaders, redirect: 'error' });
  if (options.middleware !== undefined) http.use(...options.middleware);
  const signer = createRequestSigner(
    options.nonces === undefined
      ? { credentials, scheme: options.scheme }
      : { credentials, scheme: options.scheme, nonces: options.nonces },
  );
  http.use(signingMiddlewareFor(signer));
  const loose = http as unknown as LooseClient;

  // The built-in transports take requests without openapi-fetch's Request, header merging and
  // middleware loop when nothing else needs to see a Request: the same URL serialization, the
  // same merged headers, the same signature, the same response handling.
  let direct: DirectSend | undefined = lean ? getDirectSend(transport) : undefined;
  if (direct !== undefined) {
    // Middleware added later through the escape hatch must still see core.request()'s Requests.
    const use = http.use.bind(http);
    http.use = (...middleware: Middleware[]): void => {
      direct = undefined;
      use(...middleware);
    };
  }
  const querySerializer = createQuerySerializer();
  const lowerBaseHeaders: Record<string, string> = {};
  addHeaders(lowerBaseHeaders, baseHeaders);

  async function attemptDirect(
    sendDirect: DirectSend,
    method: HttpMethod,
    target: { url: URL; href: string; signedPath: string },
    headers: Record<string, string>,
    source: SignableBody | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ data: unknown; response: Response }> {
    const attemptSignal = new AttemptSignal();
    return underDeadline((reason) => attemptSignal.abort(reason), timeoutMs, signal, async () => {
      const auth = await signer.sign({ pathWithQuery: target.signedPath, body: source });
      const sent: Record<string, string> = { ...headers };
      for (const name in auth) sent[name.toLowerCase()] = auth[name]!;
      let response: Response;
      try {
        response = await sendDirect({ url: target.url, href: target.href, method, headers: sent, body: source, signal: attemptSignal });
      } catch (error) {
        throw toNetworkError(error, { url: target.href, method });
      }
      // As openapi-fetch with parseAs 'text'.
      let data: unknown;
      let error: unknown;
      const contentLength = response.headers.get('Content-Length');
      const empty =
        response.status === 204 ||
        method === 'HEAD' ||
        (contentLength === '0' && !response.headers.get('Transfer-Encoding')?.includes('chunked'));
      if (!empty) {
        if (response.ok) data = await response.text();
        else {
          error = await response.text();
          try {
            error = JSON.parse(error as string);
          } catch {
            // Not JSON: keep the text.
          }
        }
      }
      if (!response.ok) throw EmbedApiError.fromResponse(response, error);
      const parsed = parseSuccessBody(data, response);
      if (hasErrorEnvelope(parsed)) throw EmbedApiError.fromResponse(response, parsed);
      return { data: parsed, response };
    });
  }

  async function attempt(
    method: HttpMethod,
    path: string,
    init: Record<string, unknown>,
    source: SignableBody | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ data: unknown; response: Response }> {
    const controller = new AbortController();
    return underDeadline((reason) => controller.abort(reason), timeoutMs, signal, async () => {
      if (lean) {
        init['embedkitSignal'] = controller.signal;
      } else {
        init['signal'] = controller.signal;
        if (source !== undefined) {
          const payload = fetchBody(source);
          init['body'] = payload instanceof Promise ? await payload : payload;
        }
      }
      const { data, error, response } = await loose.request(method, path, init);
      if (!response.ok) throw EmbedApiError.fromResponse(response, error);
      const parsed = parseSuccessBody(data, response);
      if (hasErrorEnvelope(parsed)) throw EmbedApiError.fromResponse(response, parsed);
      return { data: parsed, response };
    });
  }

  async function request<T = unknown>(req: EmbedRequestOptions<T>): Promise<EmbedResponse<T>> {
    if (req === null || typeof req !== 'object') throw new EmbedConfigError('request options must be an object');
    const { method, path, signal } = req;
    if (!METHODS.has(method)) throw new EmbedConfigError('method must be an upper-case HTTP method', { option: 'method' });
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new EmbedConfigError('path must start with "/"', { option: 'path' });
    }
    checkHeaders(req.headers, 'request headers');
    const retry: ResolvedRetryOptions = req.retry === undefined ? retryDefaults : resolveRetryOptions(options.retry, req.retry);
    const timeoutMs = req.timeoutMs === undefined ? defaultTimeoutMs : checkTimeout(req.timeoutMs, 'timeoutMs');
    const idempotent = req.idempotent ?? (method === 'GET' || method === 'HEAD' || method === 'OPTIONS');

    // Serialize once: every attempt sends (and signs) exactly these bytes.
    let source: SignableBody | undefined;
    let contentType: string | undefined;
    const body = req.body;
    if (body !== undefined) {
      if (body.kind === 'json') {
        let json: string | undefined;
        try {
          json = JSON.stringify(body.value);
        } catch (cause) {
          // Circular structures, BigInt...
          throw new EmbedConfigError('json body must be JSON-serializable', { option: 'body', cause });
        }
        if (json === undefined) throw new EmbedConfigError('json body must be JSON-serializable', { option: 'body' });
        source = encoder.encode(json);
        contentType = 'application/json';
      } else if (body.kind === 'multipart') {
        if (!isMultipartBody(body.value)) {
          throw new EmbedConfigError('multipart body must come from encodeMultipart()', { option: 'body' });
        }
        source = body.value;
        contentType = body.value.contentType;
      } else if (body.kind === 'bytes') {
        if (!(body.value instanceof Uint8Array || body.value instanceof Blob)) {
          throw new EmbedConfigError('bytes body must be a Uint8Array or Blob', { option: 'body' });
        }
        checkHeaders({ 'Content-Type': body.contentType }, 'body.contentType');
        source = body.value;
        contentType = body.contentType;
      } else {
        throw new EmbedConfigError('body.kind must be "multipart", "json" or "bytes"', { option: 'body' });
      }
    }
    const headers: Record<string, string> = { ...req.headers };
    if (contentType !== undefined) headers['Content-Type'] = contentType;

    // Fast path: no header parameters (openapi-fetch's rules for those stay with openapi-fetch).
    const sendDirect = direct !== undefined && !hasKeys(req.params?.header) ? direct : undefined;
    let directHeaders: Record<string, string> | undefined;
    let target: { url: URL; href: string; signedPath: string } | undefined;
    if (sendDirect !== undefined) {
      directHeaders = { ...lowerBaseHeaders };
      addHeaders(directHeaders, headers);
    }

    const state = { attempts: 1, nonceRetries: 0 };
    let total = 0;
    for (;;) {
      if (signal?.aborted) {
        const error = new EmbedAbortError({ cause: signal.reason });
        error.attempts = total;
        throw error;
      }
      total++;
      try {
        let result: { data: unknown; response: Response };
        if (sendDirect !== undefined) {
          if (target === undefined) {
            // Same serialization as openapi-fetch; parsing normalizes it as `new Request()` would.
            const url = new URL(createFinalURL(path, { baseUrl, params: req.params ?? {}, querySerializer, pathSerializer: defaultPathSerializer }));
            target = { url, href: url.href, signedPath: url.pathname + url.search };
          }
          result = await attemptDirect(sendDirect, method, target, directHeaders!, source, timeoutMs, signal);
        } else {
          const init: Record<string, unknown> = {
            params: req.params ?? {},
            headers,
            bodySerializer: identity,
            parseAs: 'text',
          };
          if (source !== undefined) init['embedkitBody'] = source;
          result = await attempt(method, path, init, source, timeoutMs, signal);
        }
        const { data, response } = result;
        let value = data as T;
        if (req.validateResponse !== undefined) {
          const result = req.validateResponse(data);
          if (!result.ok) throw new EmbedValidationError(result.issues, { subject: 'response body' });
          value = result.value;
        }
        const out: EmbedResponse<T> = { data: value, response, attempts: total };
        const requestId = requestIdFrom(response.headers);
        if (requestId !== undefined) out.requestId = requestId;
        return out;
      } catch (error) {
        const decision = error instanceof EmbedValidationError ? undefined : decideRetry(error, state, retry, idempotent);
        if (decision === undefined) {
          if (error instanceof EmbedError) error.attempts = total;
          throw error;
        }
        if (decision.kind === 'nonce') state.nonceRetries++;
        else state.attempts++;
        if (onRetry !== undefined) {
          try {
            onRetry({ method, path, attempt: total, kind: decision.kind, delayMs: decision.delayMs, error: error as EmbedError });
          } catch {
            // A failing logging hook must not change the outcome of the request.
          }
        }
        try {
          await sleep(decision.delayMs, signal);
        } catch (abortError) {
          (abortError as EmbedError).attempts = total;
          throw abortError;
        }
      }
    }
  }

  return { http, baseUrl, request };
}
