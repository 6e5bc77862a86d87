/**
 * The whole new-version flow on a real clone, as a maintainer runs it: `git clone` of this
 * repository's HEAD, `embedkit new-version`, an edit of the new spec, `pnpm generate`,
 * `embedkit diff`, a commit of exactly the paths the command printed, then a second clone of that
 * commit that must pass `pnpm install --frozen-lockfile`, `pnpm lint:spec`, `pnpm check` and
 * `pnpm build`.
 *
 * Heavy (it installs and builds a whole workspace twice) but bounded: every command has its own
 * timeout, installs reuse the machine's pnpm store (`--prefer-offline`), and the temporary
 * clones are removed afterwards. It tests what is committed (HEAD), not uncommitted edits.
 * Run time: 24 min on the shared 2-core machine at a load average of about 50 (pnpm build 11 min,
 * pnpm check 4 min, pnpm generate 3 min); the timings of each step are printed after the run.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { applyTestVersionEdits } from '../diff/test-version.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const NEW_VERSION = '2099-06-01';
const MINUTE = 60_000;

/** The environment of the commands: no npm/pnpm/vitest variables of the outer run leak in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_config_|VITEST|TURBO_HASH|NODE_OPTIONS$)/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', FORCE_COLOR: '0' };
}

const timings: string[] = [];

async function run(cwd: string, command: string, args: readonly string[], timeoutMinutes: number): Promise<string> {
  const started = performance.now();
  try {
    const { stdout } = await promisify(execFile)(command, args, {
      cwd,
      env: cleanEnv(),
      timeout: timeoutMinutes * MINUTE,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; killed?: boolean; message: string };
    throw new Error(
      `${command} ${args.join(' ')} in ${cwd} failed${e.killed ? ` (killed after ${timeoutMinutes} min)` : ''}: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`,
    );
  } finally {
    timings.push(`${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${command} ${args.join(' ')}`);
  }
}

describe('embedkit new-version on a clean clone', () => {
  let tmp: string | undefined;
  afterAll(async () => {
    console.log(`new-version e2e timings:\n${timings.join('\n')}`);
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  it(
    'adds a version in one command; committing the listed paths gives a clone that installs frozen, checks and builds',
    async () => {
      tmp = await mkdtemp(join(tmpdir(), 'embedkit-new-version-'));
      const first = join(tmp, 'first');
      const second = join(tmp, 'second');

      await run(tmp, 'git', ['clone', '--quiet', REPO_ROOT, first], 2);
      await run(first, 'pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], 5);
      await run(first, 'pnpm', ['--filter', '@embedkit/generators', 'run', 'build'], 5);

      const out = await run(first, 'pnpm', ['exec', 'embedkit', 'new-version', NEW_VERSION], 15);
      expect(out).toContain(`spec/${NEW_VERSION}/openapi.yaml from spec/2025-04-15/openapi.yaml`);
      const spec = join(first, 'spec', NEW_VERSION, 'openapi.yaml');
      const copied = await readFile(spec, 'utf8');
      expect(copied).toMatch(new RegExp(`\\n  version: ${NEW_VERSION}\\n`));
      expect(copied).toContain(`enum: ['${NEW_VERSION}']`);
      expect(copied).toContain(`default: '${NEW_VERSION}'`);

      // The maintainer's edit, then regenerate and look at the diff.
      await writeFile(spec, applyTestVersionEdits(copied));
      await run(first, 'pnpm', ['generate'], 15);
      const diff = JSON.parse(await run(first, 'pnpm', ['exec', 'embedkit', 'diff', '2025-04-15', NEW_VERSION, '--json'], 5)) as {
        changes: { breaking: boolean; rule: string; message: string }[];
      };
      const find = (rule: string, text: string) => diff.changes.find((c) => c.rule === rule && c.message.includes(text));
      expect(find('request-property-enum-value-removed', 'special_permanent_residence_card')?.breaking).toBe(true);
      expect(find('new-required-request-property', 'issuing_authority')?.breaking).toBe(true);
      expect(find('new-optional-request-property', 'issue_date')?.breaking).toBe(false);
      const page = await readFile(join(first, 'docs', 'guides', 'migrations', `2025-04-15-to-${NEW_VERSION}.md`), 'utf8');
      expect(page).toContain(`# Migrating from 2025-04-15 to ${NEW_VERSION}`);
      expect(page).toContain('special_permanent_residence_card');

      // Commit exactly what the command listed; nothing else may be left over.
      const listed = /^\s+git add (.+)$/m.exec(out)?.[1]?.split(' ');
      expect(listed).toContain('pnpm-lock.yaml');
      await run(first, 'git', ['add', ...listed!], 1);
      await run(first, 'git', ['-c', 'user.name=embedkit test', '-c', 'user.email=test@embedkit.invalid', 'commit', '--quiet', '-m', `API version ${NEW_VERSION}`], 1);
      expect(await run(first, 'git', ['status', '--porcelain'], 1)).toBe('');

      // A clean clone of that commit passes what CI runs first.
      await run(tmp, 'git', ['clone', '--quiet', first, second], 2);
      await run(second, 'pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], 5);
      await run(second, 'pnpm', ['lint:spec'], 5);
      await run(second, 'pnpm', ['check'], 15);
      await run(second, 'pnpm', ['build'], 30);
    },
    60 * MINUTE,
  );
});
