/**
 * Many processes, one API key, the sandbox in strict nonce mode (each nonce must be greater than
 * the last accepted one; no window). Each process is a child (test/fixtures/submitter.mjs) using
 * the built client; the sandbox runs here and records what it accepted.
 *
 * Figures go to the console and to test-output/nonces-multi-process.json (repo root).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type Sandbox, startSandbox } from '@embedkit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from './redis-server.js';

const PROCESSES = 8;
const PER_PROCESS = 250;
const SUBMITTER = new URL('./fixtures/submitter.mjs', import.meta.url);
const OUTPUT = new URL('../../../test-output/nonces-multi-process.json', import.meta.url);

interface Outcome {
  tag: string;
  ok: boolean;
  id?: string;
  ms: number;
  name?: string;
  code?: string;
  message?: string;
  invalidNonce?: boolean;
}
type Message =
  | { type: 'ready' }
  | { type: 'done'; results?: Outcome[]; nonceRetries: number }
  | { type: 'result'; at: number; result: Outcome };

interface Child {
  process: ChildProcess;
  messages: Message[];
  stderr: string;
  waitFor(type: Message['type']): Promise<Message>;
}

function spawnSubmitter(env: Record<string, string>, onMessage?: (message: Message) => void): Child {
  const child = fork(SUBMITTER, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const state: Child = {
    process: child,
    messages: [],
    stderr: '',
    waitFor(type) {
      const seen = state.messages.find((m) => m.type === type);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const onMessage = (m: Message) => {
          if (m.type !== type) return;
          child.off('message', onMessage);
          resolve(m);
        };
        child.on('message', onMessage);
        child.once('exit', (code) => reject(new Error(`submitter exited (${code}) before "${type}": ${state.stderr.slice(-2000)}`)));
      });
    },
  };
  child.stderr!.on('data', (chunk: Buffer) => {
    state.stderr += chunk.toString('utf8');
  });
  child.on('message', (m: Message) => {
    state.messages.push(m);
    onMessage?.(m);
  });
  return state;
}

function record(name: string, figures: Record<string, unknown>): void {
  mkdirSync(new URL('./', OUTPUT), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(OUTPUT, 'utf8')) as Record<string, unknown>;
  } catch {
    // first figures of this run
  }
  all[name] = { ...figures, at: new Date().toISOString() };
  writeFileSync(OUTPUT, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`[nonces] ${name}: ${JSON.stringify(figures)}`);
}

/** What the sandbox accepted: every nonce once, every tagged submission at most once. */
function accepted(sandbox: Sandbox): { count: number; duplicateNonces: number; duplicateSubmissions: number; tags: Set<string> } {
  const nonces = new Set(sandbox.submissions().map((s) => s.nonce));
  const tags = sandbox.submissions().map((s) => String((s.metadata as { verifier?: unknown }).verifier));
  const unique = new Set(tags);
  return {
    count: sandbox.submissions().length,
    duplicateNonces: sandbox.submissions().length - nonces.size,
    duplicateSubmissions: tags.length - unique.size,
    tags: unique,
  };
}

/**
 * The sandbox for a burst: strict nonces, and patient timeouts, since 2,000 uploads at once on a
 * shared 2-core machine can take a while (this test is about nonces; deadlines are tested elsewhere).
 */
function strictSandbox(): Promise<Sandbox> {
  return startSandbox({ nonceWindow: 0, timeouts: { headers: 420_000, request: 420_000, idle: 420_000, keepAlive: 420_000 } });
}

