/**
 * Mapping transport failures to {@link EmbedNetworkError}.
 *
 * @internal
 * @module
 */
import { EmbedError, EmbedNetworkError } from '../errors.js';

// Failures that happen before any request byte can reach the server.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
]);

function errorCode(error: unknown): string | undefined {
  if (error !== null && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (error as { cause?: unknown }).cause;
    if (cause !== undefined && cause !== error) return errorCode(cause);
  }
  return undefined;
}

function causeMessages(error: unknown): string[] {
  const out: string[] = [];
  for (let e = error, i = 0; e instanceof Error && i < 5; e = e.cause, i++) out.push(e.message);
  return out;
}

/** Whether a failure with this system error code happened before anything was sent. */
export function isNotSentCode(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/**
 * Maps a rejection of a fetch-like transport to {@link EmbedNetworkError}: `TypeError` (how
 * fetch reports network failures) and Node system errors. `sent` is `false` only for failures
 * known to happen before connecting (refused, DNS, unreachable, TLS certificate). Other values
 * (and existing {@link EmbedError}s) are returned unchanged.
 */
export function toNetworkError(error: unknown, request: Pick<Request, 'url' | 'method'>): unknown {
  if (error instanceof EmbedError) return error;
  if (causeMessages(error).includes('unexpected redirect')) {
    const { origin, pathname } = new URL(request.url);
    return new EmbedNetworkError(`${request.method} ${origin}${pathname}: the server answered with a redirect, which signed requests do not follow`, {
      sent: true,
      systemCode: 'UNEXPECTED_REDIRECT',
      cause: error,
    });
  }
  const code = errorCode(error);
  if (!(error instanceof TypeError) && code === undefined) return error;
  const { origin, pathname } = new URL(request.url);
  const detail = code ?? (error instanceof Error ? error.message : 'network error');
  return new EmbedNetworkError(`${request.method} ${origin}${pathname} failed: ${detail}`, {
    sent: !isNotSentCode(code),
    systemCode: code,
    cause: error,
  });
}
