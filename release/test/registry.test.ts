/**
 * The registry test: the release flow of docs/guides/api-versions.md, end to end, against a real
 * npm registry (Verdaccio on 127.0.0.1, temporary storage, no uplink).
 *
 * 1. `pnpm release`, the real root script, runs in a clone of the repository at HEAD (committed
 *    state only, as in CI) with the pending changesets, plus one of the test's own so there is
 *    always something to release. The environment points it at the local registry only
 *    (`npm_config_userconfig`); the project names no registry.
 * 2. A project outside any workspace runs the generators CLI installed from that registry
 *    (`npx @embedkit/generators generate --standalone`) on the generators' fixture spec
 *    (API version 2099-01-01), installs, builds and publishes the four packages it wrote.
 * 3. Two consumer projects outside the workspace (one installed with npm, one with pnpm) install
 *    by name from the registry (everything else from the default registry) and run the files of
 *    release/consumer/: plain ESM, CommonJS `require` and a Jest 29 test submit verifications to
 *    the sandbox (installed from the same registry), TypeScript strict checks a wrong metadata
 *    field as an error under node16 (.mts and .cts), nodenext, bundler and node10, and the two
 *    API versions' clients share one nonce source, each talking to its version of one sandbox.
 */
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicPackages, REPO_ROOT, type Registry, run, startRegistry, tempDir, type WorkspacePackage, workspacePackages } from './helpers.js';

const CONSUMER_FILES = new URL('../consumer/', import.meta.url);
const PACKAGE_MANAGERS = ['npm', 'pnpm'] as const;
type PackageManager = (typeof PACKAGE_MANAGERS)[number];
// Third-party tools of the consumer projects (from the default registry).
const CONSUMER_DEV_DEPENDENCIES = { jest: '29.7.0', typescript: '5.9.3', '@types/node': '20.19.43' };
/** The second API version: the generators' test fixture, generated outside the repository. */
const FIXTURE_VERSION = '2099-01-01';
const FIXTURE_SPEC = join(REPO_ROOT, 'generators', 'test', 'fixtures', FIXTURE_VERSION, 'openapi.yaml');
const ARTIFACTS = ['types', 'validators', 'signing', 'client'] as const;
/** The test's own changeset (besides the committed ones): a patch of the sandbox. */
const TEST_CHANGESET = { file: 'registry-test.md', pkg: '@embedkit/sandbox', bump: 'patch', summary: 'Registry test: a release of its own.' } as const;

type Bump = 'major' | 'minor' | 'patch';
const BUMPS: readonly Bump[] = ['patch', 'minor', 'major'];

let work: { path: string; cleanup: () => Promise<void> };
let registry: Registry | undefined;
/** The clone `pnpm release` ran in. */
let clone: string;
/** Public packages before and after the release, and the bump the pending changesets asked for. */
let before: WorkspacePackage[];
let released: WorkspacePackage[];
let requested: Map<string, { bump: Bump; summaries: string[] }>;
/** The project outside the workspace where the registry's generators CLI wrote the fixture version. */
let outside: string;
let generateOutput: string;
const consumers = {} as Record<PackageManager, string>;

/** Environment of every child: no update checks, and npm caches inside the temp folder. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_cache: join(work.path, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...extra,
  };
}

function versionOf(packages: readonly WorkspacePackage[], name: string): string {
  const found = packages.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no workspace package ${name}`);
  return found.version;
}

/** semver increment, as changesets applies it (no prerelease tags here). */
function increment(version: string, bump: Bump): string {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The pending changesets of a checkout: per package, the highest bump asked for and the summaries. */
async function pendingChangesets(root: string): Promise<Map<string, { bump: Bump; summaries: string[] }>> {
  const dir = join(root, '.changeset');
  const result = new Map<string, { bump: Bump; summaries: string[] }>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const [, front = '', body = ''] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(await readFile(join(dir, file), 'utf8')) ?? [];
    for (const [, name, bump] of front.matchAll(/^"([^"]+)":\s*(major|minor|patch)\s*$/gm)) {
      const entry = result.get(name!) ?? { bump: 'patch' as Bump, summaries: [] };
      if (BUMPS.indexOf(bump as Bump) > BUMPS.indexOf(entry.bump)) entry.bump = bump as Bump;
      entry.summaries.push(body.trim());
      result.set(name!, entry);
    }
  }
  return result;
}

