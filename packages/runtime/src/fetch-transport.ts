/**
 * Transports: functions `(request: Request) => Promise<Response>` that the core (through
 * openapi-fetch) uses to send requests.
 *
 * @module
 */
import { requestBodyOf } from './internal/body.js';
import { bodySourceOf } from './internal/signable-request.js';

/** A fetch-compatible function, as openapi-fetch calls it: the one transport interface. */
export type FetchLike = (input: Request) => Promise<Response>;

/** The shape of `globalThis.fetch`. */
export type GlobalFetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * A transport over a standard `fetch` (the global one by default, looked up at call time, so
 * test tools that replace `globalThis.fetch` see the requests). A Request built by the core is
 * sent with the exact body it was built from (bytes, or the composed Blob of an upload, which
 * the platform's fetch streams); any other Request is sent as it is.
 */
export function createFetchTransport(fetchImpl?: GlobalFetch): FetchLike {
  return (request: Request): Promise<Response> => {
    const fetch = fetchImpl ?? globalThis.fetch;
    const source = bodySourceOf(request);
    // fetch(request) alone would copy the Request's body stream through an identity transform
    // and write it chunk by chunk; with the bytes it knows the length and writes them at once.
    return source === undefined ? fetch(request) : fetch(request, { body: requestBodyOf(source) });
  };
}
