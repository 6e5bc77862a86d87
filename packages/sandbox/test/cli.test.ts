// The embedkit-sandbox command as a child process (the built dist/, which the package's `test`
// script builds first): prints URL and credentials, serves, survives garbage, and exits cleanly
// on SIGTERM and SIGINT.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validParts } from './fixtures.js';
import { raw, send, submit } from './helpers.js';

/** A port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const BIN = fileURLToPath(new URL('../bin/embedkit-sandbox.js', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function start(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; lines: Record<string, string>; stdout: () => string; stderr: () => string }> {
  if (!existsSync(DIST)) throw new Error('dist/cli.js is missing: run `pnpm --filter @embedkit/sandbox build` first');
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${err}`)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('EMBED_API_SECRET=') && out.endsWith('\n')) {
        const lines = Object.fromEntries(
          out
            .split('\n')
            .filter((l) => /^EMBED_[A-Z_]+=/.test(l))
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        );
        child.removeAllListeners('exit');
        resolve({ child, lines, stdout: () => out, stderr: () => err });
      }
    });
  });
}

const exitCode = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('embedkit-sandbox CLI', () => {
  it('prints its URL and the credentials it accepts, serves, and stops on SIGTERM', async () => {
    const secret = Buffer.alloc(64, 3).toString('base64');
    const { child, lines, stderr } = await start(['--port', '0', '--api-key', 'cli-key', '--api-secret', secret, '--max-file-size', '2048']);
    try {
      expect(lines['EMBED_BASE_URL']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines['EMBED_API_KEY']).toBe('cli-key');
      expect(lines['EMBED_API_SECRET']).toBe(secret);
      const sandbox = { url: lines['EMBED_BASE_URL']!, apiKey: 'cli-key', apiSecret: secret };
      // Garbage and an over-limit file, then a valid request: the process keeps serving.
      expect((await raw(sandbox.url, [Buffer.from([0, 1, 2, 255]), '\r\n\r\n'])).status).toBe(400);
      const big = [...validParts('selfie').slice(0, 2), { name: 'selfie', value: Buffer.alloc(4096), filename: 's.jpg', contentType: 'image/jpeg' }];
      expect((await submit(sandbox, big)).status).toBe(413);
      expect((await submit(sandbox, validParts('selfie'))).status).toBe(200);
      // One JSON line per request; secrets never logged.
      const requests = stderr()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { event: string; method?: string; path?: string; status?: number })
        .filter((entry) => entry.event === 'request');
      expect(requests.map((r) => [r.method, r.path, r.status])).toEqual([
        ['POST', '/b2b/verifications/AA95N84GTESTXXXX', 413],
        ['POST', '/b2b/verifications/AA95N84GTESTXXXX', 200],
      ]);
      expect(stderr()).not.toContain(secret);
    } finally {
      const exited = exitCode(child);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('generates credentials when none are given and stops on SIGINT', async () => {
    const { child, lines } = await start(['--port', '0', '--quiet']);
    expect(lines['EMBED_API_KEY']).toMatch(/^sandbox-[0-9a-f]{24}$/);
    expect(Buffer.from(lines['EMBED_API_SECRET']!, 'base64')).toHaveLength(64);
    const exited = exitCode(child);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('takes port and credentials from EMBED_SANDBOX_* environment variables (a flag wins), and answers readiness', async () => {
    const port = await freePort();
    const secret = Buffer.alloc(64, 7).toString('base64');
    const { child, lines } = await start(['--api-key', 'flag-key'], {
      EMBED_SANDBOX_PORT: String(port),
      EMBED_SANDBOX_API_KEY: 'env-key',
      EMBED_SANDBOX_API_SECRET: secret,
      EMBED_SANDBOX_QUIET: '1',
    });
    try {
      expect(lines['EMBED_BASE_URL']).toBe(`http://127.0.0.1:${port}`);
      expect(lines['EMBED_API_KEY']).toBe('flag-key');
      expect(lines['EMBED_API_SECRET']).toBe(secret);
      const ready = await send(`http://127.0.0.1:${port}`, { method: 'GET', path: '/_sandbox/ready' });
      expect(ready.status).toBe(200);
      expect(ready.json.result?.['ready']).toBe(true);
      expect((await submit({ url: `http://127.0.0.1:${port}`, apiKey: 'flag-key', apiSecret: secret }, validParts('selfie'))).status).toBe(200);
    } finally {
      const exited = exitCode(child);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('rejects a bad environment value, naming the variable', async () => {
    const child = spawn(process.execPath, [BIN, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EMBED_SANDBOX_FAULTS: 'yes' } });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    expect(await exitCode(child)).toBe(1);
    expect(err).toContain('EMBED_SANDBOX_FAULTS must be 1, true, 0 or false');
  });

  it('rejects unknown flags', async () => {
    const child = spawn(process.execPath, [BIN, '--prot', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
    });
    expect(await exitCode(child)).toBe(1);
    expect(err).toMatch(/Unknown option '--prot'/);
  });
});
