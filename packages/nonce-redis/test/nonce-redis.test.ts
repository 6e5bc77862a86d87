import { createHash } from 'node:crypto';
import { EmbedAbortError, EmbedConfigError, EmbedError, EmbedNetworkError } from '@embedkit/runtime';
import fc from 'fast-check';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisNonceSource, DEFAULT_REDIS_NONCE_KEY_PREFIX, type RedisNonceSource, redisNonceKey } from '../src/index.js';
import { type RedisServer, startRedisServer } from './redis-server.js';

const I64_MAX = 9_223_372_036_854_775_807n;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;
let redis: RedisServer;
let admin: ReturnType<typeof createClient>;
let apiKeyCounter = 0;
const freshApiKey = () => `test-api-key-${process.pid}-${++apiKeyCounter}`;
const sources: RedisNonceSource[] = [];
// Patient by default: these tests are about values, and the machine running them may be busy.
// The timeout tests set their own.
function source(options: Parameters<typeof createRedisNonceSource>[0]): RedisNonceSource {
  const created = createRedisNonceSource({ timeoutMs: 10_000, ...options });
  sources.push(created);
  return created;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  redis = await startRedisServer();
  admin = createClient({ url: redis.url });
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(sources.map((s) => s.close()));
  admin?.destroy();
  await redis?.stop();
});

describe('nonces', () => {
  it('are epoch nanoseconds from Redis, exact as bigint, and all distinct and increasing under concurrency from several connections', async () => {
    const apiKey = freshApiKey();
    const a = source({ url: redis.url, apiKey });
    const b = source({ url: redis.url, apiKey });
    const before = nowNs();
    const drawn: bigint[] = [];
    // Each source's own sequence must increase (a caller awaiting next() one at a time).
    const sequential = async (s: RedisNonceSource) => {
      let last = 0n;
      for (let i = 0; i < 100; i++) {
        const n = await s.next();
        expect(n).toBeGreaterThan(last);
        last = n;
        drawn.push(n);
      }
    };
    const concurrent = await Promise.all(Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? a : b).next()));
    drawn.push(...concurrent);
    await Promise.all([sequential(a), sequential(b)]);
    expect(new Set(drawn).size).toBe(drawn.length);
    for (const n of drawn) {
      expect(typeof n).toBe('bigint');
      expect(n).toBeGreaterThan(2n ** 53n);
      // Within a minute of this host's clock (same machine as Redis).
      expect(n > before - 60_000_000_000n && n < nowNs() + 60_000_000_000n).toBe(true);
    }
    // What Redis stores is exactly the largest nonce handed out.
    const largest = [...drawn].sort((x, y) => (x < y ? -1 : 1)).at(-1)!;
    expect(await admin.get(a.key)).toBe(largest.toString());
  });

  it('count on from a stored value above the clock, exactly (no double rounding near 2^63)', async () => {
    const s = source({ url: redis.url, apiKey: freshApiKey() });
    await admin.set(s.key, (I64_MAX - 3n).toString());
    expect(await s.next()).toBe(I64_MAX - 2n);
    expect(await s.next()).toBe(I64_MAX - 1n);
    expect(await s.next()).toBe(I64_MAX);
    // Redis counters are signed 64-bit: past that, a typed error, not a wrapped value.
    const error = await rejection(s.next());
    expect(error).toBeInstanceOf(EmbedConfigError);
    expect((error as Error).message).toMatch(/overflow/);
    expect(await admin.get(s.key)).toBe(I64_MAX.toString());
  });

  it('jump to the clock when the counter is behind it (a stale counter, or a reseed after Redis lost the key)', async () => {
    const s = source({ url: redis.url, apiKey: freshApiKey() });
    await admin.set(s.key, '5');
    const before = nowNs();
    const n = await s.next();
    expect(n).toBeGreaterThan(before - 1_000_000_000n);
    await admin.del(s.key);
    expect(await s.next()).toBeGreaterThan(n);
  });

  it('keep one counter per API key, named by a hash of the key (neither the API key nor anything secret in Redis)', async () => {
    const apiKey = 'my-public-api-key/with:odd chars';
    const s = source({ url: redis.url, apiKey });
    const other = source({ url: redis.url, apiKey: freshApiKey() });
    const prefixed = source({ url: redis.url, apiKey, keyPrefix: 'svc-a:' });
    expect(s.key).toBe(DEFAULT_REDIS_NONCE_KEY_PREFIX + createHash('sha256').update(apiKey).digest('hex').slice(0, 32));
    expect(redisNonceKey(apiKey)).toBe(s.key);
    expect(prefixed.key.startsWith('svc-a:')).toBe(true);
    await admin.set(other.key, (I64_MAX - 10n).toString());
    const n = await s.next();
    expect(n).toBeLessThan(I64_MAX - 10n); // the other key's counter does not leak into this one
    await prefixed.next();
    const keys = await admin.keys('*');
    expect(keys).toContain(s.key);
    expect(keys.some((k) => k.includes(apiKey))).toBe(false);
  });

  it('work with a node-redis client the caller connected (and leave it open on close)', async () => {
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const s = createRedisNonceSource({ client, apiKey: freshApiKey() });
      const first = await s.next();
      expect(await s.next()).toBeGreaterThan(first);
      await s.close();
      expect(client.isReady).toBe(true);
      expect(await s.next()).toBeGreaterThan(first);
    } finally {
      client.destroy();
    }
  });

  it('reload the script after Redis forgot it (SCRIPT FLUSH)', async () => {
    const s = source({ url: redis.url, apiKey: freshApiKey() });
    const first = await s.next();
    await admin.scriptFlush();
    expect(await s.next()).toBeGreaterThan(first);
  });
});

