// Shared by the release tests: the workspace's public packages, child processes, a free port and
// a local Verdaccio registry (started and stopped by the test, 127.0.0.1 only, no uplink).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VERDACCIO_BIN = fileURLToPath(new URL('../node_modules/verdaccio/bin/verdaccio', import.meta.url));

export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  readonly path: string;
  readonly private: boolean;
}

/** Runs a command; rejects with its output when it exits non-zero. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 1_200_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(' ')} (in ${options.cwd}) failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** The workspace packages as pnpm lists them (the same set `pnpm publish -r` considers). */
export async function workspacePackages(root: string = REPO_ROOT): Promise<WorkspacePackage[]> {
  const { stdout } = await run('pnpm', ['ls', '-r', '--depth', '-1', '--json'], { cwd: root });
  const listed = JSON.parse(stdout) as { name: string; version: string; path: string; private?: boolean }[];
  return listed.map((p) => ({ name: p.name, version: p.version, path: p.path, private: p.private === true }));
}

export async function publicPackages(root: string = REPO_ROOT): Promise<WorkspacePackage[]> {
  return (await workspacePackages(root)).filter((p) => !p.private);
}

export async function tempDir(prefix: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `embedkit-${prefix}-`));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Registry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** The npmrc line that lets npm and pnpm publish to it (Verdaccio accepts any token here). */
  readonly authLine: string;
  stop(): Promise<void>;
}

/**
 * Starts Verdaccio on 127.0.0.1 with its storage in `dir`: `@embedkit/*` can be published
 * anonymously, and nothing is proxied (no uplink), so every other name is a 404 here.
 */
export async function startRegistry(dir: string): Promise<Registry> {
  const port = await freePort();
  await mkdir(join(dir, 'storage'), { recursive: true });
  const config = join(dir, 'config.yaml');
  await writeFile(
    config,
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      '    max_users: -1',
      'uplinks: {}',
      'packages:',
      "  '@embedkit/*':",
      '    access: $all',
      '    publish: $all',
      '    unpublish: $all',
      "  '**':",
      '    access: $all',
      'server:',
      '  keepAliveTimeout: 60',
      'log: { type: stdout, format: pretty, level: warn }',
      'max_body_size: 100mb',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(process.execPath, [VERDACCIO_BIN, '--config', config, '--listen', `127.0.0.1:${port}`], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VERDACCIO_PUBLIC_URL: '' },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`${url}-/ping`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`verdaccio did not answer /-/ping within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, authLine: `//127.0.0.1:${port}/:_authToken=release-test`, stop };
}
