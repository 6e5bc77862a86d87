/**
 * Builds the generator itself (the CLI test runs bin/embedkit.js), @embedkit/runtime and the
 * committed generated packages before the tests that load them (the client test, the no-eval
 * test, the type-level test). `--only` runs just these build
 * tasks, in dependency order, WITHOUT `@embedkit/generators#generate`: regenerating here would
 * hide a drift between the committed packages and the generator (which a test checks). Turbo's
 * cache makes this a no-op when nothing changed.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
  execFileSync(
    'pnpm',
    [
      'exec',
      'turbo',
      'run',
      'build',
      '--only',
      '--filter=@embedkit/generators',
      '--filter=@embedkit/runtime',
      '--filter=./packages/2025-04-15/*',
      '--output-logs=errors-only',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
}
