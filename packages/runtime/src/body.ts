/**
 * Request bodies as the signer and the transports see them.
 *
 * @module
 */
import { type MultipartBody, SMALL_BODY_BYTES, multipartSegments, readSmallBody } from './multipart.js';

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
 *
 * @internal
 */
export function smallBodyBytes(body: SignableBody): Uint8Array | Promise<Uint8Array> | undefined {
  if (body instanceof Uint8Array) return body;
  if (body instanceof Blob) {
    return body.size <= SMALL_BODY_BYTES ? body.arrayBuffer().then((b) => new Uint8Array(b)) : undefined;
  }
  return readSmallBody(body);
}

/**
 * What to hand `fetch` as the body: bytes and Blobs as they are; a multipart body as the bytes
 * already read for signing when it is small, else its composed Blob (file-backed parts stay on
 * disk). Synchronous unless small multipart bytes still have to be read.
 *
 * @internal
 */
export function fetchBody(body: SignableBody): Uint8Array<ArrayBuffer> | Blob | Promise<Uint8Array<ArrayBuffer>> {
  if (body instanceof Uint8Array || body instanceof Blob) return body as Uint8Array<ArrayBuffer> | Blob;
  return (readSmallBody(body) ?? body.blob()) as Uint8Array<ArrayBuffer> | Blob | Promise<Uint8Array<ArrayBuffer>>;
}

async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  if (blob.size <= SMALL_BODY_BYTES) {
    yield new Uint8Array(await blob.arrayBuffer());
    return;
  }
  // Stream: a file-backed Blob is read in chunks, never loaded whole.
  const reader = blob.stream().getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopped early (consumer broke out, or an error): cancel so the file is closed now.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * The body's bytes in order, streaming Blob parts (a file-backed Blob is never loaded whole).
 *
 * @internal
 */
export async function* bodyChunks(body: SignableBody): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  if (body instanceof Blob) {
    yield* blobChunks(body);
    return;
  }
  const segments = multipartSegments(body);
  if (segments === undefined) {
    yield* blobChunks(body.blob());
    return;
  }
  for (const segment of segments) {
    if (segment instanceof Blob) yield* blobChunks(segment);
    else yield segment;
  }
}
