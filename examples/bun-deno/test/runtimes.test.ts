/**
 * Runs src/check.ts under Bun and under Deno (the npm packages `bun` and `deno`, whose platform
 * binaries ship inside registry packages) against a sandbox started here, and checks what each
 * runtime reports and what the sandbox recorded.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Sandbox, startSandbox } from '@embedkit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const TYPES = ['identity_document', 'residence_document', 'tax_id_document', 'selfie', 'watchlists'];
const EXPECTED_CHECKS = [
  ...TYPES.map((type) => `submit ${type}`),
  'users.get',
  'EmbedValidationError (nothing sent)',
  'EmbedConfigError (secret not base64)',
  'EmbedApiError 401 Invalid signature (wrong secret)',
  'EmbedApiError 503 (fault)',
  'EmbedTimeoutError (slow server)',
  'EmbedNetworkError (nothing listening)',
];

interface Report {
  runtime: string;
  checks: Array<{ name: string; ok: boolean; detail: string }>;
}

let sandbox: Sandbox;
let closedUrl: string;
const denoDir = mkdtempSync(join(tmpdir(), 'embedkit-deno-'));

beforeAll(async () => {
  sandbox = await startSandbox({ faults: true });
  // A port nothing listens on (Deno refuses the fetch spec's "bad ports", so not a fixed one).
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  closedUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  probe.close();
});

afterAll(async () => {
  await sandbox?.close();
  rmSync(denoDir, { recursive: true, force: true });
});

async function check(command: string, args: string[]): Promise<Report> {
  const before = sandbox.submissions().length;
  const { stdout } = await run(command, args, {
    cwd: root,
    env: {
      ...process.env,
      EMBED_BASE_URL: sandbox.url,
      EMBED_API_KEY: sandbox.apiKey,
      EMBED_API_SECRET: sandbox.apiSecret,
      EMBED_CLOSED_URL: closedUrl,
      DENO_DIR: denoDir,
      DENO_NO_UPDATE_CHECK: '1',
      NO_COLOR: '1',
    },
    timeout: 110_000,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`${command} failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
  // Exactly the five accepted submissions reached the sandbox (the invalid one was never sent).
  const recorded = sandbox.submissions().slice(before);
  expect(recorded.map((s) => s.type)).toEqual(TYPES);
  expect(recorded.every((s) => JSON.stringify(s.metadata).includes(report.runtime))).toBe(true);
  expect(recorded[0]!.files[0]!.size).toBe(333); // samples/id-front.jpg, streamed from disk
  return report;
}

function expectAllPassed(report: Report): void {
  expect(report.checks.map((c) => c.name)).toEqual(EXPECTED_CHECKS);
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(JSON.stringify(report)).not.toContain(sandbox.apiSecret);
}

describe('the generated client on other runtimes, against the sandbox', () => {
  it('Bun: submits each verification type and gets each typed error', async () => {
    const report = await check(bin('bun'), ['src/check.ts']);
    expect(report.runtime).toBe('bun 1.4.4');
    expectAllPassed(report);
  });

  it('Deno: submits each verification type and gets each typed error', async () => {
    const report = await check(bin('deno'), ['run', '--no-prompt', '--no-lock', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', 'src/check.ts']);
    expect(report.runtime).toBe('deno 2.9.6');
    expectAllPassed(report);
  });
});
