/**
 * The sandbox HTTP server: routes from the spec, API-Sign/API-Nonce checks with the sandbox's own
 * code, streaming multipart intake, spec validation with Ajv, submissions, faults.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBodyHash, NonceTracker, parseNonce, signatureFromBodyDigest, signatureMatches } from './auth.js';
import { errorBody, invalidArguments, SandboxHttpError, tooLarge, unauthorized } from './errors.js';
import { FAULT_HEADER, type Fault, faultError, parseFaults } from './faults.js';
import { mediaTypeOf, readMultipart, removeTempFiles } from './multipart.js';
import {
  DEFAULT_API_VERSION,
  DEFAULT_LIMITS,
  DEFAULT_TIMEOUTS,
  type SandboxLimits,
  type SandboxOptions,
  type SandboxTimeouts,
} from './options.js';
import { type LoadedSpec, loadSpec, type OperationSpec } from './spec.js';
import { SandboxStore, type SubmissionRecord } from './store.js';

/** A running sandbox. */
export interface Sandbox {
  /** Base URL, e.g. `http://127.0.0.1:43121` (no trailing slash). */
  readonly url: string;
  /** The port the sandbox listens on. */
  readonly port: number;
  /** The API key it accepts. */
  readonly apiKey: string;
  /** The API secret (base64) it verifies signatures with. */
  readonly apiSecret: string;
  /** The Embed API version it serves. */
  readonly apiVersion: string;
  /** Accepted submissions, oldest first (live view). */
  readonly submissions: readonly SubmissionRecord[];
  /**
   * Queues faults for the next requests to Embed API routes.
   * @param fault - A fault, several faults for one request, or the header syntax (`"429;retry-after=1"`).
   * @param times - For how many consecutive requests (default 1).
   */
  injectFault(fault: Fault | readonly Fault[] | string, times?: number): void;
  /** Drops every queued fault. */
  clearFaults(): void;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** Paths of the sandbox's own endpoints, outside the Embed API. */
export const SANDBOX_PREFIX = '/_sandbox/';

type Sender = (status: number, payload: unknown, headers?: Record<string, string>) => void;

const JSON_TYPE = 'application/json; charset=utf-8';

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function sameKey(received: string, expected: string): boolean {
  const a = Buffer.from(received, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads (and hashes) a non-multipart body up to `max` bytes. */
function readSmallBody(
  req: IncomingMessage,
  hash: ReturnType<typeof createBodyHash>,
  max: number,
): Promise<{ kind: 'complete'; body: Buffer } | { kind: 'fatal'; error: SandboxHttpError } | { kind: 'aborted' }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (outcome: Parameters<typeof resolve>[0]) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        finish({ kind: 'fatal', error: tooLarge(`the body is larger than limits.jsonSize (${max} bytes)`) });
        return;
      }
      hash.update(chunk);
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ kind: 'complete', body: Buffer.concat(chunks, size) }));
    req.once('close', () => finish({ kind: 'aborted' }));
  });
}

/** Reads and discards a request body; resolves false if the client went away first. */
function drain(req: IncomingMessage): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    req.once('end', () => resolve(true));
    req.once('close', () => resolve(req.complete));
    req.resume();
  });
}

function clientErrorResponse(status: number, reason: string, error: string): string {
  const body = errorBody([error]);
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `Connection: close\r\n\r\n${body}`
  );
}

