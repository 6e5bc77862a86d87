/**
 * Side channels that carry the exact body (and the abort signal) past openapi-fetch's `Request`.
 *
 * openapi-fetch copies fetch-option keys it does not know onto its `Request`
 * (`for (const key in init) if (!(key in request)) request[key] = init[key]`), so an option such
 * as `{ embedkitBody: body }` passed to `client.POST(...)` is readable as `request.embedkitBody`
 * by middleware and by the transport.
 *
 * @module
 */
import type { SignableBody } from './body.js';
import { type MultipartBody, isMultipartBody } from './multipart.js';

/**
 * The fetch-option key that carries the exact body to sign and send.
 *
 * With it, the signing middleware hashes the body directly (streaming file-backed Blobs) instead
 * of cloning and buffering the Request body, and the embedkit transports send it instead of the
 * Request's own stream.
 *
 * @example
 * With an untyped view of openapi-fetch (a typed client wants the spec's body shape, not the
 * encoded body):
 * ```ts no-check
 * const body = encodeMultipart(fields);
 * await http.POST('/b2b/verifications/{user}', {
 *   params: { path: { user } },
 *   ...multipartInit(body), // body, bodySerializer, Content-Type and embedkitBody
 * });
 * ```
 */
export const EMBEDKIT_BODY = 'embedkitBody';

/**
 * The fetch-option key that carries the attempt's abort signal to an embedkit transport.
 *
 * Handing a signal to `new Request()` makes undici register listeners, a WeakRef and a
 * finalizer per request (tens of microseconds); the core passes it this way instead when the
 * transport understands it (see {@link EMBEDKIT_TRANSPORT}).
 */
export const EMBEDKIT_SIGNAL = 'embedkitSignal';

/**
 * Marks a transport that reads {@link EMBEDKIT_BODY} and {@link EMBEDKIT_SIGNAL} from the
 * request, even when the Request itself has no body or signal. The core then skips building the
 * Request's body stream and signal (a measurable share of per-request CPU). Transports from
 * `createFetchTransport` and `createNodeFetch` carry it.
 */
export const EMBEDKIT_TRANSPORT: unique symbol = Symbol.for('embedkit.transport');

/** Fetch options carrying the embedkit side channels. */
export interface EmbedkitRequestOptions {
  /** The exact body to sign and send; see {@link EMBEDKIT_BODY}. */
  embedkitBody?: SignableBody;
  /** Abort signal for embedkit transports; see {@link EMBEDKIT_SIGNAL}. */
  embedkitSignal?: AbortSignal;
}

/** Reads the {@link EMBEDKIT_BODY} side channel from a Request, if present and well-formed. */
export function getEmbedkitBody(request: Request): SignableBody | undefined {
  const value = (request as Request & EmbedkitRequestOptions)[EMBEDKIT_BODY];
  if (value === undefined || value === null) return undefined;
  if (value instanceof Uint8Array || value instanceof Blob || isMultipartBody(value)) return value;
  return undefined;
}

/** The {@link EMBEDKIT_SIGNAL} side channel if present, else `request.signal`. */
export function getEmbedkitSignal(request: Request): AbortSignal {
  const value = (request as Request & EmbedkitRequestOptions)[EMBEDKIT_SIGNAL];
  return value instanceof AbortSignal ? value : request.signal;
}

/** True if a transport is marked with {@link EMBEDKIT_TRANSPORT}. */
export function isEmbedkitTransport(fetch: unknown): boolean {
  return typeof fetch === 'function' && (fetch as unknown as Record<symbol, unknown>)[EMBEDKIT_TRANSPORT] === true;
}

/**
 * Marks a transport as understanding the side channels (see {@link EMBEDKIT_TRANSPORT}).
 *
 * @typeParam F - The transport function type (returned unchanged).
 */
export function markEmbedkitTransport<F extends (...args: never[]) => unknown>(fetch: F): F {
  Object.defineProperty(fetch, EMBEDKIT_TRANSPORT, { value: true, enumerable: false });
  return fetch;
}

/** openapi-fetch request options produced by {@link multipartInit}. */
export interface MultipartInit {
  /** The composed Blob (what a plain fetch sends). */
  body: Blob;
  /** Identity: hands the Blob to `new Request()` unchanged. */
  bodySerializer: <T>(value: T) => T;
  /** The request headers to add. */
  headers: {
    /** `multipart/form-data; boundary=...` */
    'Content-Type': string;
  };
  /** The side channel read by the signing middleware and the embedkit transports. */
  embedkitBody: MultipartBody;
}

/**
 * openapi-fetch request options that send a {@link MultipartBody} as-is: `body` (the composed
 * Blob), an identity `bodySerializer`, the `Content-Type` with boundary, and `embedkitBody`.
 * Spread them into `client.POST(path, { params, ...multipartInit(body) })`.
 */
export function multipartInit(body: MultipartBody): MultipartInit {
  return {
    body: body.blob(),
    bodySerializer: identity,
    headers: { 'Content-Type': body.contentType },
    embedkitBody: body,
  };
}

/** The identity body serializer: hands a prepared body to `new Request()` unchanged. */
export function identity<T>(value: T): T {
  return value;
}