describe('failures are typed, within the timeout', () => {
  it('Redis unreachable: EmbedNetworkError (sent: false), without the URL or its password', async () => {
    const down = await startRedisServer();
    await down.stop();
    const s = source({ url: `redis://:hunter2-secret@127.0.0.1:${down.port}`, apiKey: 'key-unreachable', timeoutMs: 500 });
    const started = performance.now();
    const error = await rejection(s.next());
    expect(performance.now() - started).toBeLessThan(500 + 1500);
    expect(error).toBeInstanceOf(EmbedNetworkError);
    expect((error as EmbedNetworkError).sent).toBe(false);
    expect((error as EmbedNetworkError).systemCode).toBe('ECONNREFUSED');
    const text = `${String(error)} ${JSON.stringify(error)}`;
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('key-unreachable');
  });

  it('Redis hanging (SIGSTOP): EmbedNetworkError ETIMEDOUT after timeoutMs; the caller signal aborts first; fine after SIGCONT', async () => {
    const paused = await startRedisServer();
    try {
      const s = source({ url: paused.url, apiKey: freshApiKey(), timeoutMs: 300 });
      const before = await s.next();
      process.kill(paused.pid!, 'SIGSTOP');
      let started = performance.now();
      const timedOut = await rejection(s.next());
      const elapsed = performance.now() - started;
      expect(timedOut).toBeInstanceOf(EmbedNetworkError);
      expect((timedOut as EmbedNetworkError).systemCode).toBe('ETIMEDOUT');
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(300 + 1500); // the timeout, plus room for a busy machine

      started = performance.now();
      const aborted = await rejection(s.next({ signal: AbortSignal.timeout(50) }));
      expect(aborted).toBeInstanceOf(EmbedAbortError);
      expect(performance.now() - started).toBeLessThan(50 + 1500);
      const controller = new AbortController();
      controller.abort(new Error('shutting down'));
      expect(await rejection(s.next({ signal: controller.signal }))).toBeInstanceOf(EmbedAbortError);

      process.kill(paused.pid!, 'SIGCONT');
      expect(await s.next()).toBeGreaterThan(before);
    } finally {
      await paused.stop();
    }
  });

  it('Redis stopped, then restarted: typed errors while it is down, increasing nonces again after', async () => {
    const server = await startRedisServer();
    try {
      const s = source({ url: server.url, apiKey: freshApiKey(), timeoutMs: 500 });
      const before = await s.next();
      await server.stop();
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const error = await rejection(s.next());
        expect(error).toBeInstanceOf(EmbedNetworkError);
        expect(performance.now() - started).toBeLessThan(500 + 1500);
      }
      await server.start(); // empty: the counter is reseeded from Redis's clock
      let after: bigint | undefined;
      for (let i = 0; i < 60 && after === undefined; i++) {
        try {
          after = await s.next();
        } catch (error) {
          expect(error).toBeInstanceOf(EmbedNetworkError);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(after).toBeGreaterThan(before);
    } finally {
      await server.stop();
    }
  });

  it('Redis refusing the command (a password is required): EmbedConfigError', async () => {
    const guarded = await startRedisServer(['--requirepass', 'redis-pass-123']);
    try {
      const refused = source({ url: guarded.url, apiKey: freshApiKey() });
      const error = await rejection(refused.next());
      expect(error).toBeInstanceOf(EmbedConfigError);
      expect((error as Error).message).toMatch(/NOAUTH/);
      expect(JSON.stringify(error)).not.toContain('redis-pass-123');
      const ok = source({ url: `redis://:redis-pass-123@127.0.0.1:${guarded.port}`, apiKey: freshApiKey() });
      expect(await ok.next()).toBeGreaterThan(2n ** 53n);
    } finally {
      await guarded.stop();
    }
  });

  it('a key holding something else: EmbedConfigError, the value untouched', async () => {
    const s = source({ url: redis.url, apiKey: freshApiKey() });
    await admin.set(s.key, 'not-a-number');
    const error = await rejection(s.next());
    expect(error).toBeInstanceOf(EmbedConfigError);
    expect((error as Error).message).toMatch(/not a nonce counter/);
    expect(await admin.get(s.key)).toBe('not-a-number');
    await admin.del(s.key);
    await admin.hSet(s.key, 'a', '1');
    expect(await rejection(s.next())).toBeInstanceOf(EmbedConfigError);
  });

  it('a client answering nonsense: EmbedConfigError', async () => {
    for (const reply of [42, null, '-1', '007', 'abc', '123456789012345678901', { a: 1 }]) {
      const s = createRedisNonceSource({ client: { sendCommand: async () => reply }, apiKey: 'k' });
      expect(await rejection(s.next())).toBeInstanceOf(EmbedConfigError);
    }
  });

  it('bad options: EmbedConfigError naming the option, for any value (fast-check)', () => {
    const cases: Array<[unknown, string]> = [
      [undefined, 'options'],
      [{ url: redis.url }, 'apiKey'],
      [{ apiKey: 'k' }, 'client'],
      [{ apiKey: 'k', url: redis.url, client: admin }, 'client'],
      [{ apiKey: 'k', client: {} }, 'client'],
      [{ apiKey: 'k', url: 'http://127.0.0.1:1' }, 'url'],
      [{ apiKey: 'k', url: 'redis://:secret-pw@[bad' }, 'url'],
      [{ apiKey: 'k', url: redis.url, timeoutMs: 0 }, 'timeoutMs'],
      [{ apiKey: 'k', url: redis.url, keyPrefix: 1 }, 'keyPrefix'],
      [
        {
          get apiKey(): string {
            throw new Error('getter');
          },
        },
        'options',
      ],
    ];
    for (const [options, option] of cases) {
      let caught: unknown;
      try {
        createRedisNonceSource(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught, option).toBeInstanceOf(EmbedConfigError);
      expect((caught as EmbedConfigError).option).toBe(option);
      expect((caught as Error).message).not.toContain('secret-pw');
    }
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true }), (value) => {
        for (const attempt of [() => createRedisNonceSource(value as never), () => redisNonceKey(value as never)]) {
          try {
            attempt();
          } catch (error) {
            expect(error).toBeInstanceOf(EmbedError);
          }
        }
      }),
    );
  });

  it('bad next() options: a typed rejection, nothing sent', async () => {
    let sent = 0;
    const s = createRedisNonceSource({
      client: {
        sendCommand: async () => {
          sent++;
          return '1';
        },
      },
      apiKey: 'k',
    });
    await fc.assert(
      fc.asyncProperty(fc.anything({ withBigInt: true }), async (value) => {
        try {
          await s.next(value as never);
        } catch (error) {
          expect(error).toBeInstanceOf(EmbedConfigError);
        }
      }),
    );
    const before = sent;
    expect(await rejection(s.next({ signal: 'soon' as never }))).toBeInstanceOf(EmbedConfigError);
    expect(sent).toBe(before);
  });
});
