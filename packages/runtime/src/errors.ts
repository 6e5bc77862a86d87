/**
 * Typed errors thrown by the embedkit runtime and by generated clients.
 *
 * Every error extends {@link EmbedError} and carries a stable `code` and `name`, so callers can
 * branch with `instanceof` or on `error.code` (which survives serialization and bundling).
 * No error ever contains the API secret: messages are built from status codes, server error
 * strings, option names and system error codes only.
 *
 * @module
 */

/** Stable machine-readable codes of the runtime's errors (the `code` property). */
export type EmbedErrorCode =
  | 'EMBED_API_ERROR'
  | 'EMBED_VALIDATION_ERROR'
  | 'EMBED_NETWORK_ERROR'
  | 'EMBED_TIMEOUT'
  | 'EMBED_ABORTED'
  | 'EMBED_CONFIG_ERROR'
  | 'EMBED_RESPONSE_TOO_LARGE';

/** Options accepted by every {@link EmbedError} constructor. */
export interface EmbedErrorOptions {
  /** The underlying error, if any (kept as the standard `cause`). */
  cause?: unknown;
}

/**
 * Base class of every error thrown by the runtime.
 *
 * @example
 * ```ts
 * try {
 *   await client.verifications.submit(user, body);
 * } catch (error) {
 *   if (error instanceof EmbedError) console.error(error.code, error.message);
 *   throw error;
 * }
 * ```
 */
export class EmbedError extends Error {
  /** Stable machine-readable code, e.g. `EMBED_API_ERROR`. */
  readonly code: EmbedErrorCode;
  /**
   * How many HTTP attempts were made before this error was thrown, when it came out of a
   * request with retries (set by the core); `undefined` otherwise.
   */
  declare attempts?: number;

