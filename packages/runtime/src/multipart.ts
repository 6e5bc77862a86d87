/**
 * Deterministic `multipart/form-data` encoder.
 *
 * The body is ONE composed `Blob` of `[part header bytes, file Blob, CRLF, ...]`. Composing
 * Blobs does not read them, so a file-backed Blob (`fs.openAsBlob`, see `fileFromPath` in
 * `@embedkit/runtime/node`) stays on disk: the body can be read twice (once to hash it for
 * `API-Sign`, once to send it) without holding the file in memory, and its exact
 * `Content-Length` is known before anything is sent.
 *
 * @module
 */
import { EmbedConfigError } from './errors.js';
import { asEmbedError, isWellFormed } from './internal/guard.js';

/** Anything accepted as file content. */
export type FileInput = Blob | File | Uint8Array | ArrayBuffer;

/** One part of a multipart body. */
export interface MultipartField {
  /** The part name (`Content-Disposition: form-data; name="..."`). */
  name: string;
  /** A string (sent as UTF-8, unchanged) or binary content. */
  value: string | FileInput;
  /**
   * The part's `Content-Type`. For a string or a non-`File` binary value without `filename`,
   * setting it produces a part with `Content-Type` and NO `filename` (the JSON `metadata` part).
   */
  contentType?: string;
  /**
   * The part's `filename`. Binary values without it become file parts named after
   * `File.name`, or the field name, unless `contentType` is set (see above).
   */
  filename?: string;
}

/** Options of {@link encodeMultipart}. */
export interface EncodeMultipartOptions {
  /**
   * A fixed boundary, for reproducible output (tests, golden files). 1-70 characters from the
   * RFC 2046 `bchars` set, not ending with a space. Random by default. It must not occur in any
   * part's content; a random boundary makes that practically certain.
   */
  boundary?: string;
}

/** An encoded multipart body that can be read any number of times. */
export interface MultipartBody {
  /** The boundary. */
  readonly boundary: string;
  /** `multipart/form-data; boundary=...`: the exact `Content-Type` header to send. */
  readonly contentType: string;
  /** Exact size of the body in bytes (the `Content-Length`). */
  readonly contentLength: number;
  /** The body as one composed Blob (file-backed parts are not loaded). Same Blob every call. */
  blob(): Blob;
  /** A fresh stream of the body's bytes. */
  stream(): ReadableStream<Uint8Array>;
  /** All the bytes in memory. Avoid for large file-backed bodies. */
  bytes(): Promise<Uint8Array>;
}

/**
 * Bodies up to this size are read into memory once (and cached) so they can be hashed and sent
 * in one piece; larger ones are always streamed.
 *
 * @internal
 */
export const SMALL_BODY_BYTES = 64 * 1024;

type Segment = Uint8Array | Blob;

const encoder = new TextEncoder();

/** Casts a Uint8Array for `new Blob([...])` (TS 5.9 types Blob parts as ArrayBuffer-backed). */
export function blobPart(bytes: Uint8Array): BlobPart {
  return bytes as Uint8Array<ArrayBuffer>;
}

function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

// The segments in one buffer of the body's size; Blobs are read one after the other, straight into
// place (no intermediate list of parts and no second copy).
async function readSegments(segments: readonly Segment[], size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const segment of segments) {
    const bytes = segment instanceof Blob ? new Uint8Array(await segment.arrayBuffer()) : segment;
    // A part whose content no longer has the size it was encoded with (a Blob subclass, or a
    // file-backed Blob of a runtime that does not reject reads of a changed file as Node does).
    if (offset + bytes.byteLength > size) throw new RangeError('a multipart part is larger than when the body was encoded');
    out.set(bytes, offset);
    offset += bytes.byteLength;
  }
  if (offset !== size) throw new RangeError('a multipart part is smaller than when the body was encoded');
  return out;
}

// The body each composed Blob was made for: a Request built from the Blob is signed and sent
// from the body's parts (streamed, exact length) rather than by reading the Request.
const blobOwners = new WeakMap<Blob, MultipartBody>();

/**
 * The multipart body whose {@link MultipartBody.blob} is `blob`, if any.
 *
 * @internal
 */
