import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RetryEvent,
  encodeMultipart,
} from '../src/index.js';
import { REFERENCE_SECRET, expectedSignature, TEST_SCHEME, createSignedCore } from './helpers.js';

// A strict server: per API key, a nonce must be greater than the last accepted one (no
// window). The check happens when the request head arrives, like a real API gateway, and the
// signature is verified on the full body.
let server: http.Server;
let baseUrl = '';
const lastAccepted = new Map<string, bigint>();
const accepted: bigint[] = [];
let rejectedNonces = 0;
let badSignatures = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const key = String(req.headers['api-key']);
    const nonceText = String(req.headers['api-nonce']);
    const nonce = BigInt(nonceText);
    const last = lastAccepted.get(key) ?? -1n;
    const reply = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    };
    if (nonce <= last) {
      rejectedNonces++;
      req.resume();
      req.on('end', () => reply(401, { error: ['EAPI:Invalid nonce'] }));
      return;
    }
    lastAccepted.set(key, nonce);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const expected = expectedSignature(REFERENCE_SECRET, req.url ?? '', nonceText, Buffer.concat(chunks));
      if (expected !== req.headers['api-sign']) {
        badSignatures++;
        return reply(401, { error: ['EAPI:Invalid signature'] });
      }
      accepted.push(nonce);
      reply(200, { result: { verification_id: `v-${nonceText}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('concurrency against a strictly-increasing-nonce server', () => {
  it('1,000 concurrent submissions through the core all end accepted with distinct nonces', { timeout: 60_000 }, async () => {
    const events: RetryEvent[] = [];
    // Default transport (node:http, bounded sockets), default retry policy.
    const core = createSignedCore({
      apiKey: 'concurrency-key',
      apiSecret: REFERENCE_SECRET,
      scheme: TEST_SCHEME,
      baseUrl,
      onRetry: (e) => events.push(e),
    });
    const file = new Blob([new Uint8Array(2048).map((_, i) => i & 255)], { type: 'image/jpeg' });
    const t0 = performance.now();
    const results = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        core.request({
          method: 'POST',
          path: '/b2b/verifications/{user}',
          params: { path: { user: `AA95N84GTEST${String(i).padStart(4, '0')}` } },
          body: {
            kind: 'multipart',
            value: encodeMultipart([
              { name: 'type', value: 'identity_document' },
              { name: 'metadata', value: JSON.stringify({ n: i }), contentType: 'application/json' },
              { name: 'front', value: file, filename: 'front.jpg' },
            ]),
          },
        }),
      ),
    );
    const ms = Math.round(performance.now() - t0);
    const nonceRetries = events.filter((e) => e.kind === 'nonce').length;
    const maxPerRequest = Math.max(...results.map((r) => r.attempts)) - 1;
    console.log(
      `[concurrency] 1000 concurrent submissions: nonce retries = ${nonceRetries} (server rejected ${rejectedNonces}), ` +
        `max retries for one request = ${maxPerRequest}, other retries = ${events.length - nonceRetries}, ${ms} ms`,
    );

    expect(results).toHaveLength(1_000);
    expect(accepted).toHaveLength(1_000);
    expect(new Set(accepted).size).toBe(1_000);
    expect(badSignatures).toBe(0);
    // The server accepted them in strictly increasing order (its own invariant, re-checked).
    expect(accepted.every((n, i) => i === 0 || n > accepted[i - 1]!)).toBe(true);
    // Every rejection was retried, and no other kind of retry happened.
    expect(nonceRetries).toBe(rejectedNonces);
    expect(events.length).toBe(nonceRetries);
    // Bounded: well under one retry per request on average, and within the per-request budget.
    expect(nonceRetries).toBeLessThan(500);
    expect(maxPerRequest).toBeLessThanOrEqual(10);
  });
});
