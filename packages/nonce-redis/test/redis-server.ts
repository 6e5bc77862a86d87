/**
 * Starts Debian's `redis-server` for a test: on a free port of 127.0.0.1, persistence off, no
 * config file. `.ci/run` installs the package; set `REDIS_SERVER` to use another binary.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export const REDIS_SERVER = process.env['REDIS_SERVER'] ?? 'redis-server';

/** A running (or stopped, then restartable) redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM; nothing is saved). */
  stop(): Promise<void>;
  /** Starts it again on the same port (with an empty dataset). */
  start(): Promise<void>;
  /** The process id, for SIGSTOP/SIGCONT. */
  readonly pid: number | undefined;
}

/** Throws a clear error when redis-server is not installed. */
export function requireRedisServer(): void {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(`${REDIS_SERVER} is not installed: apt-get install redis-server (CI's .ci/run installs it), or set REDIS_SERVER`);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function launch(port: number, extraArgs: readonly string[]): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.resume();
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready: ${output.slice(-500)}`)));
  });
}

/** Starts redis-server on a free port (retrying if another process took the port first). */
export async function startRedisServer(extraArgs: readonly string[] = []): Promise<RedisServer> {
  requireRedisServer();
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, extraArgs);
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
  const server = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    async stop() {
      const running = child;
      child = undefined;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      running.kill('SIGCONT'); // in case a test paused it
      running.kill('SIGTERM');
      await once(running, 'exit');
    },
    async start() {
      if (child !== undefined) return;
      child = await launch(port, extraArgs);
    },
  };
  return server;
}