export function multipartOfBlob(blob: Blob): MultipartBody | undefined {
  return blobOwners.get(blob);
}

class EncodedMultipartBody implements MultipartBody {
  readonly boundary: string;
  readonly contentType: string;
  readonly contentLength: number;
  readonly #segments: readonly Segment[];
  #blob: Blob | undefined;
  #small: Uint8Array | Promise<Uint8Array> | undefined;

  constructor(boundary: string, segments: readonly Segment[], size: number) {
    this.boundary = boundary;
    this.contentType = `multipart/form-data; boundary=${quoteBoundary(boundary)}`;
    this.contentLength = size;
    this.#segments = segments;
  }

  blob(): Blob {
    if (this.#blob === undefined) {
      // No `type`: Blob lowercases it, which would corrupt a mixed-case boundary.
      this.#blob = new Blob(this.#segments.map((s) => (s instanceof Blob ? s : blobPart(s))));
      blobOwners.set(this.#blob, this);
    }
    return this.#blob;
  }

  stream(): ReadableStream<Uint8Array> {
    return this.blob().stream();
  }

  async bytes(): Promise<Uint8Array> {
    if (this.contentLength <= SMALL_BODY_BYTES) return (await readSmallBody(this))!;
    return new Uint8Array(await this.blob().arrayBuffer());
  }

  static segmentsOf(body: MultipartBody): readonly Segment[] | undefined {
    return body instanceof EncodedMultipartBody ? body.#segments : undefined;
  }

  // Reads (once) a small body into one buffer; the cached bytes serve both the hash and the send.
  static small(body: EncodedMultipartBody): Uint8Array | Promise<Uint8Array> {
    if (body.#small !== undefined) return body.#small;
    const segments = body.#segments;
    if (segments.every((s) => !(s instanceof Blob))) {
      body.#small = concatBytes(segments as Uint8Array[], body.contentLength);
      return body.#small;
    }
    const pending = readSegments(segments, body.contentLength).then((bytes) => {
      body.#small = bytes;
      return bytes;
    });
    // A failed read (e.g. a deleted file) must not be cached.
    pending.catch(() => {
      if (body.#small === pending) body.#small = undefined;
    });
    body.#small = pending;
    return pending;
  }

  /** @internal */
  toJSON(): Record<string, unknown> {
    return { boundary: this.boundary, contentType: this.contentType, contentLength: this.contentLength };
  }
}

/**
 * The parts of a body built by {@link encodeMultipart}, in order (bytes runs and Blobs), or
 * `undefined` for another implementation of {@link MultipartBody}.
 *
 * @internal
 */
export function multipartSegments(body: MultipartBody): readonly Segment[] | undefined {
  return EncodedMultipartBody.segmentsOf(body);
}

/**
 * For a body of at most `SMALL_BODY_BYTES`: its bytes (synchronously when every part is
 * already in memory), read once and cached. `undefined` for larger bodies.
 *
 * @internal
 */
export function readSmallBody(body: MultipartBody): Uint8Array | Promise<Uint8Array> | undefined {
  if (body.contentLength > SMALL_BODY_BYTES) return undefined;
  if (body instanceof EncodedMultipartBody) return EncodedMultipartBody.small(body);
  return body.bytes();
}

/** True if `value` looks like a {@link MultipartBody} (from this or another copy of the runtime). */
export function isMultipartBody(value: unknown): value is MultipartBody {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<MultipartBody>;
  return typeof v.boundary === 'string' && typeof v.contentType === 'string' && typeof v.blob === 'function';
}

// RFC 2046 section 5.1.1: bchars, 1-70 of them, not ending in a space.
const BOUNDARY_RE = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** Checks an injected boundary; throws {@link EmbedConfigError} naming the RFC 2046 rule. */
export function validateBoundary(boundary: string): void {
  if (typeof boundary !== 'string' || !BOUNDARY_RE.test(boundary)) {
    throw new EmbedConfigError(
      'multipart boundary must be 1-70 characters from the RFC 2046 set [0-9A-Za-z\'()+_,-./:=? ] and must not end with a space',
      { option: 'boundary' },
    );
  }
}

// Boundaries with characters outside the RFC 9110 token set must be quoted in Content-Type.
function quoteBoundary(boundary: string): string {
  return /^[0-9A-Za-z'+_\-.]+$/.test(boundary) ? boundary : `"${boundary}"`;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
// One getRandomValues call per 64 boundaries: the call itself costs ~4 us, more than the rest of
// encoding a small body's headers.
let randomPool = new Uint8Array(0);
let randomOffset = 0;

/** A random boundary: `embedkit-` + 32 hex digits (128 bits from crypto.getRandomValues). */
export function randomBoundary(): string {
  if (randomOffset + 16 > randomPool.length) {
    randomPool = globalThis.crypto.getRandomValues(new Uint8Array(1024));
    randomOffset = 0;
  }
  let hex = 'embedkit-';
  for (let i = randomOffset; i < randomOffset + 16; i++) hex += HEX[randomPool[i]!];
  randomOffset += 16;
  return hex;
}

/**
 * Escapes a part name or filename for `Content-Disposition` per the WHATWG HTML
 * multipart/form-data rules: `"` becomes `%22`, CR `%0D`, LF `%0A`.
 */
export function escapeDispositionValue(value: string): string {
  return value.replace(/["\r\n]/g, (c) => (c === '"' ? '%22' : c === '\r' ? '%0D' : '%0A'));
}

function isFile(value: Blob): value is File {
  return typeof (value as Partial<File>).name === 'string';
}

function checkHeaderValue(value: unknown, option: string): void {
  if (typeof value !== 'string' || /[\r\n\0]/.test(value) || !isWellFormed(value)) {
    throw new EmbedConfigError(`${option} must be a string without CR, LF, NUL or lone surrogates`, { option });
  }
}

// Text is sent as UTF-8: a lone surrogate would silently become U+FFFD, so it is refused.
function checkText(value: string, option: string): void {
  if (!isWellFormed(value)) throw new EmbedConfigError(`${option} must be well-formed Unicode (no lone surrogates)`, { option });
}

// Uint8Array values up to this size are copied into the surrounding header run (fewer segments,
// fewer writes); bigger ones are kept by reference to avoid copying large buffers.
const INLINE_BYTES = 16 * 1024;

/**
 * Encodes fields as `multipart/form-data`, deterministically: parts in the given order, exact
 * header layout, and (with a fixed `boundary`) the same bytes for the same input.
 *
 * Part headers:
 * - a string value: `Content-Disposition: form-data; name="..."`, plus `Content-Type` only if
 *   `contentType` is given (the JSON `metadata` part: `contentType: 'application/json'`, no
 *   filename);
 * - a `File`: `filename` from `filename` or `File.name`, `Content-Type` from `contentType`, the
 *   file's type, or `application/octet-stream`;
 * - another binary value (Blob, Uint8Array, ArrayBuffer): a file part as above (filename
 *   defaults to the field name), except when it has `contentType` but no `filename`, which gives
 *   a `Content-Type` part without filename.
 *
 * String values are sent as their UTF-8 bytes with no line-break normalization, so signed bytes
 * are exactly the given text. Names and filenames are escaped with
 * the WHATWG rules (`"` as `%22`, CR and LF as `%0D`, `%0A`). Do not mutate a Uint8Array after passing it in.
 *
 * @example
 * ```ts
 * import { encodeMultipart } from '@embedkit/runtime';
 * import { fileFromPath } from '@embedkit/runtime/node';
 *
 * const body = encodeMultipart([
 *   { name: 'type', value: 'identity_document' },
 *   { name: 'metadata', value: JSON.stringify(metadata), contentType: 'application/json' },
 *   { name: 'front', value: await fileFromPath('./passport-front.jpg', { type: 'image/jpeg' }) },
 * ]);
 * body.contentType; // 'multipart/form-data; boundary=embedkit-…'
 * body.contentLength; // exact byte count, known before sending
 * ```
 */
export function encodeMultipart(fields: readonly MultipartField[], options?: EncodeMultipartOptions): MultipartBody {
  try {
    return encode(fields, options);
  } catch (error) {
    throw asEmbedError(error, 'encodeMultipart: the fields cannot be encoded', 'fields');
  }
}

function encode(fields: readonly MultipartField[], options?: EncodeMultipartOptions): MultipartBody {
  if (!Array.isArray(fields)) throw new EmbedConfigError('fields must be an array of MultipartField', { option: 'fields' });
  let boundary: string;
  if (options?.boundary !== undefined) {
    validateBoundary(options.boundary);
    boundary = options.boundary;
  } else {
    boundary = randomBoundary();
  }

  // Consecutive text (part headers, string values, CRLFs) is accumulated as one string and
  // encoded once; binary values split the run.
  const segments: Segment[] = [];
  let run: Uint8Array[] = [];
  let runSize = 0;
  let text = '';
  let size = 0;
  const flushText = (): void => {
    if (text === '') return;
    const bytes = encoder.encode(text);
    text = '';
    run.push(bytes);
    runSize += bytes.byteLength;
    size += bytes.byteLength;
  };
  const pushBytes = (bytes: Uint8Array): void => {
    flushText();
    run.push(bytes);
    runSize += bytes.byteLength;
    size += bytes.byteLength;
  };
  const flushRun = (): void => {
    flushText();
    if (run.length > 0) segments.push(concatBytes(run, runSize));
    run = [];
    runSize = 0;
  };
  const pushSegment = (segment: Segment): void => {
    flushRun();
    segments.push(segment);
    size += segment instanceof Blob ? segment.size : segment.byteLength;
  };

  const dashBoundary = `--${boundary}`;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (field === null || typeof field !== 'object' || typeof field.name !== 'string') {
      throw new EmbedConfigError(`fields[${i}] must be an object with a string name`, { option: `fields[${i}]` });
    }
    const { name, value, contentType, filename } = field;
    checkText(name, `fields[${i}].name`);
    if (contentType !== undefined) checkHeaderValue(contentType, `fields[${i}].contentType`);
    if (filename !== undefined) {
      if (typeof filename !== 'string') throw new EmbedConfigError(`fields[${i}].filename must be a string`, { option: `fields[${i}].filename` });
      checkText(filename, `fields[${i}].filename`);
    }

    let header = `${dashBoundary}\r\nContent-Disposition: form-data; name="${escapeDispositionValue(name)}"`;
    if (typeof value === 'string') {
      checkText(value, `fields[${i}].value`);
      if (filename !== undefined) header += `; filename="${escapeDispositionValue(filename)}"`;
      if (contentType !== undefined) header += `\r\nContent-Type: ${contentType}`;
      text += `${header}\r\n\r\n${value}\r\n`;
      continue;
    }
    let content: Uint8Array | Blob;
    if (value instanceof Blob) content = value;
    else if (value instanceof Uint8Array) content = value;
    else if (value instanceof ArrayBuffer) content = new Uint8Array(value);
    else {
      throw new EmbedConfigError(`fields[${i}].value must be a string, Blob, File, Uint8Array or ArrayBuffer`, {
        option: `fields[${i}].value`,
      });
    }
    const file = content instanceof Blob && isFile(content) ? content : undefined;
    if (filename !== undefined || file !== undefined || contentType === undefined) {
      const fname = filename ?? (file !== undefined && file.name !== '' ? file.name : name);
      checkText(fname, `fields[${i}] filename`);
      const blobType = content instanceof Blob ? content.type : '';
      const type = contentType ?? (blobType !== '' ? blobType : 'application/octet-stream');
      checkHeaderValue(type, `fields[${i}] content type`);
      header += `; filename="${escapeDispositionValue(fname)}"\r\nContent-Type: ${type}`;
    } else {
      header += `\r\nContent-Type: ${contentType}`;
    }
    text += `${header}\r\n\r\n`;
    if (content instanceof Blob) pushSegment(content);
    else if (content.byteLength <= INLINE_BYTES) pushBytes(content);
    else pushSegment(content);
    text += '\r\n';
  }
  text += `${dashBoundary}--\r\n`;
  flushRun();
  return new EncodedMultipartBody(boundary, segments, size);
}
