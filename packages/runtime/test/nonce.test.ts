import { TEST_SCHEME, createSignedCore } from './helpers.js';
import { describe, expect, it } from 'vitest';
import {
  EmbedConfigError,
  MAX_NONCE,
  createNonceSource,
  defaultNonceSource,
  epochNanoseconds,
} from '../src/index.js';

describe('createNonceSource', () => {
  it('is strictly increasing over 100,000 calls with the real clock', () => {
    const source = createNonceSource();
    let last = source.next() as bigint;
    let violations = 0;
    for (let i = 0; i < 100_000; i++) {
      const n = source.next() as bigint;
      if (n <= last) violations++;
      last = n;
    }
    expect(violations).toBe(0);
  });

  it('is epoch nanoseconds, close to the wall clock, and fits an unsigned 64-bit integer', () => {
    const n = defaultNonceSource.next() as bigint;
    const wallNs = BigInt(Date.now()) * 1_000_000n;
    const diff = n > wallNs ? n - wallNs : wallNs - n;
    expect(diff).toBeLessThan(5_000_000_000n); // within 5 s
    expect(n).toBeLessThan(MAX_NONCE);
    expect(epochNanoseconds()).toBeGreaterThan(1_700_000_000_000_000_000n);
  });

  it('stays strictly increasing when the clock steps back or stands still', () => {
    const times = [100n, 200n, 150n, 150n, 50n, 201n, 203n, 203n, 1000n, 10n];
    let i = 0;
    const source = createNonceSource({ now: () => times[i++]! });
    const out = times.map(() => source.next() as bigint);
    expect(out).toEqual([100n, 200n, 201n, 202n, 203n, 204n, 205n, 206n, 1000n, 1001n]);
  });

  it('never goes back under a clock that oscillates for 100,000 calls', () => {
    let t = 5_000_000n;
    let step = 0;
    const source = createNonceSource({
      now: () => {
        step++;
        t += step % 3 === 0 ? -1_000n : 400n; // steps back every third call
        return t;
      },
    });
    let last = 0n;
    let violations = 0;
    for (let k = 0; k < 100_000; k++) {
      const n = source.next() as bigint;
      if (n <= last) violations++;
      last = n;
    }
    expect(violations).toBe(0);
    expect(step).toBe(100_000);
  });

  it('starts above a floor (a persisted last nonce)', () => {
    const source = createNonceSource({ now: () => 10n, floor: 1_000n });
    expect(source.next()).toBe(1_001n);
    expect(source.next()).toBe(1_002n);
    expect(() => createNonceSource({ floor: -1n })).toThrow(EmbedConfigError);
  });

  it('hands out distinct nonces to many concurrent callers', async () => {
    const source = createNonceSource();
    const values = await Promise.all(Array.from({ length: 5_000 }, async () => source.next()));
    expect(new Set(values).size).toBe(5_000);
  });
});
