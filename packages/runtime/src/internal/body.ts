/**
 * Request bodies as the signer and the transports see them.
 *
 * @internal
 * @module
 */
import { type MultipartBody, SMALL_BODY_BYTES, multipartSegments, readSmallBody } from '../multipart.js';

/** A body the runtime can sign and send: exact bytes, a Blob, or an encoded multipart body. */
export type SignableBody = Uint8Array | Blob | MultipartBody;

/** Size in bytes of a body. */
export function bodySize(body: SignableBody): number {
  if (body instanceof Uint8Array) return body.byteLength;
  if (body instanceof Blob) return body.size;
  return body.contentLength;
}

/**
 * The body's bytes when it is in memory already or small enough to read at once (cached for
 * multipart bodies); `undefined` when it must be streamed.
 */
export function smallBodyBytes(body: SignableBody): Uint8Array | Promise<Uint8Array> | undefined {
  if (body instanceof Uint8Array) return body;
  if (body instanceof Blob) {
    return body.size <= SMALL_BODY_BYTES ? body.arrayBuffer().then((b) => new Uint8Array(b)) : undefined;
  }
  return readSmallBody(body);
}

/**
 * What to hand `new Request()` / `fetch` as the body: bytes and Blobs as they are; a multipart
 * body as its composed Blob (file-backed parts stay on disk until read).
 */
export function requestBodyOf(body: SignableBody): Uint8Array<ArrayBuffer> | Blob {
  if (body instanceof Uint8Array || body instanceof Blob) return body as Uint8Array<ArrayBuffer> | Blob;
  return body.blob();
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

async function* blobChunks(blob: Blob, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  if (blob.size <= SMALL_BODY_BYTES) {
    yield new Uint8Array(await blob.arrayBuffer());
    return;
  }
  // Stream: a file-backed Blob is read in chunks, never loaded whole.
  const reader = blob.stream().getReader();
  let finished = false;
  try {
    for (;;) {
      // Between chunks: an aborted call stops reading a large file at once.
      throwIfAborted(signal);
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopped early (consumer broke out, an error, an abort): cancel so the file is closed now.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * The body's bytes in order, streaming Blob parts (a file-backed Blob is never loaded whole).
 * Stops with the signal's reason when `signal` is aborted.
 */
export async function* bodyChunks(body: SignableBody, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  throwIfAborted(signal);
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  if (body instanceof Blob) {
    yield* blobChunks(body, signal);
    return;
  }
  const segments = multipartSegments(body);
  if (segments === undefined) {
    yield* blobChunks(body.blob(), signal);
    return;
  }
  for (const segment of segments) {
    throwIfAborted(signal);
    if (segment instanceof Blob) yield* blobChunks(segment, signal);
    else yield segment;
  }
}
