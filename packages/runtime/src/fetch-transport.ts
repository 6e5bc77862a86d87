/**
 * Transports: functions `(request: Request) => Promise<Response>` that the core (through
 * openapi-fetch) uses to send requests.
 *
 * @module
 */

/** A fetch-compatible function, as openapi-fetch calls it: the one transport interface. */
export type FetchLike = (input: Request) => Promise<Response>;

/** The shape of `globalThis.fetch`. */
export type GlobalFetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * A transport over a standard `fetch` (the global one by default, looked up at call time, so
 * test tools that replace `globalThis.fetch` see the requests). The Request is sent as it is:
 * the core builds it from the exact bytes (or the composed Blob of an upload, which the
 * platform's fetch streams).
 */
export function createFetchTransport(fetchImpl?: GlobalFetch): FetchLike {
  return (request: Request): Promise<Response> => (fetchImpl ?? globalThis.fetch)(request);
}
