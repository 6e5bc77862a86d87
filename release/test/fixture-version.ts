// The second API version of the registry test: the generators' test fixture
// (generators/test/fixtures/2099-01-01) generated with the CLI into a temporary folder, built
// there, and given real dependency versions, as `pnpm publish` would write them in the workspace.
import { copyFile, mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { REPO_ROOT, run } from './helpers.js';

export const FIXTURE_VERSION = '2099-01-01';
export const FIXTURE_SPEC = join(REPO_ROOT, 'generators', 'test', 'fixtures', FIXTURE_VERSION, 'openapi.yaml');
const ARTIFACTS = ['types', 'validators', 'signing', 'client'] as const; // dependency order

/** The folder of `name`, a direct dependency of the workspace package `fromPackage` (pnpm links it there). */
function packageDirFrom(fromPackage: string, name: string): Promise<string> {
  return realpath(join(fromPackage, 'node_modules', ...name.split('/')));
}

/**
 * Generates and builds the fixture version's four packages under `<root>/packages/2099-01-01/`
 * and returns their folders. `<root>` gets what the generated build config expects around it:
 * the repository's tsconfig.base.json and a node_modules with the packages they import.
 */
export async function buildFixtureVersion(root: string, versions: Readonly<Record<string, string>>): Promise<string[]> {
  const outDir = join(root, 'packages');
  await mkdir(outDir, { recursive: true });
  await run(process.execPath, [join(REPO_ROOT, 'generators', 'bin', 'embedkit.js'), 'generate', '--spec-dir', dirname(dirname(FIXTURE_SPEC)), '--out-dir', outDir], {
    cwd: root,
  });
  await copyFile(join(REPO_ROOT, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'));
  const runtimeDir = join(REPO_ROOT, 'packages', 'runtime');
  const validatorsDir = join(REPO_ROOT, 'packages', '2025-04-15', 'validators');
  const links: Record<string, string> = {
    '@embedkit/runtime': runtimeDir,
    '@standard-schema/spec': await packageDirFrom(validatorsDir, '@standard-schema/spec'),
    tsdown: await packageDirFrom(validatorsDir, 'tsdown'),
    typescript: await packageDirFrom(validatorsDir, 'typescript'),
  };
  const dirs = ARTIFACTS.map((artifact) => join(outDir, FIXTURE_VERSION, artifact));
  for (const [i, artifact] of ARTIFACTS.entries()) links[`@embedkit/${artifact}-${FIXTURE_VERSION}`] = dirs[i]!;
  for (const [name, target] of Object.entries(links)) {
    const link = join(root, 'node_modules', ...name.split('/'));
    await mkdir(dirname(link), { recursive: true });
    await symlink(target, link, 'dir');
  }
  // Each package's own build script, with the tools it names on the PATH.
  const bin = join(root, 'node_modules', '.bin');
  await mkdir(bin, { recursive: true });
  await symlink(join(links.tsdown!, 'dist', 'run.mjs'), join(bin, 'tsdown'));
  await symlink(join(links.typescript!, 'bin', 'tsc'), join(bin, 'tsc'));
  const path = `${bin}${delimiter}${process.env.PATH ?? ''}`;
  for (const dir of dirs) {
    const { scripts } = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { scripts: { build: string } };
    await run('sh', ['-c', scripts.build], { cwd: dir, env: { ...process.env, PATH: path } });
  }
  // What `pnpm publish` does to `workspace:*` inside the workspace: the exact version.
  for (const dir of dirs) {
    const path = join(dir, 'package.json');
    const manifest = JSON.parse(await readFile(path, 'utf8')) as { dependencies?: Record<string, string> };
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      if (!range.startsWith('workspace:')) continue;
      const version = versions[name] ?? (name.endsWith(FIXTURE_VERSION) ? JSON.parse(await readFile(join(links[name]!, 'package.json'), 'utf8')).version : undefined);
      if (version === undefined) throw new Error(`no version for ${name}`);
      manifest.dependencies![name] = version;
    }
    await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  return dirs;
}
