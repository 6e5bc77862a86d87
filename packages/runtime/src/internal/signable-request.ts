/**
 * The Request class the core hands openapi-fetch (its documented `Request` option): a standard
 * `Request` that also remembers the exact body it was built from, so the signing middleware can
 * hash a file-backed upload by streaming it (a Request's own body can be read only once, and
 * `request.clone()` buffers it) and the Node transport can send it with an exact length.
 *
 * Any other Request (built by a plain openapi-fetch client, or replaced by a user middleware)
 * has no recorded body and is handled the standard way.
 *
 * @internal
 * @module
 */
import { multipartOfBlob } from '../multipart.js';
import type { SignableBody } from './body.js';

const sources = new WeakMap<Request, SignableBody>();

/** The exact body a Request was built from, when it was built by {@link signableRequestClass}. */
export function bodySourceOf(request: Request): SignableBody | undefined {
  return sources.get(request);
}

let SignableRequest: typeof Request | undefined;

/**
 * The class, defined on first use: reading the global `Request` makes Node load its bundled
 * undici, which importing the runtime should not cost.
 */
export function signableRequestClass(): typeof Request {
  SignableRequest ??= class SignableRequest extends Request {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(input, init);
      const body = init?.body;
      if (body instanceof Uint8Array) sources.set(this, body);
      else if (body instanceof Blob) sources.set(this, multipartOfBlob(body) ?? body);
    }
  };
  return SignableRequest;
}