/** The pending changesets' requests for public packages (a changeset may also name a private one). */
function publicRequests(): [string, { bump: Bump; summaries: string[] }][] {
  return [...requested].filter(([name]) => before.some((p) => p.name === name));
}

/** The registry's document of a package, or undefined when it does not have it. */
async function registryDocument(name: string): Promise<{ 'dist-tags': { latest: string }; versions: Record<string, { dependencies?: Record<string, string> }> } | undefined> {
  const response = await fetch(new URL(name.replace('/', '%2f'), registry!.url));
  if (response.status === 404) return undefined;
  expect(response.status, name).toBe(200);
  return (await response.json()) as never;
}

/** 1. `pnpm release` in a clone of the repository at HEAD. */
async function release(): Promise<void> {
  clone = join(work.path, 'clone');
  await run('git', ['clone', '--no-hardlinks', '--quiet', REPO_ROOT, clone], { cwd: work.path });
  await writeFile(
    join(clone, '.changeset', TEST_CHANGESET.file),
    `---\n"${TEST_CHANGESET.pkg}": ${TEST_CHANGESET.bump}\n---\n\n${TEST_CHANGESET.summary}\n`,
  );
  requested = await pendingChangesets(clone);
  // Everything the lockfile names is in the store already (the repository was installed).
  await run('pnpm', ['install', '--frozen-lockfile', '--offline'], { cwd: clone, env: env() });
  before = await publicPackages(clone);
  // The local registry is the only place the release can publish to: set by the environment.
  const releaseRc = join(work.path, 'release.npmrc');
  await writeFile(releaseRc, `@embedkit:registry=${registry!.url}\n${registry!.authLine}\n`);
  await run('pnpm', ['release'], { cwd: clone, env: env({ npm_config_userconfig: releaseRc }) });
  released = await publicPackages(clone);
}

/** 2. The fixture version, generated, built and published by a project outside the workspace. */
async function generateOutside(): Promise<void> {
  outside = join(work.path, 'outside');
  await mkdir(join(outside, 'spec', FIXTURE_VERSION), { recursive: true });
  await copyFile(FIXTURE_SPEC, join(outside, 'spec', FIXTURE_VERSION, 'openapi.yaml'));
  await writeFile(join(outside, 'package.json'), `${JSON.stringify({ name: 'outside', private: true, version: '1.0.0' }, null, 2)}\n`);
  // A pnpm workspace of its own (the packages of a version depend on each other with workspace:*).
  await writeFile(join(outside, 'pnpm-workspace.yaml'), "packages:\n  - 'packages/*/*'\nminimumReleaseAge: 0\nupdateNotifier: false\n");
  await writeFile(join(outside, '.npmrc'), `@embedkit:registry=${registry!.url}\n${registry!.authLine}\n`);
  const generators = `@embedkit/generators@${versionOf(released, '@embedkit/generators')}`;
  ({ stdout: generateOutput } = await run('npx', ['--yes', generators, 'generate', '--standalone'], { cwd: outside, env: env() }));
  await run('pnpm', ['install'], { cwd: outside, env: env() });
  await run('pnpm', ['--recursive', 'run', 'build'], { cwd: outside, env: env() });
  await run('pnpm', ['publish', '--recursive', '--no-git-checks'], { cwd: outside, env: env() });
}