/** Runs PROCESSES x PER_PROCESS concurrent submissions; all processes start together. */
async function burst(sandbox: Sandbox, env: Record<string, string>, perProcess: (index: number) => Record<string, string> = () => ({})) {
  const children = Array.from({ length: PROCESSES }, (_, i) =>
    spawnSubmitter({
      CALL_TIMEOUT_MS: '420000',
      REDIS_TIMEOUT_MS: '10000',
      ...env,
      MODE: 'burst',
      COUNT: String(PER_PROCESS),
      PROCESS_INDEX: String(i),
      ...perProcess(i),
      EMBED_BASE_URL: sandbox.url,
      EMBED_API_KEY: sandbox.apiKey,
      EMBED_API_SECRET: sandbox.apiSecret,
    }),
  );
  await Promise.all(children.map((c) => c.waitFor('ready')));
  const started = performance.now();
  for (const c of children) c.process.send('go');
  const done = (await Promise.all(children.map((c) => c.waitFor('done')))) as Array<Extract<Message, { type: 'done' }>>;
  const seconds = (performance.now() - started) / 1000;
  const results = done.flatMap((d) => d.results ?? []);
  const failures = results.filter((r) => !r.ok);
  const failureKinds: Record<string, number> = {};
  for (const f of failures) {
    const kind = f.invalidNonce ? 'EAPI:Invalid nonce' : `${f.name}/${f.code}`;
    failureKinds[kind] = (failureKinds[kind] ?? 0) + 1;
  }
  return {
    failureKinds,
    results,
    failures,
    seconds,
    nonceRetries: done.reduce((sum, d) => sum + d.nonceRetries, 0),
  };
}

describe(`${PROCESSES} processes x ${PER_PROCESS} concurrent submissions on one API key, strict sandbox`, () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('one Redis counter: 0 permanent failures, 0 duplicates; nonce retries counted', async () => {
    const sandbox = await strictSandbox();
    try {
      const run = await burst(sandbox, { NONCES: 'redis', REDIS_URL: redis.url });
      const seen = accepted(sandbox);
      record('redis', {
        processes: PROCESSES,
        perProcess: PER_PROCESS,
        permanentFailures: run.failures.length,
        failureKinds: run.failureKinds,
        nonceRetries: run.nonceRetries,
        accepted: seen.count,
        duplicateNonces: seen.duplicateNonces,
        duplicateSubmissions: seen.duplicateSubmissions,
        seconds: Number(run.seconds.toFixed(1)),
      });
      expect(run.failures.slice(0, 3)).toEqual([]);
      expect(run.results).toHaveLength(PROCESSES * PER_PROCESS);
      expect(seen.count).toBe(PROCESSES * PER_PROCESS);
      expect(seen.duplicateNonces).toBe(0);
      expect(seen.duplicateSubmissions).toBe(0);
      // Every submission the processes saw succeed is the one the sandbox recorded.
      const ids = new Set(sandbox.submissions().map((s) => s.verification_id));
      expect(run.results.every((r) => r.id !== undefined && ids.has(r.id))).toBe(true);
    } finally {
      await sandbox.close();
    }
  }, 480_000);

  it('before: one in-memory nonce source per process, as on 8 hosts whose clocks are 0 to 70 ms apart (counts reported)', async () => {
    const sandbox = await strictSandbox();
    try {
      const run = await burst(sandbox, { NONCES: 'memory' }, (i) => ({ CLOCK_SKEW_MS: String(10 * i) }));
      const seen = accepted(sandbox);
      const invalidNonce = run.failures.filter((f) => f.invalidNonce).length;
      record('in-memory-per-process', {
        clockSkewMs: '0 to 70',
        processes: PROCESSES,
        perProcess: PER_PROCESS,
        permanentFailures: run.failures.length,
        permanentInvalidNonce: invalidNonce,
        failureKinds: run.failureKinds,
        nonceRetries: run.nonceRetries,
        accepted: seen.count,
        duplicateNonces: seen.duplicateNonces,
        seconds: Number(run.seconds.toFixed(1)),
      });
      // Failures here are the problem this package solves; they must all be typed nonce rejections.
      expect(run.failures.filter((f) => !f.invalidNonce)).toEqual([]);
      expect(seen.count).toBe(PROCESSES * PER_PROCESS - run.failures.length);
      expect(seen.duplicateNonces).toBe(0);
      expect(seen.duplicateSubmissions).toBe(0);
    } finally {
      await sandbox.close();
    }
  }, 480_000);
});

