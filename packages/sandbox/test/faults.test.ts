// Fault injection: per request (X-Sandbox-Fault, only when enabled) and queued by configuration.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults, type Sandbox, startSandbox } from '../src/index.js';
import { validParts } from './fixtures.js';
import { multipart, nextNonce, sign, submit, USER } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ faults: true });
});
afterAll(() => sandbox.close());

/** A signed submission that reports how the exchange ended, including drops. */
function exchange(target: Sandbox, fault?: string) {
  const form = multipart(validParts('selfie'));
  const path = `/b2b/verifications/${USER}`;
  const nonce = nextNonce();
  const headers: Record<string, string> = {
    'Content-Type': form.contentType,
    'API-Key': target.apiKey,
    'API-Nonce': nonce,
    'API-Sign': sign(target.apiSecret, path, nonce, form.body),
  };
  if (fault !== undefined) headers['X-Sandbox-Fault'] = fault;
  const url = new URL(target.url);
  return new Promise<{ status?: number; headers?: Record<string, unknown>; body?: string; error?: string; stage: string; ms: number }>((resolve) => {
    const started = Date.now();
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString(), stage: 'complete', ms: Date.now() - started }),
      );
      res.on('error', (error) =>
        resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), error: error.message, stage: 'body', ms: Date.now() - started }),
      );
    });
    req.on('error', (error) => resolve({ error: error.message, stage: 'head', ms: Date.now() - started }));
    req.end(form.body);
  });
}

describe('header faults', () => {
  it.each([
    ['429;retry-after=1', 429, '1', 'EAPI:Rate limit exceeded'],
    ['503;retry-after=2', 503, '2', 'EService:Unavailable'],
    ['500', 500, undefined, 'EGeneral:Internal error'],
  ])('%s', async (fault, status, retryAfter, error) => {
    const before = sandbox.submissions().length;
    const reply = await exchange(sandbox, fault);
    expect(reply.status).toBe(status);
    expect(reply.headers?.['retry-after']).toBe(retryAfter);
    expect(JSON.parse(reply.body!)).toEqual({ error: [error] });
    expect(sandbox.submissions().length).toBe(before);
  });

  it('delay;ms=300 delays, then handles the request normally', async () => {
    const reply = await exchange(sandbox, 'delay;ms=300');
    expect(reply.status).toBe(200);
    expect(reply.ms).toBeGreaterThanOrEqual(280);
  });

  it('delay combined with a status', async () => {
    const reply = await exchange(sandbox, 'delay=150, 503;retry-after=1');
    expect(reply.status).toBe(503);
    expect(reply.ms).toBeGreaterThanOrEqual(140);
  });

  it('drop closes the connection before any response', async () => {
    const reply = await exchange(sandbox, 'drop');
    expect(reply.stage).toBe('head');
    expect(reply.status).toBeUndefined();
    expect(reply.error).toMatch(/socket hang up|ECONNRESET/);
  });

  it('drop;when=mid-response sends the status line and part of the body, then resets', async () => {
    const reply = await exchange(sandbox, 'drop;when=mid-response');
    expect(reply.status).toBe(200);
    expect(reply.stage).toBe('body');
    expect(reply.body!.length).toBeGreaterThan(0);
    expect(() => JSON.parse(reply.body!)).toThrow();
  });

  it('malformed-json answers 200 with a body that is not JSON', async () => {
    const reply = await exchange(sandbox, 'malformed-json');
    expect(reply.status).toBe(200);
    expect(reply.stage).toBe('complete');
    expect(reply.headers?.['content-type']).toMatch(/^application\/json/);
    expect(() => JSON.parse(reply.body!)).toThrow();
  });

  it('rejects an unknown fault with 400', async () => {
    const reply = await exchange(sandbox, 'explode');
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body!).error[0]).toMatch(/^EGeneral:Invalid arguments:X-Sandbox-Fault Unknown fault/);
  });

  it('ignores the header unless faults are enabled', async () => {
    const plain = await startSandbox();
    try {
      expect((await exchange(plain, '500')).status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});

describe('queued faults', () => {
  it('injectFault applies to the next N API requests, then the sandbox behaves again', async () => {
    sandbox.injectFault('503;retry-after=1', 2);
    sandbox.injectFault({ kind: 'status', status: 429, retryAfter: '3' });
    expect((await exchange(sandbox)).status).toBe(503);
    expect((await exchange(sandbox)).status).toBe(503);
    const limited = await exchange(sandbox);
    expect([limited.status, limited.headers?.['retry-after']]).toEqual([429, '3']);
    expect((await exchange(sandbox)).status).toBe(200);
  });

  it('takes queued faults from the options, and clearFaults drops them', async () => {
    const local = await startSandbox({ faults: { queue: ['500', 'drop', 'malformed-json'] } });
    try {
      expect((await exchange(local)).status).toBe(500);
      expect((await exchange(local)).stage).toBe('head');
      local.clearFaults();
      expect((await exchange(local)).status).toBe(200);
      // The header stays ignored: only the queue was configured.
      expect((await exchange(local, '500')).status).toBe(200);
    } finally {
      await local.close();
    }
  });

  it('does not consume faults on the sandbox-only endpoints', async () => {
    sandbox.injectFault('500');
    const own = await fetch(`${sandbox.url}/_sandbox/submissions`);
    expect(own.status).toBe(200);
    expect((await submit(sandbox, validParts('selfie'))).status).toBe(500);
  });
});

describe('parseFaults', () => {
  it('parses the documented syntax', () => {
    expect(parseFaults('delay;ms=250, 429;retry-after=1, 500, drop;when=mid-response, malformed-json, delay=5')).toEqual([
      { kind: 'delay', ms: 250 },
      { kind: 'status', status: 429, retryAfter: '1' },
      { kind: 'status', status: 500 },
      { kind: 'drop', when: 'mid-response' },
      { kind: 'malformed-json' },
      { kind: 'delay', ms: 5 },
    ]);
  });
  it.each(['', 'delay', 'delay;ms=-1', '404', 'drop;when=later', '429;retry-after', '429;retry-after=1\r\nSet-Cookie: x'])('rejects %j', (text) => {
    expect(() => parseFaults(text)).toThrow();
  });
});
