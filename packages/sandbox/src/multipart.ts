/**
 * Streaming, strict `multipart/form-data` intake (RFC 7578 on RFC 2046's multipart syntax). Every
 * raw body byte goes to the signature hash and to the parser as it arrives, so the request is never
 * held in memory; file parts are hashed (and optionally written to disk) as they stream. Limits
 * stop the upload as soon as they are crossed.
 *
 * The delimiter search is streamsearch's (the Boyer-Moore-Horspool search busboy is built on); the
 * rest is written here so the sandbox sees each text part's raw bytes (to reject text that is not
 * well-formed UTF-8, which a decoding parser would have replaced with U+FFFD) and can reject what
 * RFC 7578 forbids instead of skipping it: a part without `Content-Disposition: form-data; name=…`,
 * a `filename*` parameter, a transfer encoding, a non-UTF-8 charset.
 */
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import StreamSearch from 'streamsearch';
import { SandboxHttpError, tooLarge } from './errors.js';
import type { SandboxLimits } from './options.js';
import type { BodySpec } from './spec.js';
import type { RecordedFile } from './store.js';
import { decodeUtf8 } from './text.js';

/** A file part received in full, before the request is accepted. */
export interface ReceivedFile extends RecordedFile {
  /** The temporary file holding the bytes, when files are stored. */
  tempPath?: string;
}

/** What the intake produced. */
export type MultipartOutcome =
  /** The body was read in full; `problems` are violations to report (after authentication). */
  | { kind: 'complete'; fields: Map<string, string>; files: Map<string, ReceivedFile>; problems: string[]; tempPaths: string[] }
  /** A limit was crossed: answer now, without reading the rest. */
  | { kind: 'fatal'; error: SandboxHttpError; tempPaths: string[] }
  /** The client went away. */
  | { kind: 'aborted'; tempPaths: string[] };

/** Largest header block of one part (its header lines), in bytes. */
export const PART_HEADER_LIMIT = 16 * 1024;
/** Largest transport padding (spaces and tabs) accepted after a boundary delimiter. */
const PADDING_LIMIT = 256;

const quote = (name: string | undefined) => (name === undefined ? '(unnamed part)' : JSON.stringify(name.slice(0, 64)));

/** Deletes temporary files, ignoring errors. */
export async function removeTempFiles(paths: Iterable<string>): Promise<void> {
  await Promise.all([...paths].map((path) => rm(path, { force: true }).catch(() => undefined)));
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parses a parameterized header value (RFC 9110 5.6.6): `head *( OWS ";" OWS [ name "=" value ] )`,
 * value a token or a quoted-string. Parameter names are lower-cased; a repeated parameter is an error.
 * @param text - The header value, one character per byte (latin1), so obs-text survives as is.
 * @returns The lower-cased head and the parameters, or an error message.
 */
export function parseParameterized(
  text: string,
  head: 'token' | 'media-type',
): { head: string; params: Map<string, string> } | { error: string } {
  let i = 0;
  const skipOws = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  const token = () => {
    const start = i;
    while (i < text.length && TOKEN_CHAR.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  skipOws();
  let value = token();
  if (value === '') return { error: `missing ${head === 'token' ? 'type' : 'media type'}` };
  if (head === 'media-type') {
    if (text[i] !== '/') return { error: 'the media type must be type/subtype' };
    i++;
    const subtype = token();
    if (subtype === '') return { error: 'the media type must be type/subtype' };
    value += `/${subtype}`;
  }
  const params = new Map<string, string>();
  for (;;) {
    skipOws();
    if (i === text.length) break;
    if (text[i] !== ';') return { error: `unexpected ${JSON.stringify(text[i])} after ${JSON.stringify(value)}` };
    i++;
    skipOws();
    if (i === text.length || text[i] === ';') continue;
    const name = token().toLowerCase();
    if (name === '' || text[i] !== '=') return { error: 'a parameter must be name=value' };
    i++;
    let paramValue = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return { error: `unterminated quoted string in parameter ${name}` };
        const c = text.charCodeAt(i);
        if (c === 0x22) break;
        if (c === 0x5c) {
          i++;
          const next = text.charCodeAt(i);
          if (i >= text.length || (next < 0x20 && next !== 0x09) || next === 0x7f) return { error: `bad escape in parameter ${name}` };
        } else if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
          return { error: `control character in parameter ${name}` };
        }
        paramValue += text[i];
        i++;
      }
      i++;
    } else {
      paramValue = token();
      if (paramValue === '') return { error: `parameter ${name} has no value` };
    }
    if (params.has(name)) return { error: `parameter ${name} is repeated` };
    params.set(name, paramValue);
  }
  return { head: value.toLowerCase(), params };
}

