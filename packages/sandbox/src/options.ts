/** Options of {@link startSandbox} and their defaults. */
import type { Fault } from './faults.js';

/** Size and count limits. Crossing one ends the request with 413 (or 431 for the HTTP headers). */
export interface SandboxLimits {
  /** Largest file part, in bytes. Default 10 MiB. */
  fileSize: number;
  /** Largest request body (the whole multipart form, or a JSON body), in bytes. Default 32 MiB. */
  totalSize: number;
  /** Largest JSON request body (`/url` endpoint, or any body sent to a GET), in bytes. Default 1 MiB. */
  jsonSize: number;
  /** Most parts in one multipart form. Default 16. */
  parts: number;
  /** Largest non-file part (`type`, `metadata`), in bytes. Default 256 KiB. */
  fieldSize: number;
  /**
   * Largest HTTP request head (request line and headers), in bytes: Node's `maxHeaderSize`.
   * Default 16 KiB. (Each multipart part's own header block is capped at 16 KiB separately.)
   */
  headerSize: number;
}

/** Timeouts, in milliseconds. */
export interface SandboxTimeouts {
  /** Time allowed to receive the request headers (guards against slowloris clients). Default 10 s. */
  headers: number;
  /** Time allowed to receive the whole request. Default 60 s. Answered with 408. */
  request: number;
  /** A socket with no activity for this long is closed. Default 120 s. */
  idle: number;
  /** How long a keep-alive connection may wait for its next request. Default 5 s. */
  keepAlive: number;
  /** After answering early (before the body was read), how long to keep discarding the rest of the body before closing. Default 2 s. */
  linger: number;
}

/** Fault injection settings. */
export interface SandboxFaultOptions {
  /** Honour the `X-Sandbox-Fault` request header. Default `false`: the header is ignored. */
  header?: boolean;
  /** Faults for the next requests to Embed API routes, in order: one entry per request. */
  queue?: ReadonlyArray<Fault | readonly Fault[] | string>;
}

/**
 * Where the sandbox writes its log lines: each one is a JSON object on one line (see
 * {@link RequestLogEntry}). It never logs secrets, signatures, headers or request bodies.
 */
export interface SandboxLogger {
  /** One request (a JSON {@link RequestLogEntry}) or a lifecycle event (`{"event":"listening",…}`). */
  info(line: string): void;
  /** An unexpected internal error (the sandbox answered 500), as a JSON line. */
  error(line: string): void;
}

/** The JSON object logged for each request, one line each. */
export interface RequestLogEntry {
  /** Always `request`. */
  event: 'request';
  /** When the answer was sent (ISO 8601). */
  time: string;
  /** HTTP method. */
  method: string;
  /** The request path, without the query string. */
  path: string;
  /** The HTTP status answered. */
  status: number;
  /** Milliseconds from the request's arrival to the answer. */
  ms: number;
  /** The API version the request was served with, once known. */
  apiVersion?: string;
  /** The spec operation it matched. */
  operationId?: string;
  /** For an accepted submission, its id. */
  verification_id?: string;
  /** The Kraken error strings answered, for an error. */
  errors?: readonly string[];
  /** The fault injected into this request, in the header syntax. */
  fault?: string;
}

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** TCP port; 0 (the default) picks a free port. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /**
   * The API version for requests that send neither `Payward-Version` nor `Kraken-Version`.
   * Default: the latest version served. Every shipped version is served either way.
   */
  apiVersion?: string;
  /**
   * An OpenAPI document to serve, in place of the shipped spec of the same `info.version` (or as
   * one more version). Default: only the shipped specs.
   */
  specPath?: string;
  /**
   * More OpenAPI documents to serve next to the shipped ones, one API version each (their
   * `info.version`), e.g. a test-only or not-yet-released version.
   */
  extraSpecs?: readonly string[];
  /** The API key to accept. Default: a random `sandbox-…` key. */
  apiKey?: string;
  /** The API secret (base64) to verify signatures with. Default: 64 random bytes, base64. */
  apiSecret?: string;
  /** Nonce window (see {@link NonceTracker}); 0 (the default) means strictly increasing. */
  nonceWindow?: number;
  /** Size and count limits; missing fields keep their defaults. */
  limits?: Partial<SandboxLimits>;
  /** Timeouts; missing fields keep their defaults. */
  timeouts?: Partial<SandboxTimeouts>;
  /** Fault injection: `true` enables the header; an object configures header and queue. */
  faults?: boolean | SandboxFaultOptions;
  /** Write each accepted submission's files (and a `submission.json`) to `<dir>/<verification_id>/`. */
  storeFilesDir?: string;
  /** Log sink. Default: silent. */
  logger?: SandboxLogger;
}

/** The default limits. */
export const DEFAULT_LIMITS: Readonly<SandboxLimits> = {
  fileSize: 10 * 1024 * 1024,
  totalSize: 32 * 1024 * 1024,
  jsonSize: 1024 * 1024,
  parts: 16,
  fieldSize: 256 * 1024,
  headerSize: 16 * 1024,
};

/** The default timeouts. */
export const DEFAULT_TIMEOUTS: Readonly<SandboxTimeouts> = {
  headers: 10_000,
  request: 60_000,
  idle: 120_000,
  keepAlive: 5_000,
  linger: 2_000,
};
