/**
 * Streaming multipart intake: every raw body byte goes to the signature hash and to busboy as it
 * arrives, so the request is never held in memory; file parts are hashed (and optionally written
 * to disk) as they stream. Limits stop the upload as soon as they are crossed.
 */
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { type SandboxHttpError, tooLarge } from './errors.js';
import type { SandboxLimits } from './options.js';
import type { BodySpec } from './spec.js';
import type { RecordedFile } from './store.js';

/** A file part received in full, before the request is accepted. */
export interface ReceivedFile extends RecordedFile {
  /** The temporary file holding the bytes, when files are stored. */
  tempPath?: string;
}

/** What the intake produced. */
export type MultipartOutcome =
  /** The body was read in full; `problems` are spec violations to report (after authentication). */
  | { kind: 'complete'; fields: Map<string, string>; files: Map<string, ReceivedFile>; problems: string[] }
  /** A limit was crossed: answer now, without reading the rest. */
  | { kind: 'fatal'; error: SandboxHttpError; tempPaths: string[] }
  /** The client went away. */
  | { kind: 'aborted'; tempPaths: string[] };

const quote = (name: string | undefined) => (name === undefined ? '(unnamed part)' : JSON.stringify(name.slice(0, 64)));

/** Deletes temporary files, ignoring errors. */
export async function removeTempFiles(paths: Iterable<string>): Promise<void> {
  await Promise.all([...paths].map((path) => rm(path, { force: true }).catch(() => undefined)));
}

