/**
 * The spec-agnostic client core that generated clients are built on: one openapi-fetch client
 * (signing as its middleware) plus retries, deadlines, a response size limit, typed errors,
 * request/response events and the default transport.
 *
 * `createEmbedCore` runs in phases, each in its own module: options are checked once
 * (`internal/core-config.ts`), each request is checked and its body serialized once
 * (`internal/prepare.ts`), and each attempt goes through openapi-fetch under its deadline
 * (`internal/attempt.ts`); this module holds the retry loop.
 *
 * @module
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { getDefaultFetch } from '#transport';
import { EmbedAbortError, type EmbedError, type EmbedErrorCode, type EmbedResponseTooLargeError, EmbedValidationError, requestIdFrom } from './errors.js';
import type { FetchLike } from './fetch-transport.js';
import { sendAttempt, notify } from './internal/attempt.js';
import { type CoreConfig, resolveCoreConfig } from './internal/core-config.js';
import { asEmbedError } from './internal/guard.js';
import { type PreparedRequest, prepareRequest } from './internal/prepare.js';
import { responseLimitMiddleware } from './internal/response-limit.js';
import type { MultipartBody } from './multipart.js';
import { type RetryState, decideRetry } from './retry.js';
import type { RetryOptions } from './retry.js';
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
  /** Why it is retried: `nonce` (`EAPI:Invalid nonce`), `safe` (not processed) or `ambiguous`. */
  kind: 'nonce' | 'safe' | 'ambiguous';
  /** Wait before the next attempt, in ms. */
  delayMs: number;
  /** The failure (never contains the secret). */
  error: EmbedError;
}

/** Information passed to the `onRequest` hook of {@link EmbedCoreOptions} before each attempt. */
export interface RequestEvent {
  /** Method of the request. */
  method: HttpMethod;
  /** Path template of the request, e.g. `/b2b/verifications/{user}` (no parameter values). */
  path: string;
  /** The attempt about to be sent (1-based, counting every attempt). */
  attempt: number;
}

/** Information passed to the `onResponse` hook of {@link EmbedCoreOptions} after each attempt. */
export interface ResponseEvent extends RequestEvent {
  /** HTTP status, when a response arrived. */
  status?: number;
  /** Time from the start of the attempt (signing included) to its end, in ms. */
  durationMs: number;
  /** Request id from the response headers, if present. */
  requestId?: string;
  /** Code of the attempt's error, when it failed (e.g. `EMBED_API_ERROR`, `EMBED_TIMEOUT`). */
  errorCode?: EmbedErrorCode;
}

/** Configuration of {@link createEmbedCore}. */
export interface EmbedCoreOptions {
  /**
   * The openapi-fetch middleware that signs requests, e.g. `createSigningMiddleware(...)` from
   * `@embedkit/signing-<version>`. It runs after `middleware`, on every attempt (so every retry
   * is signed afresh). Omit for an API without signatures.
   */
  signing?: Middleware;
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
  /**
   * Timeout of each attempt in ms, covering every phase: waiting for the nonce, hashing the body,
   * connecting, sending and reading the response. Default 60000.
   */
  timeoutMs?: number;
  /**
   * Largest response body accepted, in bytes (success or error). Larger ones are refused from
   * their `Content-Length`, or reading stops at the limit; either way the call rejects with
   * {@link EmbedResponseTooLargeError}. Default 4 MiB.
   */
  maxResponseBytes?: number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** openapi-fetch middleware to run before signing (signing always runs last). */
  middleware?: Middleware[];
  /** Called before each attempt (method, path template, attempt; never headers or bodies). */
  onRequest?: (event: RequestEvent) => void;
  /** Called after each attempt (status, duration, request id or error code; never headers or bodies). */
  onResponse?: (event: ResponseEvent) => void;
  /** Called before each retry (for logging and metrics). */
  onRetry?: (event: RetryEvent) => void;
  /**
   * Logs one line per attempt (method, path template, attempt, status or error code, duration,
   * request id; never secrets, headers or bodies): `true` to `console.error`, or your function.
   */
  debug?: boolean | ((line: string) => void);
}

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
  /** Overrides the client's per-attempt timeout (every phase, see {@link EmbedCoreOptions.timeoutMs}). */
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
   * The underlying openapi-fetch client, the one {@link EmbedCore.request} sends through (escape
   * hatch). It has the same middleware (signing, response limit), transport and headers and
   * never follows redirects, but no retries, timeouts or typed errors; a body it sends is
   * buffered once for signing.
   */
  readonly http: Client<Paths>;
  /** The normalized base URL. */
  readonly baseUrl: string;
  /**
   * Sends a request: serializes the body once, sends each attempt through {@link EmbedCore.http}
   * (so its middleware signs each attempt with a fresh nonce), retries per policy, and returns
   * the parsed body or rejects with a typed {@link EmbedError}, whatever it is given.
   */
  request<T = unknown>(options: EmbedRequestOptions<T>): Promise<EmbedResponse<T>>;
}


