/**
 * Phase 2 of the core: checking one request and serializing its body, once for all attempts.
 * Nothing is sent for a request that fails here.
 *
 * @internal
 * @module
 */
import { createFinalURL, createQuerySerializer, defaultPathSerializer } from 'openapi-fetch';
import type { EmbedRequestOptions, EmbedRequestParams, HttpMethod } from '../core.js';
import { EmbedConfigError } from '../errors.js';
import { isMultipartBody } from '../multipart.js';
import { type ResolvedRetryOptions, resolveRetryOptions } from '../retry.js';
import type { Validator } from '../standard-schema.js';
import type { SignableBody } from './body.js';
import { type CoreConfig, checkHeaders, checkTimeout } from './core-config.js';
import { isWellFormed } from './guard.js';

/** A request ready for its attempts. */
export interface PreparedRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly params: EmbedRequestParams;
  readonly headers: Record<string, string>;
  readonly body: SignableBody | undefined;
  readonly idempotent: boolean;
  readonly retry: ResolvedRetryOptions;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly validateResponse: Validator<unknown> | undefined;
}

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const encoder = new TextEncoder();
const querySerializer = createQuerySerializer();

// A path parameter must fill its segment: never empty, never a dot segment (`.` and `..` would
// change the path the URL parser sends, and the one signed), never unencodable.
function checkPathParams(path: unknown): void {
  if (path === undefined) return;
  if (path === null || typeof path !== 'object') throw new EmbedConfigError('params.path must be an object', { option: 'params.path' });
  for (const [name, value] of Object.entries(path)) {
    const option = `params.path.${name}`;
    if (typeof value === 'number' && Number.isFinite(value)) continue;
    if (typeof value === 'boolean') continue;
    if (typeof value !== 'string') throw new EmbedConfigError(`${option} must be a string, a finite number or a boolean`, { option });
    if (value === '' || value === '.' || value === '..') {
      throw new EmbedConfigError(`${option} must not be empty, "." or ".." (it would change the request path)`, { option });
    }
    if (!isWellFormed(value)) throw new EmbedConfigError(`${option} must be well-formed Unicode (no lone surrogates)`, { option });
  }
}

function serializeBody(body: EmbedRequestOptions['body']): { source: SignableBody; contentType: string } | undefined {
  if (body === undefined) return undefined;
  if (body === null || typeof body !== 'object') throw new EmbedConfigError('body must be an object with a kind', { option: 'body' });
  switch (body.kind) {
    case 'json': {
      let json: string | undefined;
      try {
        json = JSON.stringify(body.value);
      } catch (cause) {
        // Circular structures, BigInt, throwing getters or toJSON...
        throw new EmbedConfigError('json body must be JSON-serializable', { option: 'body', cause });
      }
      if (json === undefined) throw new EmbedConfigError('json body must be JSON-serializable', { option: 'body' });
      return { source: encoder.encode(json), contentType: 'application/json' };
    }
    case 'multipart':
      if (!isMultipartBody(body.value)) throw new EmbedConfigError('multipart body must come from encodeMultipart()', { option: 'body' });
      return { source: body.value, contentType: body.value.contentType };
    case 'bytes':
      if (!(body.value instanceof Uint8Array || body.value instanceof Blob)) {
        throw new EmbedConfigError('bytes body must be a Uint8Array or Blob', { option: 'body' });
      }
      checkHeaders({ 'Content-Type': body.contentType }, 'body.contentType');
      return { source: body.value, contentType: body.contentType };
    default:
      throw new EmbedConfigError('body.kind must be "multipart", "json" or "bytes"', { option: 'body' });
  }
}

/** Checks a request and serializes its body; throws {@link EmbedConfigError} naming the bad option. */
export function prepareRequest(config: CoreConfig, req: EmbedRequestOptions<unknown>): PreparedRequest {
  if (req === null || typeof req !== 'object') throw new EmbedConfigError('request options must be an object');
  const { method, path, signal } = req;
  if (typeof method !== 'string' || !METHODS.has(method)) throw new EmbedConfigError('method must be an upper-case HTTP method', { option: 'method' });
  if (typeof path !== 'string' || !path.startsWith('/') || !isWellFormed(path)) {
    throw new EmbedConfigError('path must start with "/"', { option: 'path' });
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new EmbedConfigError('signal must be an AbortSignal', { option: 'signal' });
  const params: EmbedRequestParams = req.params ?? {};
  if (params === null || typeof params !== 'object') throw new EmbedConfigError('params must be an object', { option: 'params' });
  checkPathParams(params.path);
  checkHeaders(params.header, 'params.header');
  checkHeaders(req.headers, 'request headers');
  // The URL exactly as openapi-fetch will build it: an unencodable query fails here, not mid-send.
  try {
    createFinalURL(path, { baseUrl: config.baseUrl, params, querySerializer, pathSerializer: defaultPathSerializer });
  } catch (cause) {
    throw new EmbedConfigError('params cannot be encoded into the URL', { option: 'params', cause });
  }
  if (req.validateResponse !== undefined && typeof req.validateResponse !== 'function') {
    throw new EmbedConfigError('validateResponse must be a function', { option: 'validateResponse' });
  }
  if (req.idempotent !== undefined && typeof req.idempotent !== 'boolean') {
    throw new EmbedConfigError('idempotent must be a boolean', { option: 'idempotent' });
  }
  const body = serializeBody(req.body);
  const headers: Record<string, string> = { ...req.headers };
  if (body !== undefined) headers['Content-Type'] = body.contentType;
  return {
    method,
    path,
    params,
    headers,
    body: body?.source,
    idempotent: req.idempotent ?? (method === 'GET' || method === 'HEAD' || method === 'OPTIONS'),
    retry: req.retry === undefined ? config.retry : resolveRetryOptions(config.retryLayer, req.retry),
    timeoutMs: req.timeoutMs === undefined ? config.timeoutMs : checkTimeout(req.timeoutMs, 'timeoutMs'),
    signal,
    validateResponse: req.validateResponse as Validator<unknown> | undefined,
  };
}
