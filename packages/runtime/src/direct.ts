/**
 * The core's fast path into the built-in transports (`createNodeFetch`, `createFetchTransport`).
 *
 * When no user middleware needs to see a `Request`, the core hands these transports a plain
 * description of the request (URL, method, lower-case headers, the exact body) instead of going
 * through openapi-fetch's `Request`, header merging and middleware loop, and an
 * {@link AttemptSignal} instead of an `AbortController` per attempt. Custom transports (and
 * transports merely marked with `markEmbedkitTransport`) always receive real `Request`s.
 *
 * @internal
 * @module
 */
import type { SignableBody } from './body.js';

/** The part of `AbortSignal` the built-in transports use. */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** A request as the core hands it to a built-in transport. */
export interface DirectRequest {
  /** The parsed URL (what is sent: `pathname + search`). */
  readonly url: URL;
  /** `url.href`. */
  readonly href: string;
  /** Upper-case method. */
  readonly method: string;
  /** Header names in lower case, values normalized. */
  readonly headers: Record<string, string>;
  /** The exact body, if any. */
  readonly body: SignableBody | undefined;
  /** Aborts the attempt (timeout or caller abort). */
  readonly signal: AbortLike;
}

/** The fast entry of a built-in transport. */
export type DirectSend = (request: DirectRequest) => Promise<Response>;

const DIRECT: unique symbol = Symbol('embedkit.direct');

/** Attaches a fast entry to a built-in transport (not enumerable, not exported publicly). */
export function setDirectSend<F extends object>(fetch: F, send: DirectSend): F {
  Object.defineProperty(fetch, DIRECT, { value: send, enumerable: false });
  return fetch;
}

/** The fast entry of a built-in transport, if it has one. */
export function getDirectSend(fetch: unknown): DirectSend | undefined {
  if (typeof fetch !== 'function') return undefined;
  const send = (fetch as unknown as Record<symbol, unknown>)[DIRECT];
  return typeof send === 'function' ? (send as DirectSend) : undefined;
}

/**
 * A minimal abort signal for one attempt: no `AbortController`, no event dispatch machinery.
 * Listeners run once, synchronously, on {@link AttemptSignal.abort}.
 */
export class AttemptSignal implements AbortLike {
  aborted = false;
  reason: unknown = undefined;
  #listeners: (() => void)[] | undefined;

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) return;
    if (this.#listeners === undefined) this.#listeners = [listener];
    else this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    if (listeners === undefined) return;
    const i = listeners.indexOf(listener);
    if (i !== -1) listeners.splice(i, 1);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }

  /** A real `AbortSignal` following this one (for fetch). */
  toAbortSignal(): AbortSignal {
    const controller = new AbortController();
    if (this.aborted) controller.abort(this.reason);
    else this.addEventListener('abort', () => controller.abort(this.reason));
    return controller.signal;
  }
}