/** RFC 2046 5.1.1: 1-70 characters from bchars, not ending with a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** The boundary of a `multipart/form-data` request, or why there is none. */
export function boundaryOf(contentType: string | undefined): { boundary: string } | { error: string } {
  const parsed = parseParameterized(contentType ?? '', 'media-type');
  if ('error' in parsed) return { error: `Content-Type must be multipart/form-data with a boundary (${parsed.error})` };
  if (parsed.head !== 'multipart/form-data') return { error: 'Content-Type must be multipart/form-data with a boundary' };
  const boundary = parsed.params.get('boundary');
  if (boundary === undefined) return { error: 'Content-Type must be multipart/form-data with a boundary (no boundary parameter)' };
  if (!BOUNDARY.test(boundary)) {
    return { error: 'Content-Type must be multipart/form-data with a boundary (the boundary must be 1-70 characters allowed by RFC 2046)' };
  }
  return { boundary };
}

/** One part's header block, as RFC 7578 wants it. */
interface PartHead {
  name: string;
  filename: string | undefined;
  mediaType: string;
  charset: string | undefined;
}

/** Parses a part's header block (latin1 text, lines without their CRLF): the part, or a problem. */
function parsePartHeaders(block: string): PartHead | { problem: string } {
  const malformed = (why: string) => ({ problem: `malformed multipart body (${why})` });
  const seen = new Map<string, string>();
  for (const line of block === '' ? [] : block.split('\r\n')) {
    if (/[\r\n\0]/.test(line)) return malformed('a part header contains CR, LF or NUL');
    if (line.startsWith(' ') || line.startsWith('\t')) return malformed('folded part header lines are not allowed');
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon);
    if (!TOKEN.test(name)) return malformed('a part header line must be name: value');
    const lower = name.toLowerCase();
    if (seen.has(lower)) return malformed(`the part header ${name} is repeated`);
    seen.set(lower, line.slice(colon + 1).trim());
  }
  const disposition = seen.get('content-disposition');
  if (disposition === undefined) return malformed('a part has no Content-Disposition header');
  const parsed = parseParameterized(disposition, 'token');
  if ('error' in parsed) return malformed(`bad Content-Disposition: ${parsed.error}`);
  if (parsed.head !== 'form-data') return malformed('a part\'s Content-Disposition must be "form-data"');
  const rawName = parsed.params.get('name');
  if (rawName === undefined) return malformed('a part\'s Content-Disposition has no name parameter');
  const name = decodeUtf8(Buffer.from(rawName, 'latin1'));
  if (name === undefined) return { problem: 'a part name is not valid UTF-8' };
  if (parsed.params.has('filename*')) return { problem: `part ${quote(name)}: the filename* parameter is not allowed in multipart/form-data (RFC 7578 4.2)` };
  const rawFilename = parsed.params.get('filename');
  const filename = rawFilename === undefined ? undefined : decodeUtf8(Buffer.from(rawFilename, 'latin1'));
  if (rawFilename !== undefined && filename === undefined) return { problem: `part ${quote(name)}: the filename is not valid UTF-8` };

  let mediaType = 'text/plain';
  let charset: string | undefined;
  const contentType = seen.get('content-type');
  if (contentType !== undefined) {
    const type = parseParameterized(contentType, 'media-type');
    if ('error' in type) return { problem: `part ${quote(name)}: bad Content-Type (${type.error})` };
    mediaType = type.head;
    charset = type.params.get('charset');
  }
  const encoding = seen.get('content-transfer-encoding')?.toLowerCase();
  if (encoding !== undefined && encoding !== '7bit' && encoding !== '8bit' && encoding !== 'binary') {
    return { problem: `part ${quote(name)}: Content-Transfer-Encoding ${JSON.stringify(encoding.slice(0, 32))} is not supported (RFC 7578 4.7)` };
  }
  return { name, filename, mediaType, charset };
}

/** Where the content of the current part goes. */
type Sink =
  | { kind: 'skip' }
  | { kind: 'field'; name: string; charset: string | undefined; chunks: Buffer[]; size: number }
  | { kind: 'file'; file: ReceivedFile; hash: Hash; out: WriteStream | undefined };

