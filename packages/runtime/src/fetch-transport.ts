/**
 * Transports: functions `(request: Request) => Promise<Response>` that the core (through
 * openapi-fetch) uses to send requests.
 *
 * @module
 */
import { type AttemptSignal, type DirectRequest, setDirectSend } from './direct.js';
import { EmbedError, EmbedNetworkError } from './errors.js';
import { fetchBody } from './body.js';
import { EMBEDKIT_SIGNAL, getEmbedkitBody, markEmbedkitTransport } from './side-channel.js';

/** A fetch-compatible function, as openapi-fetch calls it. */
export type FetchLike = (input: Request) => Promise<Response>;

/** The shape of `globalThis.fetch`. */
export type GlobalFetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * A transport over a standard `fetch` (the global one by default, looked up at call time).
 *
 * When the request carries the `embedkitBody` side channel, that body is sent instead of the
 * Request's own stream: small multipart bodies go as the bytes already read for signing, large
 * ones as their composed Blob (file-backed parts are streamed by the platform's fetch). An
 * `embedkitSignal` side channel becomes the fetch's `signal`.
 */
export function createFetchTransport(fetchImpl?: GlobalFetch): FetchLike {
  const transport = async (request: Request): Promise<Response> => {
    const doFetch: GlobalFetch = fetchImpl ?? globalThis.fetch;
    const side = getEmbedkitBody(request);
    const sideSignal = (request as Request & { [EMBEDKIT_SIGNAL]?: AbortSignal })[EMBEDKIT_SIGNAL];
    if (side === undefined && sideSignal === undefined) return doFetch(request);
    const init: RequestInit = {};
    if (sideSignal !== undefined) init.signal = sideSignal;
    if (side !== undefined) {
      const payload = fetchBody(side);
      init.body = payload instanceof Promise ? await payload : payload;
    }
    // The init body and signal replace the Request's own (its body stream, if any, stays unread).
    return doFetch(request, init);
  };
  // The core's fast path: one fetch call with the exact bytes, as a hand-written fetch would make.
  const direct = async (req: DirectRequest): Promise<Response> => {
    const doFetch: GlobalFetch = fetchImpl ?? globalThis.fetch;
    const { signal, body } = req;
    const init: RequestInit = {
      method: req.method,
      headers: req.headers,
      redirect: 'error',
      signal: signal instanceof AbortSignal ? signal : (signal as AttemptSignal).toAbortSignal(),
    };
    if (body !== undefined) {
      const payload = fetchBody(body);
      init.body = payload instanceof Promise ? await payload : payload;
    }
    return doFetch(req.href, init);
  };
  return setDirectSend(markEmbedkitTransport(transport), direct);
}

// Failures that happen before any request byte can reach the server.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
]);

function errorCode(error: unknown): string | undefined {
  if (error !== null && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (error as { cause?: unknown }).cause;
    if (cause !== undefined && cause !== error) return errorCode(cause);
  }
  return undefined;
}

function causeMessages(error: unknown): string[] {
  const out: string[] = [];
  for (let e = error, i = 0; e instanceof Error && i < 5; e = e.cause, i++) out.push(e.message);
  return out;
}

/** Whether a failure with this system error code happened before anything was sent. */
export function isNotSentCode(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/**
 * Maps a rejection of a fetch-like transport to {@link EmbedNetworkError}: `TypeError` (how
 * fetch reports network failures) and Node system errors. `sent` is `false` only for failures
 * known to happen before connecting (refused, DNS, unreachable, TLS certificate). Other values
 * (and existing {@link EmbedError}s) are returned unchanged.
 */
export function toNetworkError(error: unknown, request: Pick<Request, 'url' | 'method'>): unknown {
  if (error instanceof EmbedError) return error;
  if (causeMessages(error).includes('unexpected redirect')) {
    const { origin, pathname } = new URL(request.url);
    return new EmbedNetworkError(`${request.method} ${origin}${pathname}: the server answered with a redirect, which signed requests do not follow`, {
      sent: true,
      systemCode: 'UNEXPECTED_REDIRECT',
      cause: error,
    });
  }
  const code = errorCode(error);
  if (!(error instanceof TypeError) && code === undefined) return error;
  const { origin, pathname } = new URL(request.url);
  const detail = code ?? (error instanceof Error ? error.message : 'network error');
  return new EmbedNetworkError(`${request.method} ${origin}${pathname} failed: ${detail}`, {
    sent: !isNotSentCode(code),
    systemCode: code,
    cause: error,
  });
}
