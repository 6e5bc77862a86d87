/**
 * Phase 3 of the core: one attempt, through openapi-fetch (its middleware signs it), under the
 * attempt's deadline, with the one place where responses become results or typed errors.
 *
 * @internal
 * @module
 */
import type { Client } from 'openapi-fetch';
import { EmbedApiError, type EmbedError, EmbedValidationError, parseBodyText, parseKrakenErrors, requestIdFrom } from '../errors.js';
import { type MultipartBody, isMultipartBody, readSmallBody } from '../multipart.js';
import { type SignableBody, requestBodyOf } from './body.js';
import type { Hooks } from './core-config.js';
import { withDeadline } from './deadline.js';
import { asEmbedError } from './guard.js';
import { toNetworkError } from './network-error.js';
import type { PreparedRequest } from './prepare.js';
import { signableRequestClass } from './signable-request.js';

/** What a successful attempt returns. */
export interface AttemptResult {
  readonly data: unknown;
  readonly response: Response;
}

// The loose shape of openapi-fetch's client, for calls with run-time (not typed) paths.
interface LooseClient {
  request(method: string, path: string, init: Record<string, unknown>): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b|^text\/json\b/i;

function parseSuccessBody(text: unknown, response: Response): unknown {
  if (typeof text !== 'string' || text === '') return text === '' ? undefined : text;
  const contentType = response.headers.get('content-type') ?? '';
  if (JSON_TYPE.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new EmbedValidationError([{ path: '', rule: 'json', message: 'response body is not valid JSON' }], { subject: 'response body', cause });
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

/** Turns openapi-fetch's outcome into a result or a typed error: the only place that does. */
function settle(request: PreparedRequest, outcome: { data?: unknown; error?: unknown; response: Response }): AttemptResult {
  const { response } = outcome;
  if (!response.ok) throw EmbedApiError.fromResponse(response, outcome.error);
  const data = parseSuccessBody(outcome.data, response);
  if (hasErrorEnvelope(data)) throw EmbedApiError.fromResponse(response, data);
  if (request.validateResponse === undefined) return { data, response };
  let result: ReturnType<NonNullable<PreparedRequest['validateResponse']>>;
  try {
    result = request.validateResponse(data);
  } catch (error) {
    throw asEmbedError(error, 'the response validator failed');
  }
  if (!result.ok) throw new EmbedValidationError(result.issues, { subject: 'response body' });
  return { data: result.value, response };
}

// What openapi-fetch hands `new Request()`: a small multipart body as its bytes (read once, and
// reused by the signer and the transport), a large one as its composed Blob (streamed).
async function requestBody(source: SignableBody): Promise<Uint8Array<ArrayBuffer> | Blob> {
  if (isMultipartBody(source)) {
    const small = readSmallBody(source as MultipartBody);
    if (small !== undefined) return (small instanceof Promise ? await small : small) as Uint8Array<ArrayBuffer>;
  }
  return requestBodyOf(source);
}

function describeFailure(error: unknown, request: PreparedRequest, url: string): EmbedError {
  const network = toNetworkError(error, { url, method: request.method });
  return asEmbedError(network, `${request.method} ${request.path} failed`);
}

/**
 * Sends one attempt: builds the Request through openapi-fetch (user middleware, then signing
 * with a fresh nonce, then the response limit), bounded by the attempt's deadline in every phase.
 */
export function sendAttempt(http: Client<object>, baseUrl: string, request: PreparedRequest, attempt: number, hooks: Hooks): Promise<AttemptResult> {
  const { method, path } = request;
  const started = performance.now();
  notify(hooks.onRequest, { method, path, attempt });
  return withDeadline(request.timeoutMs, request.signal, async (signal) => {
    const init: Record<string, unknown> = {
      params: request.params,
      headers: request.headers,
      parseAs: 'text',
      signal,
      Request: signableRequestClass(),
    };
    if (request.body !== undefined) {
      init['body'] = await requestBody(request.body);
      init['bodySerializer'] = passThrough;
    }
    let outcome: { data?: unknown; error?: unknown; response: Response };
    try {
      outcome = await (http as unknown as LooseClient).request(method, path, init);
    } catch (error) {
      // An abort is reported by withDeadline; everything else becomes a typed error here.
      throw signal.aborted ? error : describeFailure(error, request, baseUrl + path);
    }
    return settle(request, outcome);
  }).then(
    (result) => {
      finished(hooks, request, attempt, started, result.response.status, requestIdFrom(result.response.headers), undefined);
      return result;
    },
    (error: unknown) => {
      const failure = asEmbedError(error, `${method} ${path} failed`);
      const status = failure instanceof EmbedApiError ? failure.status : undefined;
      const requestId = failure instanceof EmbedApiError ? failure.requestId : undefined;
      finished(hooks, request, attempt, started, status, requestId, failure);
      throw failure;
    },
  );
}

function passThrough<T>(value: T): T {
  return value;
}

function finished(
  hooks: Hooks,
  request: PreparedRequest,
  attempt: number,
  started: number,
  status: number | undefined,
  requestId: string | undefined,
  error: EmbedError | undefined,
): void {
  if (hooks.onResponse === undefined && hooks.log === undefined) return;
  const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  const event: import('../core.js').ResponseEvent = { method: request.method, path: request.path, attempt, durationMs };
  if (status !== undefined) event.status = status;
  if (requestId !== undefined) event.requestId = requestId;
  if (error !== undefined) event.errorCode = error.code;
  notify(hooks.onResponse, event);
  if (hooks.log !== undefined) {
    const outcome = status !== undefined ? `HTTP ${status}` : (error?.code ?? 'ok');
    const id = requestId !== undefined ? ` request-id=${requestId}` : '';
    notify(hooks.log, `[embedkit] ${request.method} ${request.path} attempt ${attempt}: ${outcome} in ${event.durationMs} ms${id}`);
  }
}

/** Calls an observer; a failing one must not change the outcome of the request. */
export function notify<E>(hook: ((event: E) => void) | undefined, event: E): void {
  if (hook === undefined) return;
  try {
    hook(event);
  } catch {
    // Ignored on purpose.
  }
}
