/**
 * Phase 1 of the core: checking and resolving `createEmbedCore` options, once.
 *
 * @internal
 * @module
 */
import type { Middleware } from 'openapi-fetch';
import type { EmbedCoreOptions, RequestEvent, ResponseEvent, RetryEvent } from '../core.js';
import { EmbedConfigError } from '../errors.js';
import type { FetchLike } from '../fetch-transport.js';
import { type ResolvedRetryOptions, resolveRetryOptions } from '../retry.js';

/** The default `maxResponseBytes`: far above any Embed API JSON response, far below trouble. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** Options after checking. */
export interface CoreConfig {
  readonly baseUrl: string;
  readonly headers: Record<string, string>;
  readonly fetch: FetchLike | undefined;
  readonly retry: ResolvedRetryOptions;
  readonly retryLayer: EmbedCoreOptions['retry'];
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly middleware: Middleware[];
  readonly hooks: Hooks;
}

/** The observers of one client; each is called safely (a throwing hook changes nothing). */
export interface Hooks {
  readonly onRequest: ((event: RequestEvent) => void) | undefined;
  readonly onResponse: ((event: ResponseEvent) => void) | undefined;
  readonly onRetry: ((event: RetryEvent) => void) | undefined;
  readonly log: ((line: string) => void) | undefined;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Header values are byte strings: tab, visible ASCII and obs-text; no CR, LF or NUL.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Checks a header map: token names, byte-string values without CR, LF or NUL. */
export function checkHeaders(headers: unknown, option: string): asserts headers is Record<string, string> | undefined {
  if (headers === undefined) return;
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    throw new EmbedConfigError(`${option} must be an object of header names to values`, { option });
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) throw new EmbedConfigError(`${option} has an invalid header name`, { option });
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      throw new EmbedConfigError(`${option}["${name}"] must be a string of Latin-1 characters without CR, LF or NUL`, { option });
    }
  }
}

/** Checks a timeout in ms. */
export function checkTimeout(value: unknown, option: string): number {
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

function checkFunction<F>(value: unknown, option: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new EmbedConfigError(`${option} must be a function`, { option });
  return value as F;
}

function isMiddleware(value: unknown): value is Middleware {
  if (value === null || typeof value !== 'object') return false;
  const m = value as Record<string, unknown>;
  return typeof m['onRequest'] === 'function' || typeof m['onResponse'] === 'function' || typeof m['onError'] === 'function';
}

function logger(debug: unknown): ((line: string) => void) | undefined {
  if (debug === undefined || debug === false) return undefined;
  if (debug === true) return (line) => console.error(line);
  if (typeof debug === 'function') return debug as (line: string) => void;
  throw new EmbedConfigError('debug must be a boolean or a function', { option: 'debug' });
}

/** Checks every option; throws {@link EmbedConfigError} naming the first bad one. */
export function resolveCoreConfig(options: EmbedCoreOptions): CoreConfig {
  if (options === null || typeof options !== 'object') {
    throw new EmbedConfigError('createEmbedCore needs an options object');
  }
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.versionHeader !== undefined) {
    const { name, value } = options.versionHeader;
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      throw new EmbedConfigError('versionHeader.name must be a valid HTTP header name', { option: 'versionHeader' });
    }
    checkHeaders({ [name]: value }, 'versionHeader');
    headers[name] = value;
  }
  checkHeaders(options.headers, 'headers');
  Object.assign(headers, options.headers);

  const middleware: Middleware[] = [];
  if (options.middleware !== undefined) {
    if (!Array.isArray(options.middleware) || !options.middleware.every(isMiddleware)) {
      throw new EmbedConfigError('middleware must be an array of openapi-fetch middleware', { option: 'middleware' });
    }
    middleware.push(...options.middleware);
  }
  if (options.signing !== undefined) {
    if (!isMiddleware(options.signing)) throw new EmbedConfigError('signing must be an openapi-fetch middleware', { option: 'signing' });
    // Last, so it signs what is actually sent.
    middleware.push(options.signing);
  }
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (typeof maxResponseBytes !== 'number' || !Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 0) {
    throw new EmbedConfigError('maxResponseBytes must be a non-negative integer', { option: 'maxResponseBytes' });
  }
  return {
    baseUrl,
    headers,
    fetch: checkFunction<FetchLike>(options.fetch, 'fetch'),
    retry: resolveRetryOptions(options.retry),
    retryLayer: options.retry,
    timeoutMs: checkTimeout(options.timeoutMs ?? 60_000, 'timeoutMs'),
    maxResponseBytes,
    middleware,
    hooks: {
      onRequest: checkFunction(options.onRequest, 'onRequest'),
      onResponse: checkFunction(options.onResponse, 'onResponse'),
      onRetry: checkFunction(options.onRetry, 'onRetry'),
      log: logger(options.debug),
    },
  };
}