/** 3. A consumer project, installed by name from the registry. */
async function writeConsumer(pm: PackageManager, dependencies: Record<string, string>): Promise<string> {
  const dir = join(work.path, `consumer-${pm}`);
  await cp(CONSUMER_FILES, dir, { recursive: true });
  const check = await readFile(join(dir, 'check.ts'), 'utf8');
  await writeFile(join(dir, 'check.mts'), check);
  await writeFile(join(dir, 'check.cts'), check);
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `consumer-${pm}`, private: true, version: '1.0.0', dependencies, devDependencies: CONSUMER_DEV_DEPENDENCIES }, null, 2)}\n`,
  );
  // Only @embedkit/* comes from the local registry; the rest from the configured default one.
  await writeFile(join(dir, '.npmrc'), `@embedkit:registry=${registry!.url}\n`);
  if (pm === 'pnpm') {
    // A project of its own (not part of any workspace above it); accept packages published
    // seconds ago (pnpm's default minimumReleaseAge is a day).
    await writeFile(join(dir, 'pnpm-workspace.yaml'), 'minimumReleaseAge: 0\nupdateNotifier: false\n');
  }
  return dir;
}

beforeAll(async () => {
  work = await tempDir('registry');
  registry = await startRegistry(join(work.path, 'registry'));
  await release();
  await generateOutside();

  const dependencies: Record<string, string> = {
    '@embedkit/client-2025-04-15': versionOf(released, '@embedkit/client-2025-04-15'),
    '@embedkit/validators-2025-04-15': versionOf(released, '@embedkit/validators-2025-04-15'),
    '@embedkit/runtime': versionOf(released, '@embedkit/runtime'),
    '@embedkit/sandbox': versionOf(released, '@embedkit/sandbox'),
    [`@embedkit/client-${FIXTURE_VERSION}`]: '0.1.0',
  };
  // One install per package manager, shared by every case below; both at once.
  const [npmDir, pnpmDir] = await Promise.all(PACKAGE_MANAGERS.map((pm) => writeConsumer(pm, dependencies)));
  consumers.npm = npmDir!;
  consumers.pnpm = pnpmDir!;
  await Promise.all([
    run('npm', ['install', '--no-audit', '--no-fund'], { cwd: consumers.npm, env: env() }),
    run('pnpm', ['install'], { cwd: consumers.pnpm, env: env() }),
  ]);
}, 2_400_000);

afterAll(async () => {
  await registry?.stop();
  await work?.cleanup();
});

describe('pnpm release', () => {
  it('bumped every package a pending changeset names, as the changeset asks', () => {
    expect(requested.get(TEST_CHANGESET.pkg)).toBeDefined();
    for (const [name, { bump }] of publicRequests()) {
      expect(versionOf(released, name), name).toBe(increment(versionOf(before, name), bump));
    }
    // Packages no changeset names keep their version or get a dependent's patch, never more.
    for (const pkg of released.filter((p) => !requested.has(p.name))) {
      expect([versionOf(before, pkg.name), increment(versionOf(before, pkg.name), 'patch')], pkg.name).toContain(pkg.version);
    }
  });

  it('wrote each bumped package a CHANGELOG.md with the changesets, and consumed them', async () => {
    for (const [name, { summaries }] of publicRequests()) {
      const pkg = released.find((p) => p.name === name)!;
      const changelog = await readFile(join(pkg.path, 'CHANGELOG.md'), 'utf8');
      expect(changelog, name).toContain(`## ${pkg.version}\n`);
      for (const summary of summaries) expect(changelog, name).toContain(summary.split('\n')[0]!);
    }
    const left = (await readdir(join(clone, '.changeset'))).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(left).toEqual([]);
  });

  it('re-recorded .changeset/baseline.json: the changeset check and pnpm check pass right after', async () => {
    const baseline = JSON.parse(await readFile(join(clone, '.changeset', 'baseline.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    expect(Object.fromEntries(Object.entries(baseline.packages).map(([name, p]) => [name, p.version]))).toEqual(
      Object.fromEntries(released.map((p) => [p.name, p.version])),
    );
    const check = await run('pnpm', ['changeset:check'], { cwd: clone, env: env() });
    expect(check.stdout).toMatch(/embedkit changeset --check: ok/);
    // The release regenerated the packages under the new generator version (their headers name
    // it): what it leaves behind is what `pnpm check` expects.
    await run('pnpm', ['check'], { cwd: clone, env: env() });
  });

  it('published every public package at its new version, with workspace: ranges rewritten, and no private one', async () => {
    expect(released.map((p) => p.name)).toEqual(
      expect.arrayContaining(['@embedkit/runtime', '@embedkit/sandbox', '@embedkit/generators', '@embedkit/client-2025-04-15']),
    );
    for (const pkg of released) {
      const document = await registryDocument(pkg.name);
      expect(document?.['dist-tags'].latest, pkg.name).toBe(pkg.version);
      for (const range of Object.values(document!.versions[pkg.version]!.dependencies ?? {})) expect(range, pkg.name).not.toMatch(/^workspace:/);
    }
    const privates = (await workspacePackages(clone)).filter((p) => p.private && p.name.startsWith('@embedkit/'));
    expect(privates.length).toBeGreaterThan(0);
    for (const pkg of privates) expect(await registryDocument(pkg.name), pkg.name).toBeUndefined();
  });
});

