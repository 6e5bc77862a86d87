/**
 * docs/guides/api-versions.md: every shell command in it is run by a test. This test maps each
 * command of the guide's `sh` blocks to the test that runs it and checks that test still does,
 * so a command added to the guide without a test fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const GUIDE = join(REPO_ROOT, 'docs', 'guides', 'api-versions.md');
const E2E = 'generators/test/cli/new-version.e2e.test.ts';
const REGISTRY = 'release/test/registry.test.ts';

/** Guide command (placeholders as written) -> the test file that runs it and what it contains. */
const EXERCISED: Record<string, { file: string; contains: string }> = {
  'pnpm exec embedkit new-version <new-version>': { file: E2E, contains: "['exec', 'embedkit', 'new-version', NEW_VERSION]" },
  'pnpm generate': { file: E2E, contains: "['generate']" },
  'pnpm exec embedkit diff 2025-04-15 <new-version> --json': { file: E2E, contains: "['exec', 'embedkit', 'diff', '2025-04-15', NEW_VERSION, '--json']" },
  'pnpm exec embedkit diff 2025-04-15 <new-version>': { file: 'generators/test/cli/api-diff.test.ts', contains: "run(['diff', '2025-04-15', testSpec])" },
  'git add spec/<new-version>/openapi.yaml packages/<new-version> spec/redocly.yaml generators/turbo.json docs/package.json pnpm-lock.yaml docs/guides/migrations/2025-04-15-to-<new-version>.md':
    { file: E2E, contains: "run(first, 'git', ['add', ...listed!]" },
  'git commit -m "API version <new-version>"': { file: E2E, contains: "'commit', '--quiet', '-m', `API version $" + '{NEW_VERSION}`' },
  'pnpm install --frozen-lockfile': { file: E2E, contains: "run(second, 'pnpm', ['install', '--frozen-lockfile'" },
  'pnpm lint:spec': { file: E2E, contains: "run(second, 'pnpm', ['lint:spec']" },
  'pnpm check': { file: E2E, contains: "run(second, 'pnpm', ['check']" },
  'pnpm build': { file: E2E, contains: "run(second, 'pnpm', ['build']" },
  'pnpm exec embedkit changeset': { file: 'generators/test/cli/changeset.test.ts', contains: "await cli('changeset');" },
  'pnpm changeset:check': { file: 'scripts/test-all.mjs', contains: "spawnSync('pnpm', ['changeset:check']" },
  // The consumer projects depend on both versions' clients by name and install them from the registry.
  'npm install @embedkit/client-2025-04-15 @embedkit/client-<new-version>': { file: REGISTRY, contains: "run('npm', ['install', '--no-audit', '--no-fund']" },
  'pnpm release': { file: REGISTRY, contains: "run('pnpm', ['release'], { cwd: clone" },
  'npx @embedkit/generators generate --standalone': { file: REGISTRY, contains: "run('npx', ['--yes', generators, 'generate', '--standalone'], { cwd: outside" },
  'pnpm install': { file: REGISTRY, contains: "run('pnpm', ['install'], { cwd: outside" },
  'pnpm --recursive run build': { file: REGISTRY, contains: "run('pnpm', ['--recursive', 'run', 'build'], { cwd: outside" },
  'npx @embedkit/generators check --standalone': { file: REGISTRY, contains: "run('npx', ['--yes', generators, 'check', '--standalone'], { cwd: outside" },
  'pnpm publish --recursive': { file: REGISTRY, contains: "run('pnpm', ['publish', '--recursive', '--no-git-checks'], { cwd: outside" },
};

function shellCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split('\n')) if (line.trim() !== '') commands.push(line.trim());
  }
  return commands;
}

describe('docs/guides/api-versions.md', () => {
  const commands = shellCommands(readFileSync(GUIDE, 'utf8'));

  it('describes the one-command flow, the diff, changesets and the release', () => {
    const guide = readFileSync(GUIDE, 'utf8');
    for (const heading of [
      '## Adding a new API version',
      '## What changed between two versions: `embedkit diff`',
      '## Changesets',
      '## Releasing',
      '## Generating outside this repository',
    ]) {
      expect(guide).toContain(heading);
    }
    expect(guide).toContain('pnpm release');
  });

  it.each(commands)('`%s` is run by a test', (command) => {
    const where = EXERCISED[command];
    expect(where, `no test is known to run \`${command}\`: add one and list it here`).toBeDefined();
    if (where !== undefined) {
      expect(readFileSync(join(REPO_ROOT, where.file), 'utf8')).toContain(where.contains);
    }
  });
});