describe('Redis stopped mid-run, then restarted', () => {
  it('submissions fail with typed errors within the time bound while Redis is down, and succeed again after it restarts', async () => {
    const redis = await startRedisServer();
    const sandbox = await strictSandbox();
    const redisTimeoutMs = 2000;
    // One attempt per call: the bound of a failing call is then the nonce source's own timeout.
    const env = {
      MODE: 'loop',
      CONCURRENCY: '4',
      NONCES: 'redis',
      REDIS_URL: redis.url,
      REDIS_TIMEOUT_MS: String(redisTimeoutMs),
      RETRY: JSON.stringify({ maxAttempts: 1 }),
      EMBED_BASE_URL: sandbox.url,
      EMBED_API_KEY: sandbox.apiKey,
      EMBED_API_SECRET: sandbox.apiSecret,
    };
    // Outcomes by when their call started (Date.now() in the children, same clock).
    const outcomes: Array<Outcome & { startedAt: number }> = [];
    const children = Array.from({ length: 4 }, (_, i) =>
      spawnSubmitter({ ...env, PROCESS_INDEX: String(i) }, (m) => {
        if (m.type === 'result') outcomes.push({ ...m.result, startedAt: m.at - m.result.ms });
      }),
    );
    let stoppedAt = Number.POSITIVE_INFINITY;
    let restartedAt = Number.POSITIVE_INFINITY;
    const whileDown = () => outcomes.filter((o) => o.startedAt > stoppedAt && o.startedAt + o.ms < restartedAt);
    const afterRestart = () => outcomes.filter((o) => o.startedAt > restartedAt);
    // Each process is back once one of its calls started after the restart has succeeded
    // (node-redis reconnects with a backoff of at most 1 s); from then on, nothing may fail.
    const processOf = (o: Outcome) => o.tag.split('-')[0]!;
    const recoveredAt = () => {
      const at = new Map<string, number>();
      for (const o of afterRestart()) {
        if (o.ok) at.set(processOf(o), Math.min(at.get(processOf(o)) ?? Number.POSITIVE_INFINITY, o.startedAt + o.ms));
      }
      return at;
    };
    const afterRecovery = () => {
      const at = recoveredAt();
      return outcomes.filter((o) => o.startedAt > (at.get(processOf(o)) ?? Number.POSITIVE_INFINITY));
    };
    const until = async (condition: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    };
    try {
      await Promise.all(children.map((c) => c.waitFor('ready')));
      for (const c of children) c.process.send('go');
      await until(() => outcomes.filter((o) => o.ok).length >= 40, 60_000);
      await redis.stop();
      stoppedAt = Date.now();
      await until(() => whileDown().length >= 40, 30_000);
      await redis.start();
      restartedAt = Date.now();
      await until(() => recoveredAt().size === children.length && afterRecovery().length >= 40, 60_000);
      for (const c of children) c.process.send('stop');
      await Promise.all(children.map((c) => c.waitFor('done')));

      const downFailures = whileDown().filter((o) => !o.ok);
      const seen = accepted(sandbox);
      record('redis-outage', {
        processes: children.length,
        before: outcomes.filter((o) => o.startedAt + o.ms < stoppedAt).length,
        downFailures: downFailures.length,
        downFailureCodes: [...new Set(downFailures.map((o) => `${o.name}/${o.code}`))],
        downSlowestMs: Math.round(Math.max(0, ...downFailures.map((o) => o.ms))),
        recoveryMs: Math.round(Math.max(0, ...[...recoveredAt().values()].map((at) => at - restartedAt))),
        afterRecoveryOk: afterRecovery().filter((o) => o.ok).length,
        afterRecoveryFailures: afterRecovery().filter((o) => !o.ok).length,
        duplicateNonces: seen.duplicateNonces,
      });
      expect(downFailures.length).toBeGreaterThanOrEqual(40);
      for (const failure of downFailures) {
        expect(failure.code, failure.message).toMatch(/^EMBED_/);
        // The source's own timeout, plus room for a loaded machine's event loop.
        expect(failure.ms).toBeLessThan(redisTimeoutMs + 3000);
      }
      expect(whileDown().filter((o) => o.ok)).toEqual([]);
      expect(recoveredAt().size).toBe(children.length);
      expect(afterRecovery().length).toBeGreaterThanOrEqual(40);
      // Once Redis answers again, nothing fails (a reseeded counter is above every earlier nonce).
      expect(afterRecovery().filter((o) => !o.ok)).toEqual([]);
      expect(seen.duplicateNonces).toBe(0);
      expect(seen.duplicateSubmissions).toBe(0);
      expect(seen.count).toBe(outcomes.filter((o) => o.ok).length);
    } finally {
      for (const c of children) c.process.kill();
      await sandbox.close();
      await redis.stop();
    }
  }, 240_000);
});
