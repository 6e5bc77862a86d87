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
import { parseParameterized, readMultipart, removeTempFiles } from './multipart.js';
import {
  DEFAULT_LIMITS,
  DEFAULT_TIMEOUTS,
  type RequestLogEntry,
  type SandboxLimits,
  type SandboxOptions,
  type SandboxTimeouts,
} from './options.js';
import { type LoadedSpec, loadSpec, type OperationSpec, shippedSpecs } from './spec.js';
import { SandboxStore, type SubmissionRecord } from './store.js';
import { decodeUtf8, parseStrictJson } from './text.js';

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
  /** The API version used for requests without a version header (the latest served, unless configured). */
  readonly apiVersion: string;
  /** Every API version it serves, oldest first, chosen per request by `Payward-Version` or `Kraken-Version`. */
  readonly apiVersions: readonly string[];
  /**
   * The accepted submissions, oldest first (a copy): each with its API version, parsed `metadata`,
   * text parts as received, files (size, SHA-256) and URLs.
   * @param filter - Only those of one user and/or one API version.
   */
  submissions(filter?: SubmissionFilter): SubmissionRecord[];
  /**
   * Forgets submissions, users and queued faults, e.g. between tests. Accepted nonces are kept
   * unless `nonces: true` (a key's nonces only ever grow, as at Kraken).
   */
  reset(options?: ResetOptions): void;
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

/** Which submissions {@link Sandbox.submissions} returns. */
export interface SubmissionFilter {
  /** Only this user's (IIBAN). */
  user?: string;
  /** Only those served with this API version. */
  apiVersion?: string;
}

