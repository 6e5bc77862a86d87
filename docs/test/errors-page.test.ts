// The errors page's status table says, for each HTTP status, whether the client retries it. That
// claim is checked against the runtime's own retry policy (classifyFailure / decideRetry), so the
// page cannot drift from what the client does. They are internal to the runtime (not exported by
// the package), so they come from its source, together with the error class they test for.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EmbedApiError } from '../../packages/runtime/src/errors.js';
import { classifyFailure, DEFAULT_RETRY, decideRetry } from '../../packages/runtime/src/retry.js';
import { docsRoot } from '../scripts/packages.mjs';

const STATUSES = [400, 401, 403, 404, 408, 409, 413, 429, 500, 503];
const page = readFileSync(join(docsRoot, 'guides', 'errors.md'), 'utf8');

/** The rows of the "By HTTP status" table: status -> cells. */
function statusRows(): Map<number, string[]> {
  const section = page.split(/^## /m).find((s) => s.startsWith('By HTTP status')) ?? '';
  const rows = new Map<number, string[]>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const status = Number(/^(\d{3})\b/.exec(cells[0] ?? '')?.[1]);
    if (status) rows.set(status, cells);
  }
  return rows;
}

/** The first Kraken error string of a row (`EAPI:Invalid nonce`), if it has one. */
function firstErrorString(cell: string): string | undefined {
  return /`(E[A-Za-z]+:[^`]+)`/.exec(cell)?.[1];
}

describe('the errors page', () => {
  const rows = statusRows();

  test('has one row per status Kraken documents, plus 413', () => {
    expect([...rows.keys()]).toEqual(STATUSES);
  });

  test.each(STATUSES.map((s) => [s] as const))('%i: "Retried by the client?" matches the runtime retry policy', (status) => {
    const cells = rows.get(status) ?? [];
    const retried = cells[3] ?? '';
    const raw = firstErrorString(cells[1] ?? '');
    const error = new EmbedApiError(`HTTP ${status}`, { status, body: raw ? { error: [raw] } : undefined });
    const kind = classifyFailure(error);
    const state = { attempts: 1, nonceRetries: 0 };
    const submit = decideRetry(error, state, { ...DEFAULT_RETRY }, false, () => 0.5);
    const read = decideRetry(error, state, { ...DEFAULT_RETRY }, true, () => 0.5);
    if (kind === 'fatal') {
      expect(retried, `${status} is never retried`).toMatch(/^No\b/);
      expect(submit).toBeUndefined();
    } else if (kind === 'nonce') {
      expect(retried).toMatch(/^Only `EAPI:Invalid nonce`/);
      expect(submit?.kind).toBe('nonce');
      // Any other error string with this status is not retried.
      expect(classifyFailure(new EmbedApiError('x', { status, body: { error: ['EAPI:Invalid signature'] } }))).toBe('fatal');
    } else if (kind === 'safe') {
      expect(retried, `${status} is retried for every operation`).toMatch(/^Yes\b/);
      expect(submit?.kind).toBe('safe');
    } else {
      // Ambiguous: retried for an idempotent read, not for a submission (unless retryAmbiguous).
      expect(retried).toMatch(/`users\.get`: yes/);
      expect(retried).toMatch(/A submission: no, unless .*retryAmbiguous/);
      expect(read?.kind).toBe('ambiguous');
      expect(submit).toBeUndefined();
      expect(decideRetry(error, state, { ...DEFAULT_RETRY, retryAmbiguous: true }, false, () => 0.5)?.kind).toBe('ambiguous');
    }
  });

  test('its numbers are the runtime defaults', () => {
    expect(page).toContain(`default ${DEFAULT_RETRY.maxAttempts})`);
    expect(page).toContain(`(default ${DEFAULT_RETRY.maxNonceRetries})`);
    expect(page).toContain(`from \`retry.baseDelayMs\` (${DEFAULT_RETRY.baseDelayMs} ms) up to \`retry.maxDelayMs\` (${DEFAULT_RETRY.maxDelayMs / 1000} s)`);
    expect(page).toContain(`default ${DEFAULT_RETRY.maxRetryAfterMs / 1000} s`);
  });
});