  constructor(code: EmbedErrorCode, message: string, options?: EmbedErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  /** A plain, secret-free summary used by `JSON.stringify(error)`. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    if (this.attempts !== undefined) out['attempts'] = this.attempts;
    return out;
  }
}

// `name` lives on the prototype (non-enumerable) so it does not clutter util.inspect output
// and survives minification of class names.
function setName(ctor: { prototype: Error }, name: string): void {
  Object.defineProperty(ctor.prototype, 'name', { value: name, writable: true, configurable: true, enumerable: false });
}
setName(EmbedError, 'EmbedError');

/**
 * One entry of a Kraken error envelope, e.g. `"EAPI:Invalid nonce"` parsed into
 * `{ category: 'EAPI', message: 'Invalid nonce', raw: 'EAPI:Invalid nonce' }`.
 */
export interface KrakenError {
  /** The part before the first `:`, e.g. `EAPI`, `ENexus`, `EGeneral`; `''` if there is none. */
  readonly category: string;
  /** The part after the first `:` (the whole string if there is no `:`). */
  readonly message: string;
  /** The error string exactly as the server sent it. */
  readonly raw: string;
}

/** Parses one Kraken error string (`"<Category>:<message>"`). */
export function parseKrakenError(raw: string): KrakenError {
  const colon = raw.indexOf(':');
  // Kraken categories look like `EAPI` / `ENexus`; anything else is a free-form message.
  if (colon > 0 && /^E[A-Za-z0-9_]*$/.test(raw.slice(0, colon))) {
    return { category: raw.slice(0, colon), message: raw.slice(colon + 1).trim(), raw };
  }
  return { category: '', message: raw, raw };
}

function errorEntryToString(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry !== null && typeof entry === 'object') {
    const o = entry as Record<string, unknown>;
    if (typeof o['error'] === 'string') return o['error'];
    if (typeof o['message'] === 'string') {
      const code = o['code'];
      return typeof code === 'string' && !o['message'].includes(':') ? `${code}:${o['message']}` : o['message'];
    }
    if (typeof o['code'] === 'string') return o['code'];
  }
  return undefined;
}

/**
 * Extracts Kraken errors from a response body: `{"error": ["EAPI:Invalid nonce"]}` or
 * `{"errors": [...]}` (entries may be strings or objects with `error` / `message` / `code`).
 * Returns `[]` for anything else.
 *
 * @example
 * ```ts
 * parseKrakenErrors({ error: ['EAPI:Invalid nonce'] });
 * // [{ category: 'EAPI', message: 'Invalid nonce', raw: 'EAPI:Invalid nonce' }]
 * ```
 */
export function parseKrakenErrors(body: unknown): KrakenError[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const out: KrakenError[] = [];
  for (const key of ['error', 'errors'] as const) {
    const list = (body as Record<string, unknown>)[key];
    const entries = Array.isArray(list) ? list : typeof list === 'string' && list !== '' ? [list] : [];
    for (const entry of entries) {
      const raw = errorEntryToString(entry);
      if (raw !== undefined && raw !== '') out.push(parseKrakenError(raw));
    }
  }
  return out;
}

/** True if the errors include Kraken's `EAPI:Invalid nonce`. */
export function hasInvalidNonce(errors: readonly KrakenError[]): boolean {
  return errors.some((e) => e.category === 'EAPI' && e.message.toLowerCase() === 'invalid nonce');
}

const REQUEST_ID_HEADERS = ['x-request-id', 'x-kraken-request-id', 'request-id', 'x-amzn-requestid', 'cf-ray'];

/**
 * Reads a request id from the response headers (`x-request-id`, ..., `cf-ray`), if any.
 *
 * @internal
 */
export function requestIdFrom(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/**
 * Parses `Retry-After` (delta seconds or an HTTP date) or the non-standard `retry-after-ms`
 * into milliseconds from `now`. Returns `undefined` when absent or unparseable.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.max(0, Math.round(Number(ms)));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Options for {@link EmbedApiError}. */
export interface EmbedApiErrorInit extends EmbedErrorOptions {
  /** HTTP status code. */
  status: number;
  /** HTTP status text. */
  statusText?: string;
  /** The parsed response body (JSON, else text). */
  body?: unknown;
  /** Kraken errors; parsed from `body` when omitted. */
  errors?: KrakenError[];
  /** Request id from the response headers. */
  requestId?: string | undefined;
  /** The server's `Retry-After`, in ms. */
  retryAfterMs?: number | undefined;
  /** The response (kept non-enumerable on the error). */
  response?: Response;
}

function snippet(body: unknown): string | undefined {
  if (typeof body !== 'string' || body.trim() === '') return undefined;
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}

/**
 * The API answered with an error: a non-2xx status, or a 2xx whose body carries a non-empty
 * Kraken error list and no `result`.
 *
 * @example
 * ```ts
 * try {
 *   await core.request({ method: 'GET', path: '/b2b/assets', idempotent: true });
 * } catch (error) {
 *   if (error instanceof EmbedApiError && error.status === 404) return undefined;
 *   throw error;
 * }
 * ```
 */
export class EmbedApiError extends EmbedError {
  /** HTTP status code. */
  readonly status: number;
  /** HTTP status text (may be empty). */
  readonly statusText: string;
  /** Parsed Kraken errors from the body's `error` / `errors` list (may be empty). */
  readonly errors: KrakenError[];
  /** Request id from the response headers (`x-request-id`, `cf-ray`, ...), if present. */
  readonly requestId: string | undefined;
  /** Delay the server asked for via `Retry-After`, in milliseconds, if present. */
  readonly retryAfterMs: number | undefined;
  /** The response body: parsed JSON if it was JSON, else the text. */
  readonly body: unknown;
  /** The response (its body has already been read). Non-enumerable to keep logs short. */
  declare readonly response: Response | undefined;

  constructor(message: string, init: EmbedApiErrorInit) {
    super('EMBED_API_ERROR', message, init);
    this.status = init.status;
    this.statusText = init.statusText ?? '';
    this.errors = init.errors ?? parseKrakenErrors(init.body);
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.body = init.body;
    Object.defineProperty(this, 'response', { value: init.response, enumerable: false, configurable: true });
  }

  /** True if the server rejected the request with `EAPI:Invalid nonce`. */
  get isInvalidNonce(): boolean {
    return hasInvalidNonce(this.errors);
  }

  /**
   * Builds an error from a response whose body has already been read and parsed (`body` is
   * the parsed JSON, or the text if it was not JSON).
   */
  static fromResponse(response: Response, body: unknown): EmbedApiError {
    const errors = parseKrakenErrors(body);
    const requestId = requestIdFrom(response.headers);
    const detail =
      errors.length > 0 ? errors.map((e) => e.raw).join('; ') : (snippet(body) ?? (response.statusText || 'no error details'));
    const message = `Embed API error: HTTP ${response.status}: ${detail}${requestId ? ` (request id ${requestId})` : ''}`;
    return new EmbedApiError(message, {
      status: response.status,
      statusText: response.statusText,
      body,
      errors,
      requestId,
      retryAfterMs: parseRetryAfter(response.headers),
      response,
    });
  }

  /** Reads and parses the response body (JSON if possible, else text), then calls `fromResponse`. */
  static async read(response: Response): Promise<EmbedApiError> {
    let body: unknown;
    try {
      body = parseBodyText(await response.text());
    } catch {
      // Unreadable body (already used, or the connection dropped): report the status alone.
      body = undefined;
    }
    return EmbedApiError.fromResponse(response, body);
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      errors: this.errors,
      requestId: this.requestId,
      retryAfterMs: this.retryAfterMs,
      body: this.body,
    };
  }
}
setName(EmbedApiError, 'EmbedApiError');

/** Parses a body text as JSON when it looks like JSON; otherwise returns the text (`undefined` if empty). */
export function parseBodyText(text: string): unknown {
  if (text === '') return undefined;
  const first = text.trimStart()[0];
  if (first === '{' || first === '[' || first === '"') {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** One validation problem: where (`path`), which rule, and a human-readable message. */
export interface ValidationIssue {
  /**
   * Location of the problem. Preferably a JSON Pointer (`/metadata/identity/date_of_birth`,
   * `''` for the root); dotted paths (`metadata.identity.date_of_birth`, `files[0]`) are also
   * understood by {@link toStandardSchema}.
   */
  readonly path: string;
  /** The rule broken, e.g. `required`, `enum`, `format:date`, `minLength`. */
  readonly rule: string;
  /** Human-readable description. */
  readonly message: string;
}

/** Renders issues as `- <path>: <message> (<rule>)` lines. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `- ${i.path === '' ? '(root)' : i.path}: ${i.message} (${i.rule})`).join('\n');
}

/** Options for {@link EmbedValidationError}. */
export interface EmbedValidationErrorOptions extends EmbedErrorOptions {
  /** What was validated, used in the message, e.g. `request body`, `response body`. */
  subject?: string;
}

/**
 * A value failed validation (a request before it was sent, or a response). The message lists
 * every issue.
 */
export class EmbedValidationError extends EmbedError {
  /** Every issue found. */
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], options?: EmbedValidationErrorOptions) {
    const subject = options?.subject ?? 'value';
    const n = issues.length;
    super('EMBED_VALIDATION_ERROR', `Invalid ${subject}: ${n} issue${n === 1 ? '' : 's'}\n${formatIssues(issues)}`, options);
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}
setName(EmbedValidationError, 'EmbedValidationError');

/** Options for {@link EmbedNetworkError}. */
export interface EmbedNetworkErrorOptions extends EmbedErrorOptions {
  /** Whether any request bytes may have reached the server. */
  sent: boolean;
  /** System error code of the cause, e.g. `ECONNREFUSED`, if known. */
  systemCode?: string | undefined;
}

/**
 * The request failed at the transport level (DNS, connect, reset, TLS...). `sent` tells whether
 * any request bytes may have reached the server: when `false` the request is safe to retry even
 * if it is not idempotent.
 */
export class EmbedNetworkError extends EmbedError {
  /** Whether any request bytes may have reached the server. */
  readonly sent: boolean;
  /** System error code of the cause, e.g. `ECONNREFUSED`, if known. */
  readonly systemCode: string | undefined;

  constructor(message: string, options: EmbedNetworkErrorOptions) {
    super('EMBED_NETWORK_ERROR', message, options);
    this.sent = options.sent;
    this.systemCode = options.systemCode;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), sent: this.sent, systemCode: this.systemCode };
  }
}
setName(EmbedNetworkError, 'EmbedNetworkError');

