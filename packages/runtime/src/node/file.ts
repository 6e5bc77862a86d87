/**
 * Lazy, file-backed `File` objects for uploads.
 *
 * @module
 */
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';

/** Options of {@link fileFromPath}. */
export interface FileFromPathOptions {
  /** Media type, e.g. `image/jpeg` (becomes the part's `Content-Type`). Default: none (`application/octet-stream` when sent). */
  type?: string;
  /** Filename sent in the part header. Default: the path's basename. */
  filename?: string;
}

/**
 * A `File` backed by a file on disk (`fs.openAsBlob`): nothing is read until the body is hashed
 * or sent, and then it is streamed, so uploads of any size use little memory. The file must
 * not change until the request completes (reading a modified file fails).
 *
 * @example
 * ```ts
 * import { fileFromPath } from '@embedkit/runtime/node';
 * const front = await fileFromPath('./scans/front.jpg', { type: 'image/jpeg' });
 * front.name; // 'front.jpg'
 * ```
 */
export async function fileFromPath(path: string, options: FileFromPathOptions = {}): Promise<File> {
  const type = options.type ?? '';
  const blob = await openAsBlob(path, { type });
  // Wrapping a Blob in a File references it; the bytes stay on disk.
  return new File([blob], options.filename ?? basename(path), { type });
}