/**
 * Reads a multipart body: feeds each chunk to `hash` and to the parser, checks every part against
 * the operation's part layout and the limits, decodes text parts as strict UTF-8 and hashes the
 * file parts.
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
  const writes: Promise<void>[] = [];

  const contentType = boundaryOf(req.headers['content-type']);
  if ('error' in contentType) problems.push(contentType.error);

  return new Promise<MultipartOutcome>((resolve) => {
    let settled = false;
    let total = 0;
    let parts = 0;
    /** preamble -> delimiter -> headers -> content -> delimiter ... -> epilogue; failed stops parsing. */
    let state: 'preamble' | 'delimiter' | 'headers' | 'content' | 'epilogue' | 'failed' = 'preamble';
    let delimiterTail = '';
    let headerBytes: Buffer[] = [];
    let headerSize = 0;
    let sink: Sink = { kind: 'skip' };

    const settle = (outcome: MultipartOutcome) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(outcome);
    };
    /** Stops writing the current file part (its temporary file is removed with the others). */
    const discard = () => {
      if (sink.kind !== 'file' || !sink.out) return;
      const { out, file } = sink;
      // The file may be created after the request's temporary files were removed: remove it again.
      out.once('close', () => void removeTempFiles(file.tempPath === undefined ? [] : [file.tempPath]));
      out.destroy();
    };
    const fatal = (error: SandboxHttpError) => {
      state = 'failed';
      discard();
      sink = { kind: 'skip' };
      settle({ kind: 'fatal', error, tempPaths });
    };
    const fail = (problem: string) => {
      discard();
      sink = { kind: 'skip' };
      problems.push(problem);
      state = 'failed';
    };

    const startPart = (head: PartHead) => {
      const { name } = head;
      const isFile = head.filename !== undefined || head.mediaType === 'application/octet-stream';
      const reject = (problem: string) => {
        problems.push(problem);
        sink = { kind: 'skip' };
      };
      if (!body.allParts.has(name)) return reject(`unknown part ${quote(name)}`);
      if (seen.has(name)) return reject(`duplicate part ${quote(name)}`);
      seen.add(name);
      if (isFile) {
        if (!body.fileParts.has(name)) return reject(`${name} must be a form field, not a file (no filename)`);
        const file: ReceivedFile = { part: name, filename: head.filename ?? null, contentType: head.mediaType, size: 0, sha256: '' };
        let out: WriteStream | undefined;
        if (incomingDir !== undefined) {
          file.tempPath = join(incomingDir, `${randomUUID()}.part`);
          tempPaths.push(file.tempPath);
          out = createWriteStream(file.tempPath, { flags: 'wx' });
          out.on('error', () => undefined);
        }
        sink = { kind: 'file', file, hash: createHash('sha256'), out };
        return;
      }
      if (body.fileParts.has(name)) return reject(`${name} must be a file part (with a filename)`);
      // The spec's encoding says application/json; Kraken's own curl example sends the JSON as a
      // plain text field (no Content-Type, which RFC 7578 reads as text/plain). Accept both.
      if (body.jsonParts.has(name) && head.mediaType !== 'application/json' && head.mediaType !== 'text/plain') {
        return reject(`${name} must be a JSON part (Content-Type: application/json)`);
      }
      sink = { kind: 'field', name, charset: head.charset, chunks: [], size: 0 };
    };

    const endPart = () => {
      if (sink.kind === 'field') {
        const { name, charset } = sink;
        if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
          problems.push(`${name} must be UTF-8 text (got charset ${JSON.stringify(charset.slice(0, 32))})`);
        } else {
          const text = decodeUtf8(Buffer.concat(sink.chunks, sink.size));
          if (text === undefined) problems.push(`${name} is not valid UTF-8`);
          else fields.set(name, text);
        }
      } else if (sink.kind === 'file') {
        const { file, out } = sink;
        file.sha256 = sink.hash.digest('hex');
        if (file.size === 0) problems.push(`${file.part} must not be empty`);
        files.set(file.part, file);
        if (out) writes.push(new Promise<void>((done, failed) => out.end((error?: Error | null) => (error ? failed(error) : done()))));
      }
      sink = { kind: 'skip' };
    };

    /** Content bytes of the current part. */
    const content = (data: Buffer, safe: boolean) => {
      if (data.length === 0) return;
      if (sink.kind === 'field') {
        sink.size += data.length;
        if (sink.size > limits.fieldSize) {
          fatal(tooLarge(`part ${quote(sink.name)} is larger than limits.fieldSize (${limits.fieldSize} bytes)`));
          return;
        }
        sink.chunks.push(safe ? data : Buffer.from(data));
      } else if (sink.kind === 'file') {
        const { file } = sink;
        file.size += data.length;
        if (file.size > limits.fileSize) {
          fatal(tooLarge(`file part ${quote(file.part)} is larger than limits.fileSize (${limits.fileSize} bytes)`));
          return;
        }
        sink.hash.update(data);
        if (sink.out && !sink.out.write(safe ? data : Buffer.from(data))) {
          req.pause();
          sink.out.once('drain', () => req.resume());
        }
      }
    };

    /** Bytes between delimiters, dispatched by state. */
    const onBytes = (data: Buffer, safe: boolean) => {
      let rest = data;
      while (rest.length > 0 && !settled) {
        switch (state) {
          case 'preamble':
          case 'epilogue':
          case 'failed':
            return;
          case 'delimiter': {
            // After `--boundary`: `--` (the close delimiter), or transport padding then CRLF.
            delimiterTail += rest.toString('latin1');
            if (delimiterTail === '-') return;
            if (delimiterTail.startsWith('--')) {
              state = 'epilogue';
              return;
            }
            const crlf = delimiterTail.indexOf('\r\n');
            const padding = crlf < 0 ? delimiterTail : delimiterTail.slice(0, crlf);
            if (!(crlf < 0 ? /^[ \t]*\r?$/ : /^[ \t]*$/).test(padding) || padding.length > PADDING_LIMIT) {
              return fail('malformed multipart body (a boundary delimiter must end its line)');
            }
            if (crlf < 0) return;
            const after = Buffer.from(delimiterTail.slice(crlf + 2), 'latin1');
            delimiterTail = '';
            parts++;
            if (parts > limits.parts) {
              fatal(tooLarge(`the form has more than limits.parts (${limits.parts}) parts`));
              return;
            }
            state = 'headers';
            headerBytes = [];
            headerSize = 0;
            rest = after;
            break;
          }
          case 'headers': {
            headerBytes.push(Buffer.from(rest));
            headerSize += rest.length;
            const block = Buffer.concat(headerBytes, headerSize);
            // An empty header block is CRLF right away; otherwise the block ends at CRLF CRLF.
            const end = block.subarray(0, 2).toString('latin1') === '\r\n' ? 0 : block.indexOf('\r\n\r\n');
            if (end < 0) {
              if (headerSize > PART_HEADER_LIMIT) return fail(`malformed multipart body (part headers larger than ${PART_HEADER_LIMIT} bytes)`);
              return;
            }
            if (end > PART_HEADER_LIMIT) return fail(`malformed multipart body (part headers larger than ${PART_HEADER_LIMIT} bytes)`);
            const head = parsePartHeaders(block.subarray(0, end).toString('latin1'));
            if ('problem' in head) return fail(head.problem);
            startPart(head);
            state = 'content';
            rest = block.subarray(end === 0 ? 2 : end + 4);
            safe = true;
            break;
          }
          case 'content':
            content(rest, safe);
            return;
        }
      }
    };

    const onDelimiter = () => {
      if (state === 'preamble') state = 'delimiter';
      else if (state === 'content') {
        endPart();
        if (state === 'content') state = 'delimiter';
      } else if (state === 'delimiter' || state === 'headers') {
        fail('malformed multipart body (a part ends before its headers do)');
      }
    };

    const search =
      'boundary' in contentType
        ? new StreamSearch(`\r\n--${contentType.boundary}`, (isMatch, data, start, end, isDataSafe) => {
            if (data && end > start) onBytes(data.subarray(start, end), isDataSafe);
            if (isMatch && !settled) onDelimiter();
          })
        : undefined;
    // The first delimiter may open the body without a preceding CRLF.
    search?.push(Buffer.from('\r\n'));

    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limits.totalSize) {
        fatal(tooLarge(`the body is larger than limits.totalSize (${limits.totalSize} bytes)`));
        return;
      }
      hash.update(chunk);
      try {
        if (search && state !== 'epilogue' && state !== 'failed') search.push(chunk);
      } catch {
        // A bug here must not take the server down (a throw in a 'data' listener would): answer 500.
        fatal(new SandboxHttpError(500, 'EGeneral:Internal error'));
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      if (settled) return;
      try {
        search?.destroy();
      } catch {
        fatal(new SandboxHttpError(500, 'EGeneral:Internal error'));
        return;
      }
      if (search && state !== 'epilogue' && state !== 'failed') fail('malformed multipart body (Unexpected end of form)');
      discard();
      Promise.all(writes).then(
        () => settle({ kind: 'complete', fields, files, problems, tempPaths }),
        () => settle({ kind: 'fatal', error: new SandboxHttpError(500, 'EGeneral:Internal error'), tempPaths }),
      );
    });
    req.once('close', () => {
      if (!req.complete) {
        discard();
        settle({ kind: 'aborted', tempPaths });
      }
    });
  });
}