/** An attempt took longer than its `timeoutMs` (the whole attempt: connect, send, response body). */
export class EmbedTimeoutError extends EmbedError {
  /** The timeout that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, options?: EmbedErrorOptions) {
    super('EMBED_TIMEOUT', `Request timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}
setName(EmbedTimeoutError, 'EmbedTimeoutError');

/** The caller aborted the request through its `AbortSignal`. The signal's reason is the `cause`. */
export class EmbedAbortError extends EmbedError {
  constructor(options?: EmbedErrorOptions) {
    super('EMBED_ABORTED', 'Request aborted by the caller', options);
  }
}
setName(EmbedAbortError, 'EmbedAbortError');

/** Options for {@link EmbedConfigError}. */
export interface EmbedConfigErrorOptions extends EmbedErrorOptions {
  /** The option at fault, e.g. `apiSecret`, `baseUrl`, `retry.maxAttempts`. */
  option?: string;
}

/**
 * Invalid configuration or arguments (a secret that is not base64, a bad `baseUrl`,
 * `maxAttempts < 1`, an invalid multipart boundary...). The message names the rule, never the
 * offending secret value.
 */
export class EmbedConfigError extends EmbedError {
  /** The option at fault, if known. */
  readonly option: string | undefined;

  constructor(message: string, options?: EmbedConfigErrorOptions) {
    super('EMBED_CONFIG_ERROR', message, options);
    this.option = options?.option;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), option: this.option };
  }
}
setName(EmbedConfigError, 'EmbedConfigError');

/**
 * A response body was larger than the client's `maxResponseBytes`. The body was not kept: it
 * was refused from its `Content-Length`, or reading stopped at the limit. Not retried.
 */
export class EmbedResponseTooLargeError extends EmbedError {
  /** The limit that was exceeded, in bytes. */
  readonly limitBytes: number;

  constructor(limitBytes: number, options?: EmbedErrorOptions) {
    super('EMBED_RESPONSE_TOO_LARGE', `Response body larger than the limit of ${limitBytes} bytes (maxResponseBytes)`, options);
    this.limitBytes = limitBytes;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limitBytes: this.limitBytes };
  }
}
setName(EmbedResponseTooLargeError, 'EmbedResponseTooLargeError');