async function consumeFile(stream: Readable, tempPath: string | undefined): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const out = tempPath === undefined ? undefined : createWriteStream(tempPath, { flags: 'wx' });
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      hash.update(buffer);
      size += buffer.length;
      if (out && !out.write(buffer)) await once(out, 'drain');
    }
    if (out) {
      await new Promise<void>((resolve, reject) => {
        out.end((error?: Error | null) => (error ? reject(error) : resolve()));
      });
    }
  } catch (error) {
    out?.destroy();
    // The request may already have been answered and its temp files removed: remove this one
    // again, in case it was created after that.
    if (tempPath !== undefined) await rm(tempPath, { force: true }).catch(() => undefined);
    throw error;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Media type of a `Content-Type` header, lower-cased, without parameters. */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Reads a multipart body: feeds each chunk to `hash` and to busboy, checks every part against the
 * operation's part layout and the limits, and hashes the file parts.
 */
export function readMultipart(
  req: IncomingMessage,
  hash: Hash,
  body: BodySpec,
  limits: SandboxLimits,
  incomingDir: string | undefined,
): Promise<MultipartOutcome> {
  const fields = new Map<string, string>();
  const files = new Map<string, ReceivedFile>();
  const problems: string[] = [];
  const tempPaths: string[] = [];
  const seen = new Set<string>();

  let parser: busboy.Busboy | undefined;
  if (mediaTypeOf(req.headers['content-type']) !== 'multipart/form-data') {
    problems.push('Content-Type must be multipart/form-data with a boundary');
  } else {
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        // busboy treats reaching a limit as crossing it, hence the + 1: a part of exactly
        // `fileSize` bytes, or exactly `parts` parts, is allowed.
        limits: {
          fileSize: limits.fileSize + 1,
          fieldSize: limits.fieldSize + 1,
          parts: limits.parts + 1,
          fieldNameSize: 200,
        },
      });
    } catch (error) {
      problems.push(`Content-Type must be multipart/form-data with a boundary (${(error as Error).message})`);
    }
  }

  return new Promise<MultipartOutcome>((resolve) => {
    let settled = false;
    let total = 0;
    let requestEnded = false;
    let parserDone = parser === undefined;
    let pendingFiles = 0;
    let parserAlive = parser !== undefined;

    const settle = (outcome: MultipartOutcome) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(outcome);
    };
    const maybeComplete = () => {
      if (requestEnded && parserDone && pendingFiles === 0) settle({ kind: 'complete', fields, files, problems });
    };
    const stopParser = () => {
      if (!parserAlive) return;
      parserAlive = false;
      parserDone = true;
      // Deferred: busboy emits events (such as 'limit') from inside its parser callbacks and keeps
      // using its state afterwards, so destroying it synchronously there would crash it.
      setImmediate(() => parser?.destroy());
      // The parser may have paused the request for backpressure; keep the bytes flowing to the hash.
      if (!settled) req.resume();
    };
    const fatal = (error: SandboxHttpError) => {
      stopParser();
      settle({ kind: 'fatal', error, tempPaths });
    };

    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limits.totalSize) {
        fatal(tooLarge(`the body is larger than limits.totalSize (${limits.totalSize} bytes)`));
        return;
      }
      hash.update(chunk);
      if (parserAlive && !parser!.write(chunk)) {
        req.pause();
        parser!.once('drain', () => req.resume());
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      requestEnded = true;
      if (parserAlive) parser!.end();
      maybeComplete();
    });
    req.once('close', () => {
      if (!requestEnded) {
        stopParser();
        settle({ kind: 'aborted', tempPaths });
      }
    });

    if (!parser) return;
    parser.on('error', (error: Error) => {
      if (parserAlive) problems.push(`malformed multipart body (${error.message})`);
      stopParser();
      maybeComplete();
    });
    parser.once('close', () => {
      parserDone = true;
      maybeComplete();
    });
    parser.on('partsLimit', () => fatal(tooLarge(`the form has more than limits.parts (${limits.parts}) parts`)));

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        fatal(tooLarge(`part ${quote(name)} is larger than limits.fieldSize (${limits.fieldSize} bytes)`));
        return;
      }
      if (info.nameTruncated || name === undefined || !body.allParts.has(name)) {
        problems.push(`unknown part ${quote(name)}`);
        return;
      }
      if (seen.has(name)) {
        problems.push(`duplicate part ${quote(name)}`);
        return;
      }
      seen.add(name);
      if (body.fileParts.has(name)) {
        problems.push(`${name} must be a file part (with a filename)`);
        return;
      }
      // The spec's encoding says application/json; Kraken's own curl example sends the JSON as a
      // plain text field (no Content-Type, which busboy reports as text/plain). Accept both.
      if (body.jsonParts.has(name) && info.mimeType !== 'application/json' && info.mimeType !== 'text/plain') {
        problems.push(`${name} must be a JSON part (Content-Type: application/json)`);
        return;
      }
      fields.set(name, value);
    });

    parser.on('file', (name, stream, info) => {
      // Attach the error listener first: busboy destroys the stream with an error on a truncated body.
      stream.on('error', () => undefined);
      const reject = (problem: string) => {
        problems.push(problem);
        stream.resume();
      };
      if (name === undefined || !body.allParts.has(name)) return reject(`unknown part ${quote(name)}`);
      if (seen.has(name)) return reject(`duplicate part ${quote(name)}`);
      seen.add(name);
      if (!body.fileParts.has(name)) return reject(`${name} must be a form field, not a file (no filename)`);

      stream.once('limit', () =>
        fatal(tooLarge(`file part ${quote(name)} is larger than limits.fileSize (${limits.fileSize} bytes)`)),
      );
      const tempPath = incomingDir === undefined ? undefined : join(incomingDir, `${randomUUID()}.part`);
      if (tempPath !== undefined) tempPaths.push(tempPath);
      pendingFiles++;
      consumeFile(stream, tempPath).then(
        ({ size, sha256 }) => {
          if (size === 0) problems.push(`${name} must not be empty`);
          const file: ReceivedFile = {
            part: name,
            filename: info.filename ?? null,
            contentType: info.mimeType,
            size,
            sha256,
          };
          if (tempPath !== undefined) file.tempPath = tempPath;
          files.set(name, file);
          pendingFiles--;
          maybeComplete();
        },
        () => {
          // The parser reports the cause (truncated body, limit); nothing to add here.
          pendingFiles--;
          maybeComplete();
        },
      );
    });
  });
}