describe('the generators CLI from the registry, outside the repository', () => {
  it('runs as `npx @embedkit/generators` (the bare name embedkit is another package)', async () => {
    const { stdout } = await run('npx', ['--yes', '@embedkit/generators', '--help'], { cwd: consumers.npm, env: env() });
    expect(stdout).toMatch(/^embedkit: generate typed/);
  });

  it('generate --standalone writes packages that depend on the published runtime and build on their own', async () => {
    expect(generateOutput).toContain(`@embedkit/client-${FIXTURE_VERSION}`);
    for (const artifact of ARTIFACTS) {
      const dir = join(outside, 'packages', FIXTURE_VERSION, artifact);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      if (artifact !== 'types') expect(manifest.dependencies?.['@embedkit/runtime'], artifact).toBe(`^${versionOf(released, '@embedkit/runtime')}`);
      for (const config of ['tsconfig.json', 'tsconfig.build.json']) expect(await readFile(join(dir, config), 'utf8'), config).not.toContain('extends');
      for (const built of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']) expect(existsSync(join(dir, 'dist', built)), `${artifact}/dist/${built}`).toBe(true);
      const document = await registryDocument(`@embedkit/${artifact}-${FIXTURE_VERSION}`);
      expect(document?.['dist-tags'].latest).toBe('0.1.0');
      for (const range of Object.values(document!.versions['0.1.0']!.dependencies ?? {})) expect(range, artifact).not.toMatch(/^workspace:/);
    }
  });

  it('check --standalone finds the packages up to date', async () => {
    const generators = `@embedkit/generators@${versionOf(released, '@embedkit/generators')}`;
    const { stdout } = await run('npx', ['--yes', generators, 'check', '--standalone'], { cwd: outside, env: env() });
    expect(stdout).toMatch(/^embedkit check: up to date/);
  });
});

describe.each(PACKAGE_MANAGERS)('a consumer installed with %s', (pm) => {
  const exec = (command: string, args: string[]) => run(command, args, { cwd: consumers[pm], env: env() });

  it('submits a verification from plain ESM', async () => {
    const { stdout } = await exec(process.execPath, ['esm.mjs']);
    expect(JSON.parse(stdout)).toMatchObject({ format: 'esm', verification_id: expect.any(String), recorded: 1 });
  });

  it('submits a verification from CommonJS require', async () => {
    const { stdout } = await exec(process.execPath, ['cjs.cjs']);
    expect(JSON.parse(stdout)).toMatchObject({ format: 'cjs', verification_id: expect.any(String), recorded: 1 });
  });

  it('runs a Jest 29 test file that submits a verification', async () => {
    const { stderr } = await exec(process.execPath, [join(consumers[pm], 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', 'submit.test.js']);
    expect(stderr).toMatch(/Tests:\s+2 passed, 2 total/);
  });

  it.each(['node16', 'nodenext', 'bundler', 'node10'])('type-checks under TypeScript strict, moduleResolution %s, and rejects a wrong metadata field', async (mode) => {
    await exec(process.execPath, [join(consumers[pm], 'node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${mode}.json`]);
  });

  it('uses two API versions side by side, one nonce source, each client talking to its version of one sandbox', async () => {
    const { stdout } = await exec(process.execPath, ['two-versions.mjs', FIXTURE_SPEC]);
    const out = JSON.parse(stdout) as {
      apiVersions: string[];
      results: { apiVersion: string; verification_id: string }[];
      nonces: string[];
      recorded: { apiVersion: string; verification_id: string }[];
    };
    expect(out.apiVersions).toEqual(expect.arrayContaining(['2025-04-15', FIXTURE_VERSION]));
    expect(out.results.map((r) => r.apiVersion)).toEqual(['2025-04-15', FIXTURE_VERSION, '2025-04-15', FIXTURE_VERSION]);
    // The server recorded each submission under the version its client speaks.
    expect(out.recorded).toEqual(out.results);
    // One source: every nonce differs and they increase across both clients.
    const nonces = out.nonces.map(BigInt);
    expect(nonces.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < nonces.length; i++) expect(nonces[i]! > nonces[i - 1]!).toBe(true);
  });
});