/**
 * Starts a sandbox Embed API server.
 * @example
 * ```ts
 * const sandbox = await startSandbox({ port: 0 });
 * // point a client at sandbox.url with sandbox.apiKey / sandbox.apiSecret
 * await sandbox.close();
 * ```
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const spec: LoadedSpec = loadSpec(
    options.specPath === undefined ? { apiVersion } : { apiVersion, specPath: options.specPath },
  );
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const timeouts: SandboxTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const apiKey = options.apiKey ?? `sandbox-${randomBytes(12).toString('hex')}`;
  const apiSecret = options.apiSecret ?? randomBytes(64).toString('base64');
  const nonces = new NonceTracker(options.nonceWindow ?? 0);
  const store = new SandboxStore();
  const logger = options.logger;
  const faultOptions = typeof options.faults === 'object' ? options.faults : { header: options.faults === true };
  const headerFaults = faultOptions.header === true;
  const faultQueue: Fault[][] = [];

  const toFaults = (fault: Fault | readonly Fault[] | string): Fault[] =>
    typeof fault === 'string' ? parseFaults(fault) : Array.isArray(fault) ? [...fault] : [fault as Fault];
  for (const entry of faultOptions.queue ?? []) faultQueue.push(toFaults(entry));

  const storeDir = options.storeFilesDir;
  const incomingDir = storeDir === undefined ? undefined : join(storeDir, '.incoming');
  if (incomingDir !== undefined) await mkdir(incomingDir, { recursive: true });

  /** Responses in flight per socket, so a protocol error can tell whether a status line was already sent. */
  const inFlight = new WeakMap<Socket, ServerResponse>();

  /** After an early answer, discard the rest of the body for a while, then close the connection. */
  const linger = (req: IncomingMessage) => {
    if (req.complete || req.destroyed) return;
    let discarded = 0;
    const timer = setTimeout(() => req.socket.destroy(), timeouts.linger);
    timer.unref();
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > limits.totalSize) req.socket.destroy();
    });
    req.once('end', () => clearTimeout(timer));
    req.once('close', () => clearTimeout(timer));
    req.resume();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, send: Sender): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && req.headers.host === undefined) {
      throw invalidArguments('the Host header is missing');
    }
    if (!target.startsWith('/')) throw invalidArguments('the request target must be a path');
    const queryAt = target.indexOf('?');
    const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);

    if (rawPath.startsWith(SANDBOX_PREFIX)) {
      if (rawPath !== `${SANDBOX_PREFIX}submissions`) throw new SandboxHttpError(404, 'EGeneral:Not found');
      if (method !== 'GET' && method !== 'HEAD') {
        throw new SandboxHttpError(405, 'EGeneral:Method not allowed', { allow: 'GET, HEAD' });
      }
      const user = new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1)).get('user');
      const submissions = user === null ? store.submissions : store.submissions.filter((s) => s.user === user);
      send(200, { result: { submissions } });
      return;
    }

    const route = spec.match(method, rawPath);
    if (route.kind === 'not-found') throw new SandboxHttpError(404, 'EGeneral:Not found');
    if (route.kind === 'method-not-allowed') {
      throw new SandboxHttpError(405, 'EGeneral:Method not allowed', { allow: route.allow.join(', ') });
    }
    const { operation } = route;

    // Faults: queued ones first, else the request header (only when enabled).
    let faults = faultQueue.shift();
    const faultHeader = header(req, FAULT_HEADER);
    if (!faults && headerFaults && faultHeader !== undefined) {
      try {
        faults = parseFaults(faultHeader);
      } catch (error) {
        throw invalidArguments(`X-Sandbox-Fault ${(error as Error).message}`);
      }
    }
    if (faults) {
      const terminal = await applyFaults(req, res, faults);
      if (terminal) return;
    }

    // Header-level checks, before any body byte is read.
    for (const [lower, param] of operation.headerParams) {
      const value = header(req, lower);
      if (value === undefined) continue;
      const problems = param.validate(value);
      if (problems.length > 0) throw invalidArguments(problems);
    }
    for (const versionHeader of ['payward-version', 'kraken-version']) {
      const value = header(req, versionHeader);
      if (value !== undefined && value !== spec.version) {
        throw invalidArguments(`${versionHeader === 'payward-version' ? 'Payward-Version' : 'Kraken-Version'} must be ${spec.version}`);
      }
    }
    const key = header(req, 'api-key');
    if (key === undefined || key === '') throw unauthorized('Missing API-Key');
    if (!sameKey(key, apiKey)) throw unauthorized('Invalid key');
    const nonceText = header(req, 'api-nonce');
    if (nonceText === undefined || nonceText === '') throw unauthorized('Missing API-Nonce');
    const signature = header(req, 'api-sign');
    if (signature === undefined || signature === '') throw unauthorized('Missing API-Sign');
    const nonce = parseNonce(nonceText);
    if (nonce === undefined) throw unauthorized('Invalid nonce');
    const declaredLength = Number(header(req, 'content-length') ?? '0');
    const bodyLimit: keyof SandboxLimits = operation.body?.mediaType === 'multipart/form-data' ? 'totalSize' : 'jsonSize';
    if (declaredLength > limits[bodyLimit]) {
      throw tooLarge(`Content-Length ${declaredLength} is larger than limits.${bodyLimit} (${limits[bodyLimit]} bytes)`);
    }

    // The body: hashed as it arrives (the signature covers the exact bytes).
    const hash = createBodyHash(nonceText);
    const body = operation.body;
    let jsonBody: Buffer | undefined;
    let multipart: Extract<Awaited<ReturnType<typeof readMultipart>>, { kind: 'complete' }> | undefined;
    let tempPaths: string[] = [];
    if (body?.mediaType === 'multipart/form-data') {
      const outcome = await readMultipart(req, hash, body, limits, incomingDir);
      if (outcome.kind !== 'complete') {
        await removeTempFiles(outcome.tempPaths);
        if (outcome.kind === 'fatal') throw outcome.error;
        return;
      }
      multipart = outcome;
      tempPaths = [...outcome.files.values()].flatMap((f) => (f.tempPath === undefined ? [] : [f.tempPath]));
    } else {
      const outcome = await readSmallBody(req, hash, limits.jsonSize);
      if (outcome.kind === 'fatal') throw outcome.error;
      if (outcome.kind === 'aborted') return;
      jsonBody = outcome.body;
    }

    try {
      // Signature first, then the nonce; the nonce is recorded only for an authenticated request.
      const expected = signatureFromBodyDigest(apiSecret, target, hash.digest());
      if (!signatureMatches(signature, expected)) throw unauthorized('Invalid signature');
      if (!nonces.check(apiKey, nonce)) throw unauthorized('Invalid nonce');
      nonces.accept(apiKey, nonce);

      const params = validateParams(operation, route.params);
      const user = params['user'] ?? '';
      if (!body) {
        send(200, { result: store.user(user) });
        return;
      }
      let submission: Record<string, unknown>;
      if (multipart) {
        if (multipart.problems.length > 0) throw invalidArguments(multipart.problems);
        submission = {};
        for (const [name, value] of multipart.fields) {
          if (body.jsonParts.has(name)) {
            try {
              submission[name] = JSON.parse(value);
            } catch {
              throw invalidArguments(`${name} is not valid JSON`);
            }
          } else {
            submission[name] = value;
          }
        }
        for (const [name, file] of multipart.files) submission[name] = `<${file.size} bytes>`;
      } else {
        if (mediaTypeOf(header(req, 'content-type')) !== 'application/json') {
          throw invalidArguments('Content-Type must be application/json');
        }
        try {
          submission = JSON.parse(jsonBody!.toString('utf8'));
        } catch {
          throw invalidArguments('the body is not valid JSON');
        }
      }
      const problems = body.validate(submission);
      if (problems.length > 0) throw invalidArguments(problems);

      const verificationId = randomUUID();
      const files = multipart ? [...multipart.files.values()] : [];
      const record: SubmissionRecord = {
        verification_id: verificationId,
        operationId: operation.operationId,
        user,
        type: String(submission['type']),
        metadata: submission['metadata'],
        files: files.map(({ tempPath: _tempPath, ...file }) => file),
        urls: Object.fromEntries(
          Object.entries(submission).filter(
            (entry): entry is [string, string] => entry[0].endsWith('_url') && typeof entry[1] === 'string',
          ),
        ),
        nonce: nonceText,
        receivedAt: new Date().toISOString(),
      };
      if (storeDir !== undefined) {
        const dir = join(storeDir, verificationId);
        await mkdir(dir, { recursive: true });
        for (const [index, file] of files.entries()) {
          if (file.tempPath === undefined) continue;
          const path = join(dir, file.part);
          await rename(file.tempPath, path);
          record.files[index]!.path = path;
        }
        tempPaths = [];
        await writeFile(join(dir, 'submission.json'), `${JSON.stringify(record, null, 2)}\n`);
      }
      store.add(record);
      send(200, { result: { verification_id: verificationId } });
    } finally {
      await removeTempFiles(tempPaths);
    }
  };

  const validateParams = (operation: OperationSpec, raw: Record<string, string>): Record<string, string> => {
    const params: Record<string, string> = {};
    const problems: string[] = [];
    for (const [name, value] of Object.entries(raw)) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        problems.push(`${name} is not valid percent-encoding`);
        continue;
      }
      params[name] = decoded;
      const check = operation.pathParams.get(name);
      if (check) problems.push(...check(decoded));
    }
    if (problems.length > 0) throw invalidArguments(problems);
    return params;
  };

  /** Runs faults; returns true when a fault answered (or dropped) the request. */
  const applyFaults = async (req: IncomingMessage, res: ServerResponse, faults: readonly Fault[]): Promise<boolean> => {
    for (const fault of faults) {
      if (fault.kind === 'delay') {
        await sleep(fault.ms);
        continue;
      }
      // A terminating fault: read and discard the body first, so the client sees the answer.
      if (!(await drain(req))) return true;
      if (fault.kind === 'status') {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        throw new SandboxHttpError(fault.status, faultError(fault.status), headers);
      }
      if (fault.kind === 'drop') {
        if (fault.when === 'before-response') {
          req.socket.destroy();
        } else {
          const full = JSON.stringify({ result: { verification_id: randomUUID() } });
          res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(full) });
          res.write(full.slice(0, full.length >> 1), () => req.socket.destroy());
        }
        return true;
      }
      const broken = '{"result": {"verification_id": ';
      res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(broken) });
      res.end(broken);
      return true;
    }
    return false;
  };

  const server: Server = createServer({
    maxHeaderSize: limits.headerSize,
    // Checked in the handler, so the answer is in Kraken's envelope.
    requireHostHeader: false,
    headersTimeout: timeouts.headers,
    requestTimeout: timeouts.request,
    keepAliveTimeout: timeouts.keepAlive,
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(Math.min(timeouts.headers, timeouts.request) / 4))),
  });
  server.timeout = timeouts.idle;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    inFlight.set(req.socket, res);
    res.once('close', () => {
      if (inFlight.get(req.socket) === res) inFlight.delete(req.socket);
    });
    const send: Sender = (status, payload, headers = {}) => {
      if (res.headersSent || res.destroyed || req.socket.destroyed) return;
      const text = JSON.stringify(payload);
      const early = !req.complete;
      res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), ...headers });
      res.end(req.method === 'HEAD' ? undefined : text);
      logger?.info(`${req.method} ${(req.url ?? '').split('?')[0]} ${status} ${Math.round(performance.now() - started)}ms`);
      if (early) linger(req);
    };
    handle(req, res, send).catch((error: unknown) => {
      if (error instanceof SandboxHttpError) {
        send(error.status, { error: error.errors }, { ...error.headers });
        return;
      }
      logger?.error(`internal error on ${req.method} ${(req.url ?? '').split('?')[0]}: ${(error as Error)?.message}`);
      send(500, { error: ['EGeneral:Internal error'] });
    });
  });

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const res = inFlight.get(socket);
    if (socket.writable && !res?.headersSent) {
      if (error.code === 'HPE_HEADER_OVERFLOW') {
        socket.write(
          clientErrorResponse(
            431,
            'Request Header Fields Too Large',
            `EGeneral:Request too large:the request headers are larger than limits.headerSize (${limits.headerSize} bytes)`,
          ),
        );
      } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        socket.write(clientErrorResponse(408, 'Request Timeout', 'EGeneral:Request timeout'));
      } else if (error.code !== 'ECONNRESET') {
        socket.write(clientErrorResponse(400, 'Bad Request', 'EGeneral:Invalid arguments:malformed HTTP request'));
      }
    }
    res?.destroy();
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger?.info(`embedkit sandbox serving Embed API ${spec.version} at ${url}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    apiKey,
    apiSecret,
    apiVersion: spec.version,
    submissions: store.submissions,
    injectFault(fault, times = 1) {
      const faults = toFaults(fault);
      for (let i = 0; i < times; i++) faultQueue.push(faults);
    },
    clearFaults() {
      faultQueue.length = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
