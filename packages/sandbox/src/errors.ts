/**
 * Kraken-style errors: an HTTP status plus one or more `E<Category>:<message>` strings, sent in
 * Kraken's envelope `{"error": ["EAPI:Invalid signature"]}`.
 */

/** An error the sandbox answers with: HTTP status, Kraken error strings, and optional headers. */
export class SandboxHttpError extends Error {
  /** The HTTP status code sent with the error envelope. */
  readonly status: number;
  /** The Kraken error strings, e.g. `EAPI:Invalid nonce`. */
  readonly errors: readonly string[];
  /** Extra response headers (e.g. `Allow` for a 405). */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * @param status - HTTP status code.
   * @param errors - One or more Kraken error strings (`E<Category>:<message>`).
   * @param headers - Extra response headers.
   */
  constructor(status: number, errors: string | readonly string[], headers: Record<string, string> = {}) {
    const list = typeof errors === 'string' ? [errors] : errors;
    super(list.join('; '));
    this.name = 'SandboxHttpError';
    this.status = status;
    this.errors = list;
    this.headers = headers;
  }
}

/** `400 EGeneral:Invalid arguments:<detail>`, the error for a request that breaks the spec. */
export function invalidArguments(details: string | readonly string[]): SandboxHttpError {
  const list = typeof details === 'string' ? [details] : details;
  return new SandboxHttpError(
    400,
    list.map((detail) => `EGeneral:Invalid arguments:${detail}`),
  );
}

/** `413 EGeneral:Request too large:<detail>`, the error for a request over a configured limit. */
export function tooLarge(detail: string): SandboxHttpError {
  return new SandboxHttpError(413, `EGeneral:Request too large:${detail}`);
}

/** `401 EAPI:<message>`, an authentication failure. */
export function unauthorized(message: string): SandboxHttpError {
  return new SandboxHttpError(401, `EAPI:${message}`);
}

/** Serializes Kraken's error envelope. */
export function errorBody(errors: readonly string[]): string {
  return JSON.stringify({ error: errors });
}
