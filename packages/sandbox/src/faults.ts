/**
 * Fault injection: make the sandbox misbehave on purpose so clients can test retries, timeouts
 * and error handling. Faults come from a queue (configuration or {@link Sandbox.injectFault}) or,
 * when enabled, from the `X-Sandbox-Fault` request header.
 */

/** One injected fault. */
export type Fault =
  /** Wait `ms` milliseconds, then handle the request normally. */
  | { kind: 'delay'; ms: number }
  /** Answer with this status and Kraken's error envelope (429/503 with `Retry-After`). */
  | { kind: 'status'; status: 429 | 500 | 503; retryAfter?: string }
  /** Destroy the connection: before any response byte, or after sending headers and part of the body. */
  | { kind: 'drop'; when: 'before-response' | 'mid-response' }
  /** Answer 200 with `Content-Type: application/json` and a body that is not valid JSON. */
  | { kind: 'malformed-json' };

/** The request header that carries a per-request fault, when header faults are enabled. */
export const FAULT_HEADER = 'x-sandbox-fault';

const MAX_DELAY_MS = 60_000;

/**
 * Parses a fault specification, the syntax of the `X-Sandbox-Fault` header and of the CLI:
 *
 * - `delay;ms=250` (or `delay=250`)
 * - `429`, `429;retry-after=1`, `503;retry-after=2`, `500`
 * - `drop` (no response at all), `drop;when=mid-response` (headers and half a body, then reset)
 * - `malformed-json`
 *
 * Several faults may be given, comma-separated (`delay;ms=100, 503;retry-after=1`): delays run
 * first, then the first terminating fault.
 * @throws Error when the text is not a fault specification.
 */
export function parseFaults(text: string): Fault[] {
  const faults: Fault[] = [];
  for (const item of text.split(',')) {
    const [head = '', ...rest] = item.trim().split(';');
    const params = new Map<string, string>();
    for (const piece of rest) {
      const eq = piece.indexOf('=');
      if (eq < 0) throw new Error(`Bad fault parameter ${JSON.stringify(piece.trim())}`);
      params.set(piece.slice(0, eq).trim().toLowerCase(), piece.slice(eq + 1).trim());
    }
    const [name = '', inline] = head.trim().toLowerCase().split('=');
    if (name === 'delay') {
      const ms = Number(inline ?? params.get('ms'));
      if (!Number.isInteger(ms) || ms < 0 || ms > MAX_DELAY_MS) throw new Error(`delay needs ms=0..${MAX_DELAY_MS}`);
      faults.push({ kind: 'delay', ms });
    } else if (name === '429' || name === '503' || name === '500') {
      const status = Number(name) as 429 | 500 | 503;
      const retryAfter = params.get('retry-after');
      if (retryAfter !== undefined && !/^[\w ,:+-]{1,64}$/.test(retryAfter)) throw new Error('Bad retry-after');
      faults.push(retryAfter === undefined ? { kind: 'status', status } : { kind: 'status', status, retryAfter });
    } else if (name === 'drop') {
      const when = params.get('when') ?? 'before-response';
      if (when !== 'before-response' && when !== 'mid-response') throw new Error('drop needs when=before-response|mid-response');
      faults.push({ kind: 'drop', when });
    } else if (name === 'malformed-json') {
      faults.push({ kind: 'malformed-json' });
    } else {
      throw new Error(`Unknown fault ${JSON.stringify(head.trim())}`);
    }
  }
  return faults;
}

/** The Kraken error string the sandbox sends for an injected status fault. */
export function faultError(status: 429 | 500 | 503): string {
  if (status === 429) return 'EAPI:Rate limit exceeded';
  if (status === 503) return 'EService:Unavailable';
  return 'EGeneral:Internal error';
}