/** Options of {@link Sandbox.reset}. */
export interface ResetOptions {
  /** Also forget the accepted nonces, so lower nonces are accepted again. Default false. */
  nonces?: boolean;
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

/** Reads (and hashes, when given a hash) a non-multipart body up to `max` bytes. */
function readSmallBody(
  req: IncomingMessage,
  hash: ReturnType<typeof createBodyHash> | undefined,
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
      hash?.update(chunk);
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

/**
 * Kraken shows no multipart part name for a tax-ID document's file (reference section 7): the spec
 * makes one choice for clients (`tax_id`), and the sandbox also accepts the other candidate,
 * `document`, in its place. Sending both is ambiguous and rejected.
 */
const PART_ALTERNATIVES: Readonly<Record<string, { part: string; alternative: string }>> = {
  tax_id_document: { part: 'tax_id', alternative: 'document' },
};

/** Maps an alternative part name to the spec's (see {@link PART_ALTERNATIVES}) before validation. */
function applyPartAlternatives(submission: Record<string, unknown>, fileParts: ReadonlySet<string>): void {
  const rule = PART_ALTERNATIVES[String(submission['type'])];
  if (!rule || !fileParts.has(rule.part) || !(rule.alternative in submission)) return;
  if (rule.part in submission) {
    throw invalidArguments(
      `${rule.part} and ${rule.alternative} must not both be sent: they are two names for the file of a ${String(submission['type'])} (send one of them)`,
    );
  }
  submission[rule.part] = submission[rule.alternative];
  delete submission[rule.alternative];
}

/** A fault in the header syntax, for the request log. */
function describeFault(fault: Fault): string {
  if (fault.kind === 'delay') return `delay;ms=${fault.ms}`;
  if (fault.kind === 'status') return fault.retryAfter === undefined ? String(fault.status) : `${fault.status};retry-after=${fault.retryAfter}`;
  if (fault.kind === 'drop') return fault.when === 'before-response' ? 'drop' : 'drop;when=mid-response';
  return 'malformed-json';
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
  // Every shipped version, then the configured documents (a specPath replaces the shipped spec of its version).
  const specs = new Map<string, LoadedSpec>();
  for (const [version, path] of shippedSpecs()) specs.set(version, loadSpec({ apiVersion: version, specPath: path }));
  for (const path of [...(options.specPath === undefined ? [] : [options.specPath]), ...(options.extraSpecs ?? [])]) {
    const spec = loadSpec({ specPath: path });
    specs.set(spec.version, spec);
  }
  const apiVersions = [...specs.keys()].sort();
  if (apiVersions.length === 0) throw new Error('No spec to serve: none is shipped; pass specPath');
  const apiVersion = options.apiVersion ?? apiVersions.at(-1)!;
  if (!specs.has(apiVersion)) throw new Error(`apiVersion ${apiVersion} is not served; the sandbox has specs for ${apiVersions.join(', ')}`);
  /** The verification types each version knows (the values of its request bodies' discriminators). */
  const typesOf = new Map(
    [...specs].map(([version, spec]) => [version, new Set(spec.operations.flatMap((op) => op.body?.variants ?? []))] as const),
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

  const submissionsOf = (filter: SubmissionFilter = {}) =>
    store.submissions
      .filter((s) => (filter.user === undefined || s.user === filter.user) && (filter.apiVersion === undefined || s.apiVersion === filter.apiVersion))
      .map((s) => structuredClone(s));
  const reset = (resetOptions: ResetOptions = {}) => {
    store.clear();
    faultQueue.length = 0;
    if (resetOptions.nonces === true) nonces.clear();
  };

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

  /** The sandbox's own endpoints (`/_sandbox/…`): unsigned, never faulted. */
  const handleControl = async (req: IncomingMessage, method: string, rawPath: string, query: string, send: Sender) => {
    const route = rawPath.slice(SANDBOX_PREFIX.length);
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) throw new SandboxHttpError(405, 'EGeneral:Method not allowed', { allow: methods.join(', ') });
    };
    if (route === 'ready') {
      allow('GET', 'HEAD');
      send(200, { result: { ready: true, apiVersions, defaultApiVersion: apiVersion } });
    } else if (route === 'submissions') {
      allow('GET', 'HEAD');
      const params = new URLSearchParams(query);
      const filter: SubmissionFilter = {};
      const user = params.get('user');
      const version = params.get('apiVersion');
      if (user !== null) filter.user = user;
      if (version !== null) filter.apiVersion = version;
      send(200, { result: { submissions: submissionsOf(filter) } });
    } else if (route === 'reset') {
      allow('POST');
      const body = await readControlJson(req);
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) throw invalidArguments('the body must be a JSON object');
      reset({ nonces: (body as { nonces?: unknown } | undefined)?.nonces === true });
      send(200, { result: 'success' });
    } else if (route === 'faults') {
      allow('POST', 'DELETE');
      if (method === 'DELETE') {
        faultQueue.length = 0;
        send(200, { result: 'success' });
        return;
      }
      const body = (await readControlJson(req)) as { fault?: unknown; times?: unknown } | undefined;
      const times = body?.times ?? 1;
      if (typeof body?.fault !== 'string') throw invalidArguments('fault is required (a fault in the X-Sandbox-Fault syntax, e.g. "503;retry-after=1")');
      if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > 1000) throw invalidArguments('times must be an integer from 1 to 1000');
      let faults: Fault[];
      try {
        faults = parseFaults(body.fault);
      } catch (error) {
        throw invalidArguments(`fault ${(error as Error).message}`);
      }
      for (let i = 0; i < times; i++) faultQueue.push(faults);
      send(200, { result: { queued: faultQueue.length } });
    } else {
      throw new SandboxHttpError(404, 'EGeneral:Not found');
    }
  };

  /** Reads an optional JSON body of a control endpoint (strict UTF-8 and JSON, at most limits.jsonSize). */
  const readControlJson = async (req: IncomingMessage): Promise<unknown> => {
    const outcome = await readSmallBody(req, undefined, limits.jsonSize);
    if (outcome.kind === 'fatal') throw outcome.error;
    if (outcome.kind === 'aborted' || outcome.body.length === 0) return undefined;
    return parseJsonBody(outcome.body);
  };

  /** Decodes a JSON request body: well-formed UTF-8, valid JSON, no duplicate keys. */
  const parseJsonBody = (bytes: Buffer): unknown => {
    const text = decodeUtf8(bytes);
    if (text === undefined) throw invalidArguments('the body is not valid UTF-8');
    const parsed = parseStrictJson(text, '');
    if (!parsed.ok) throw invalidArguments(parsed.problem);
    return parsed.value;
  };

  /** The spec a request asks for by `Payward-Version` or `Kraken-Version` (the default when neither is sent). */
  const specFor = (req: IncomingMessage): LoadedSpec => {
    const payward = header(req, 'payward-version');
    const kraken = header(req, 'kraken-version');
    if (payward !== undefined && kraken !== undefined && payward !== kraken) {
      throw invalidArguments('Payward-Version and Kraken-Version must be the same version when both are sent');
    }
    const requested = payward ?? kraken;
    if (requested === undefined) return specs.get(apiVersion)!;
    const spec = specs.get(requested);
    if (!spec) {
      throw invalidArguments(`${payward !== undefined ? 'Payward-Version' : 'Kraken-Version'} must be one of the allowed values: ${apiVersions.join(', ')}`);
    }
    return spec;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, send: Sender, log: Partial<RequestLogEntry>): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && req.headers.host === undefined) {
      throw invalidArguments('the Host header is missing');
    }
    if (!target.startsWith('/')) throw invalidArguments('the request target must be a path');
    const queryAt = target.indexOf('?');
    const rawPath = queryAt < 0 ? target : target.slice(0, queryAt);

    if (rawPath.startsWith(SANDBOX_PREFIX)) {
      await handleControl(req, method, rawPath, queryAt < 0 ? '' : target.slice(queryAt + 1), send);
      return;
    }

    const spec = specFor(req);
    log.apiVersion = spec.version;
    const route = spec.match(method, rawPath);
    if (route.kind === 'not-found') throw new SandboxHttpError(404, 'EGeneral:Not found');
    if (route.kind === 'method-not-allowed') {
      throw new SandboxHttpError(405, 'EGeneral:Method not allowed', { allow: route.allow.join(', ') });
    }
    const { operation } = route;
    log.operationId = operation.operationId;

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
      log.fault = faults.map(describeFault).join(', ');
      const terminal = await applyFaults(req, res, faults);
      if (terminal) return;
    }

    // Header-level checks, before any body byte is read. The version headers chose the spec above.
    for (const [lower, param] of operation.headerParams) {
      if (lower === 'payward-version' || lower === 'kraken-version') continue;
      const value = header(req, lower);
      if (value === undefined) continue;
      const problems = param.validate(value);
      if (problems.length > 0) throw invalidArguments(problems);
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
      tempPaths = outcome.tempPaths;
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
        send(200, { result: store.user(user, typesOf.get(spec.version)!) });
        return;
      }
      let submission: Record<string, unknown>;
      if (multipart) {
        if (multipart.problems.length > 0) throw invalidArguments(multipart.problems);
        submission = {};
        for (const [name, value] of multipart.fields) {
          if (body.jsonParts.has(name)) {
            const parsed = parseStrictJson(value, name);
            if (!parsed.ok) throw invalidArguments(parsed.problem);
            submission[name] = parsed.value;
          } else {
            submission[name] = value;
          }
        }
        for (const [name, file] of multipart.files) submission[name] = `<${file.size} bytes>`;
        applyPartAlternatives(submission, body.fileParts);
      } else {
        const contentType = parseParameterized(header(req, 'content-type') ?? '', 'media-type');
        if ('error' in contentType || contentType.head !== 'application/json') {
          throw invalidArguments('Content-Type must be application/json');
        }
        const charset = contentType.params.get('charset');
        if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
          throw invalidArguments(`the body must be UTF-8 (Content-Type has charset ${JSON.stringify(charset.slice(0, 32))})`);
        }
        submission = parseJsonBody(jsonBody!) as Record<string, unknown>;
      }
      const problems = body.validate(submission);
      if (problems.length > 0) throw invalidArguments(problems);

      const verificationId = randomUUID();
      const files = multipart ? [...multipart.files.values()] : [];
      const record: SubmissionRecord = {
        verification_id: verificationId,
        apiVersion: spec.version,
        operationId: operation.operationId,
        user,
        type: String(submission['type']),
        metadata: submission['metadata'],
        fields: multipart ? Object.fromEntries(multipart.fields) : {},
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
      log.verification_id = verificationId;
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
    // The request log entry: only these fields, never headers, bodies, signatures or the secret.
    const log: Partial<RequestLogEntry> = {};
    const path = (req.url ?? '').split('?')[0]!;
    let logged = false;
    const writeLog = (status: number) => {
      if (logged || !logger) return;
      logged = true;
      const entry: RequestLogEntry = {
        event: 'request',
        time: new Date().toISOString(),
        method: req.method ?? '',
        path,
        status,
        ms: Math.round(performance.now() - started),
        ...log,
      };
      logger.info(JSON.stringify(entry));
    };
    res.once('close', () => {
      if (inFlight.get(req.socket) === res) inFlight.delete(req.socket);
      // Answers not sent through `send` (faults, aborted requests); status 0: no status line was sent.
      writeLog(res.headersSent ? res.statusCode : 0);
    });
    const send: Sender = (status, payload, headers = {}) => {
      if (res.headersSent || res.destroyed || req.socket.destroyed) return;
      const text = JSON.stringify(payload);
      const early = !req.complete;
      res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), ...headers });
      // Logged before the answer leaves, so whoever reads the log after the answer finds the line.
      writeLog(status);
      res.end(req.method === 'HEAD' ? undefined : text);
      if (early) linger(req);
    };
    handle(req, res, send, log).catch((error: unknown) => {
      if (error instanceof SandboxHttpError) {
        log.errors = error.errors;
        send(error.status, { error: error.errors }, { ...error.headers });
        return;
      }
      log.errors = ['EGeneral:Internal error'];
      logger?.error(JSON.stringify({ event: 'internal-error', time: new Date().toISOString(), method: req.method, path, message: (error as Error)?.message }));
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
  logger?.info(JSON.stringify({ event: 'listening', time: new Date().toISOString(), url, apiVersions, defaultApiVersion: apiVersion }));

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    apiKey,
    apiSecret,
    apiVersion,
    apiVersions,
    submissions: submissionsOf,
    reset,
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
