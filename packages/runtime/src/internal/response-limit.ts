/**
 * The response size limit, as an openapi-fetch middleware: every response body (success or
 * error, whatever the transport) is read through it before openapi-fetch parses it.
 *
 * @internal
 * @module
 */
import type { Middleware } from 'openapi-fetch';
import { EmbedResponseTooLargeError } from '../errors.js';
import { bufferedLength } from './buffered-response.js';

// A byte-counting pass-through that fails the body once it exceeds `limit`; the pipe then
// cancels the transport's stream, so an endless body stops being read.
function limitStream(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > limit) throw new EmbedResponseTooLargeError(limit);
      controller.enqueue(chunk);
    },
  });
}

/** Refuses or bounds response bodies larger than `limit` bytes with {@link EmbedResponseTooLargeError}. */
export function responseLimitMiddleware(limit: number): Middleware {
  return {
    onResponse({ response }) {
      // Already in memory (the Node transport's small responses): the size is known.
      const buffered = bufferedLength(response);
      if (buffered !== undefined) {
        if (buffered > limit) throw new EmbedResponseTooLargeError(limit);
        return undefined;
      }
      const header = response.headers.get('content-length');
      const length = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
      // A decoded body can be far larger than its encoded Content-Length.
      const encoded = (response.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
      if (length !== undefined && !encoded) {
        if (length > limit) {
          response.body?.cancel().catch(() => undefined);
          throw new EmbedResponseTooLargeError(limit);
        }
        // HTTP clients stop reading at Content-Length: the body cannot exceed it.
        return undefined;
      }
      if (response.body === null) return undefined;
      return new Response(response.body.pipeThrough(limitStream(limit)), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    },
  };
}