function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new EmbedAbortError({ cause: signal.reason }));
      return;
    }
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

// The openapi-fetch client every request goes through: user middleware, then signing (last, so
// it signs what is sent), then the response limit (first to see each response).
function createHttpClient<Paths extends object>(config: CoreConfig): Client<Paths> {
  const fetch = config.fetch ?? getDefaultFetch();
  // Signed requests never follow redirects: fetch would replay API-Key/API-Sign (custom headers
  // it does not strip) to the redirect target with a signature for another path.
  const http = createClient<Paths>({ baseUrl: config.baseUrl, fetch, headers: config.headers, redirect: 'error' });
  http.use(...config.middleware, responseLimitMiddleware(config.maxResponseBytes));
  return http;
}

// The retry loop: each attempt re-enters openapi-fetch, so its middleware signs it afresh.
async function sendWithRetries<T>(http: Client<object>, config: CoreConfig, request: PreparedRequest): Promise<EmbedResponse<T>> {
  const { signal } = request;
  const state: RetryState = { attempts: 1, nonceRetries: 0 };
  for (let attempt = 1; ; attempt++) {
    try {
      const { data, response } = await sendAttempt(http, config.baseUrl, request, attempt, config.hooks);
      const out: EmbedResponse<T> = { data: data as T, response, attempts: attempt };
      const requestId = requestIdFrom(response.headers);
      if (requestId !== undefined) out.requestId = requestId;
      return out;
    } catch (error) {
      const failure = error as EmbedError;
      const decision = failure instanceof EmbedValidationError ? undefined : decideRetry(failure, state, request.retry, request.idempotent);
      if (decision === undefined) {
        failure.attempts = attempt;
        throw failure;
      }
      if (decision.kind === 'nonce') state.nonceRetries++;
      else state.attempts++;
      notify(config.hooks.onRetry, { method: request.method, path: request.path, attempt, kind: decision.kind, delayMs: decision.delayMs, error: failure });
      try {
        await sleep(decision.delayMs, signal);
      } catch (abortError) {
        (abortError as EmbedError).attempts = attempt;
        throw abortError;
      }
    }
  }
}

/**
 * Creates the client core. Options are validated up front ({@link EmbedConfigError} for a bad
 * base URL, header, timeout, limit, hook or retry option).
 *
 * @example
 * ```ts
 * import { createEmbedCore, encodeMultipart } from '@embedkit/runtime';
 * import { createSigningMiddleware } from '@embedkit/signing-2025-04-15';
 *
 * const core = createEmbedCore({
 *   signing: createSigningMiddleware({ apiKey: process.env.EMBED_API_KEY!, apiSecret: process.env.EMBED_API_SECRET! }),
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
  let config: CoreConfig;
  try {
    config = resolveCoreConfig(options);
  } catch (error) {
    throw asEmbedError(error, 'invalid createEmbedCore options');
  }
  const http = createHttpClient<Paths>(config);
  async function request<T = unknown>(req: EmbedRequestOptions<T>): Promise<EmbedResponse<T>> {
    let prepared: PreparedRequest;
    try {
      prepared = prepareRequest(config, req as EmbedRequestOptions<unknown>);
    } catch (error) {
      throw asEmbedError(error, 'invalid request options');
    }
    return sendWithRetries<T>(http as unknown as Client<object>, config, prepared);
  }
  return { http, baseUrl: config.baseUrl, request };
}
