/**
 * The registry test: every public package is published to a real npm registry (Verdaccio, on
 * 127.0.0.1, temporary storage, no uplink) with the real packing path (`pnpm publish`), together
 * with a second API version generated from the generators' fixture. Then two consumer projects
 * outside the workspace (one installed with npm, one with pnpm) install them by name from it,
 * everything else from the default registry, and run the files of release/consumer/:
 * plain ESM, CommonJS `require` and a Jest 29 test submit verifications to the sandbox (installed
 * from the same registry), TypeScript strict checks a wrong metadata field as an error under
 * node16 (.mts and .cts), nodenext, bundler and node10, and two API versions' clients share one
 * nonce source, each talking to a server of its version.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureVersion, FIXTURE_SPEC, FIXTURE_VERSION } from './fixture-version.js';
import { publicPackages, REPO_ROOT, type Registry, run, startRegistry, tempDir, type WorkspacePackage } from './helpers.js';

const CONSUMER_FILES = new URL('../consumer/', import.meta.url);
const PACKAGE_MANAGERS = ['npm', 'pnpm'] as const;
type PackageManager = (typeof PACKAGE_MANAGERS)[number];
// Third-party tools of the consumer projects (from the default registry).
const CONSUMER_DEV_DEPENDENCIES = { jest: '29.7.0', typescript: '5.9.3', '@types/node': '20.19.43' };

let work: { path: string; cleanup: () => Promise<void> };
let registry: Registry | undefined;
let published: WorkspacePackage[];
const consumers = {} as Record<PackageManager, string>;

/** Environment of every child: no update checks, and npm/pnpm caches inside the temp folder. */
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
  const publishRc = join(work.path, 'publish.npmrc');
  await writeFile(publishRc, `${registry.authLine}\n`);
  const publishArgs = ['--registry', registry.url, '--userconfig', publishRc, '--no-git-checks'];

  published = await publicPackages();
  const versions = Object.fromEntries(published.map((p) => [p.name, p.version]));
  const fixtureDirs = await buildFixtureVersion(join(work.path, 'fixture'), versions);

  // The workspace's public packages, as `pnpm release` publishes them (workspace:* rewritten by pnpm).
  await run('pnpm', ['publish', '--recursive', ...publishArgs], { cwd: REPO_ROOT, env: env() });
  for (const dir of fixtureDirs) await run('pnpm', ['publish', '--ignore-workspace', ...publishArgs], { cwd: dir, env: env() });

  const dependencies: Record<string, string> = {
    '@embedkit/client-2025-04-15': versions['@embedkit/client-2025-04-15']!,
    '@embedkit/validators-2025-04-15': versions['@embedkit/validators-2025-04-15']!,
    '@embedkit/runtime': versions['@embedkit/runtime']!,
    '@embedkit/sandbox': versions['@embedkit/sandbox']!,
    [`@embedkit/client-${FIXTURE_VERSION}`]: JSON.parse(await readFile(join(fixtureDirs[3]!, 'package.json'), 'utf8')).version,
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

describe('publishing', () => {
  it('put every public package in the registry, with workspace: ranges rewritten to versions', async () => {
    expect(published.map((p) => p.name)).toEqual(
      expect.arrayContaining(['@embedkit/runtime', '@embedkit/sandbox', '@embedkit/generators', '@embedkit/client-2025-04-15']),
    );
    const names = [...published.map((p) => p.name), ...['types', 'validators', 'signing', 'client'].map((a) => `@embedkit/${a}-${FIXTURE_VERSION}`)];
    for (const name of names) {
      const response = await fetch(new URL(name.replace('/', '%2f'), registry!.url));
      expect(response.status, name).toBe(200);
      const document = (await response.json()) as { 'dist-tags': { latest: string }; versions: Record<string, { dependencies?: Record<string, string> }> };
      const manifest = document.versions[document['dist-tags'].latest]!;
      for (const range of Object.values(manifest.dependencies ?? {})) expect(range, name).not.toMatch(/^workspace:/);
    }
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

  it('uses two API versions side by side, one nonce source, each client talking to its version', async () => {
    const { stdout } = await exec(process.execPath, ['two-versions.mjs', FIXTURE_SPEC]);
    const out = JSON.parse(stdout) as { results: string[]; nonces: string[]; recorded: Record<string, number> };
    expect(out.results).toHaveLength(4);
    expect(out.recorded).toEqual({ '2025-04-15': 2, [FIXTURE_VERSION]: 2 });
    // One source: every nonce differs and they increase across both clients.
    const nonces = out.nonces.map(BigInt);
    expect(nonces.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < nonces.length; i++) expect(nonces[i]! > nonces[i - 1]!).toBe(true);
  });
});

describe('the generators CLI from the registry', () => {
  it('runs as `npx @embedkit/generators` (the bare name embedkit is another package)', async () => {
    const { stdout } = await run('npx', ['--yes', '@embedkit/generators', '--help'], { cwd: consumers.npm, env: env() });
    expect(stdout).toMatch(/^embedkit: generate typed/);
  });
});
