// The whole test suite, as the README's test command and CI run it: spec lint, the generated-code
// drift check, build + lint + typecheck of every package, the docs site, every vitest test in one
// run, then the changeset check (embedkit changeset --check). Ends with one summary line ("N passed, N failed") and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const reportPath = new URL('test-output/vitest.json', root);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserAvailable = existsSync(chromium);

function step(title, command, args, env = {}) {
  console.log(`\n=== ${title}: ${command} ${args.join(' ')}`);
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal}) after ${seconds} s.`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`=== ${title}: ok (${seconds} s)`);
}

step('spec lint', 'pnpm', ['lint:spec']);
step('generated code is up to date', 'pnpm', ['check']);
step('build, lint, typecheck', 'pnpm', ['exec', 'turbo', 'run', 'build', 'lint', 'typecheck', '--output-logs=errors-only']);
if (existsSync(new URL('docs/package.json', root))) step('docs site', 'pnpm', ['run', 'docs']);

if (!browserAvailable) {
  if (process.env.CI) {
    console.error(`The browser test is mandatory in CI, and ${chromium} is missing (.ci/run installs it with apt-get).`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  console.warn(
    `\nNOTE: the docs browser test is NOT run: ${chromium} was not found.\n` +
      '      Install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH, then run pnpm test again.\n',
  );
}

mkdirSync(new URL('test-output/', root), { recursive: true });
const vitest = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportPath.pathname}`],
  { cwd: root, stdio: 'inherit', env: { ...process.env, EMBEDKIT_BROWSER_TEST: browserAvailable ? '1' : '0' } },
);

let passed = 0;
let failed = 0;
if (existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
}
if (vitest.status !== 0 && failed === 0) failed = 1;

// Last, so a missing changeset does not hide the other results; it still fails the run.
console.log('\n=== every changed package has a changeset: pnpm changeset:check');
const changesets = spawnSync('pnpm', ['changeset:check'], { cwd: root, stdio: 'inherit' });
if (changesets.status === 0) passed += 1;
else failed += 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && vitest.status === 0 ? 0 : 1);
