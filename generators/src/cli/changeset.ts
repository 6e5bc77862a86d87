/**
 * Changesets for the generated packages, and the check that no published package changes without
 * one.
 *
 * What "changed" means. A package changed when its content fingerprint (sha256 over the files git
 * tracks in its folder, minus tests, CHANGELOG.md, and the `version` and `devDependencies` of its
 * package.json) differs from the fingerprint recorded for it in `.changeset/baseline.json` at its
 * last release. The baseline is a committed file, so the check needs neither history, tags nor a
 * registry: it gives the same answer on a branch, on `main` itself and on a shallow clean clone.
 * `pnpm release` records a new baseline (`embedkit changeset --record`) after `changeset version`
 * consumed the changesets and the build regenerated the generated packages under the new generator
 * version, so the baseline fingerprints what is published. A package missing from the baseline
 * has never been released: it starts at its first release (a new API version's packages, at
 * 0.1.0) and needs no changeset.
 *
 * `embedkit changeset` writes the changesets of generated packages itself: for each API version
 * whose packages differ from the merge base with `main` (or `--since REF`), the bump comes from
 * `embedkit diff` of the spec at that base and now (major if breaking, minor if additive, patch if
 * the spec's documentation or only the generator changed).
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { diffSpecs } from '../diff/compare.js';
import { type Bump, bumpFor, summaryLine } from '../diff/report.js';
import { resolveSpecFile, resolveSpecText } from '../diff/resolve.js';
import type { Change } from '../diff/types.js';
import { ARTIFACTS, packageNames } from '../model/names.js';
import { listSpecVersions } from './version-lists.js';

export const BASELINE_FILE = '.changeset/baseline.json';

export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  /** Folder relative to the repository root, `/`-separated. */
  readonly dir: string;
  readonly private: boolean;
}

function git(root: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

function tryGit(root: string, args: readonly string[]): string | undefined {
  try {
    return git(root, args);
  } catch {
    return undefined;
  }
}

async function expand(root: string, pattern: string): Promise<string[]> {
  let dirs = [''];
  for (const segment of pattern.split('/')) {
    const next: string[] = [];
    for (const dir of dirs) {
      if (segment !== '*') {
        next.push(dir === '' ? segment : `${dir}/${segment}`);
        continue;
      }
      const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
      for (const e of entries) if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) next.push(dir === '' ? e.name : `${dir}/${e.name}`);
    }
    dirs = next;
  }
  return dirs;
}

/** The workspace's packages (from pnpm-workspace.yaml's `packages` globs), sorted by name. */
export async function workspacePackages(root: string): Promise<WorkspacePackage[]> {
  const config = parse(await readFile(join(root, 'pnpm-workspace.yaml'), 'utf8')) as { packages?: string[] };
  const out = new Map<string, WorkspacePackage>();
  for (const pattern of config.packages ?? []) {
    for (const dir of await expand(root, pattern)) {
      const text = await readFile(join(root, dir, 'package.json'), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const pkg = JSON.parse(text) as { name?: string; version?: string; private?: boolean };
      if (typeof pkg.name !== 'string') continue;
      out.set(pkg.name, { name: pkg.name, version: pkg.version ?? '0.0.0', dir, private: pkg.private === true });
    }
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Files that never reach a consumer, so changing them needs no changeset. */
function isUnpublished(rel: string): boolean {
  return (
    /(^|\/)(test|tests|bench|__golden__|node_modules|dist|\.turbo)\//.test(rel) ||
    /(^|\/)(CHANGELOG\.md|vitest\.config\.[cm]?[jt]s|biome\.json|turbo\.json)$/.test(rel) ||
    /\.test\.[cm]?[jt]sx?$/.test(rel)
  );
}

/** The fingerprint of what a package publishes (see the module comment). */
export async function fingerprint(root: string, dir: string): Promise<string> {
  // Tracked files only: build output, packed tarballs and other untracked files never count.
  const listed = tryGit(root, ['ls-files', '-z', '--cached', '--', dir]);
  if (listed === undefined) throw new Error(`embedkit changeset needs a git checkout (git ls-files failed in ${root})`);
  const files = [...new Set(listed.split('\0').filter(Boolean))]
    .map((path) => ({ path, rel: path.slice(dir.length + 1) }))
    .filter(({ rel }) => !isUnpublished(rel))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const hash = createHash('sha256');
  for (const { path, rel } of files) {
    let bytes: Buffer | string;
    try {
      bytes = await readFile(join(root, path));
    } catch {
      continue; // deleted in the working tree but still in the index
    }
    if (rel === 'package.json') {
      const manifest = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      delete manifest['version'];
      delete manifest['devDependencies'];
      bytes = JSON.stringify(manifest);
    }
    hash.update(`${rel}\0`).update(bytes).update('\0');
  }
  return `sha256:${hash.digest('hex')}`;
}

export interface BaselineEntry {
  readonly version: string;
  readonly fingerprint: string;
}

export async function readBaseline(root: string): Promise<Record<string, BaselineEntry>> {
  const text = await readFile(join(root, BASELINE_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  const { packages } = JSON.parse(text) as { packages?: Record<string, BaselineEntry> };
  return packages ?? {};
}

/** Records every public package's current version and fingerprint (after `changeset version`). */
export async function recordBaseline(root: string): Promise<number> {
  const packages: Record<string, BaselineEntry> = {};
  for (const pkg of await workspacePackages(root)) {
    if (!pkg.private) packages[pkg.name] = { version: pkg.version, fingerprint: await fingerprint(root, pkg.dir) };
  }
  const doc = {
    '//': 'What each public package contained at its last release (first recorded when the check was introduced, before any publish). `embedkit changeset --check` (in pnpm test) fails for a package whose content differs from this without a pending changeset. Written by `embedkit changeset --record`, which pnpm release runs after `changeset version`. Do not edit by hand.',
    packages,
  };
  await writeFile(join(root, BASELINE_FILE), `${JSON.stringify(doc, null, 2)}\n`);
  return Object.keys(packages).length;
}

/** The packages named by the pending changesets (`.changeset/*.md` front matter). */
export async function pendingChangesets(root: string): Promise<Map<string, Bump[]>> {
  const out = new Map<string, Bump[]>();
  const entries = await readdir(join(root, '.changeset')).catch(() => [] as string[]);
  for (const file of entries.sort()) {
    if (!file.endsWith('.md') || file === 'README.md') continue;
    const text = await readFile(join(root, '.changeset', file), 'utf8');
    const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    const front = match ? (parse(match[1]!) as Record<string, Bump> | null) : null;
    for (const [name, bump] of Object.entries(front ?? {})) out.set(name, [...(out.get(name) ?? []), bump]);
  }
  return out;
}

export interface CheckProblem {
  readonly name: string;
  readonly problem: string;
}

/** Every public package that changed since its last release without a pending changeset. */
export async function checkChangesets(root: string): Promise<{ checked: number; unreleased: string[]; problems: CheckProblem[] }> {
  const baseline = await readBaseline(root);
  const pending = await pendingChangesets(root);
  const problems: CheckProblem[] = [];
  const unreleased: string[] = [];
  let checked = 0;
  for (const pkg of await workspacePackages(root)) {
    if (pkg.private) continue;
    const entry = baseline[pkg.name];
    if (entry === undefined) {
      unreleased.push(pkg.name);
      continue;
    }
    checked++;
    if (entry.version !== pkg.version) {
      problems.push({
        name: pkg.name,
        problem: `${pkg.dir}/package.json says ${pkg.version}, the baseline says ${entry.version}: after \`changeset version\`, record the release with \`embedkit changeset --record\` (pnpm release does)`,
      });
      continue;
    }
    if (pending.has(pkg.name)) continue;
    if ((await fingerprint(root, pkg.dir)) !== entry.fingerprint) {
      const generated = /-\d{4}-\d{2}-\d{2}$/.test(pkg.name);
      problems.push({
        name: pkg.name,
        problem: `${pkg.dir} changed since its last release (${entry.version}) and no changeset names it: run ${generated ? '`pnpm exec embedkit changeset`' : '`pnpm changeset`'}`,
      });
    }
  }
  return { checked, unreleased, problems };
}

/** The commit `embedkit changeset` compares with: `--since`, else the merge base with main, else HEAD. */
export function changesetBase(root: string, since?: string): string {
  if (since !== undefined) {
    const commit = tryGit(root, ['rev-parse', '--verify', `${since}^{commit}`]);
    if (commit === undefined) throw new Error(`--since ${since}: not a commit`);
    return commit.trim();
  }
  for (const ref of ['main', 'origin/main']) {
    const base = tryGit(root, ['merge-base', 'HEAD', ref]);
    if (base !== undefined) return base.trim();
  }
  return git(root, ['rev-parse', 'HEAD']).trim();
}

function packageChanged(root: string, base: string, dir: string): boolean {
  const tracked = tryGit(root, ['diff', '--name-only', base, '--', dir]) ?? '';
  const untracked = tryGit(root, ['ls-files', '--others', '--exclude-standard', '--', dir]) ?? '';
  return `${tracked}\n${untracked}`.split('\n').some((line) => line !== '' && !isUnpublished(line.slice(dir.length + 1)));
}

export interface WrittenChangeset {
  readonly apiVersion: string;
  readonly file: string;
  readonly bump: Bump;
  readonly packages: readonly string[];
  readonly changes: readonly Change[];
}

function changesetText(apiVersion: string, bump: Bump, packages: readonly string[], changes: readonly Change[], specChanged: boolean): string {
  const front = packages.map((name) => `"${name}": ${bump}`).join('\n');
  const relevant = changes.filter((c) => c.kind !== 'documentation');
  const body = !specChanged
    ? `Regenerated from the unchanged Embed API ${apiVersion} spec (generator change only).`
    : [
        `Embed API ${apiVersion} spec changed: ${summaryLine(changes)}`,
        ...(relevant.length > 0 ? ['', ...relevant.map((c) => `- ${c.breaking ? '**Breaking:** ' : ''}${c.location}: ${c.message}`)] : []),
      ].join('\n');
  return `---\n${front}\n---\n\n${body}\n`;
}

/** Writes (or rewrites) one changeset per API version whose generated packages changed since `base`. */
export async function writeChangesets(root: string, base: string): Promise<{ written: WrittenChangeset[]; skipped: string[] }> {
  const written: WrittenChangeset[] = [];
  const skipped: string[] = [];
  const existingAtBase = new Set((tryGit(root, ['ls-tree', '--name-only', `${base}`, '.changeset/']) ?? '').split('\n').map((p) => p.replace(/^\.changeset\//, '')));
  for (const apiVersion of await listSpecVersions(root)) {
    const specPath = `spec/${apiVersion}/openapi.yaml`;
    const names = packageNames(apiVersion);
    const oldText = tryGit(root, ['show', `${base}:${specPath}`]);
    if (oldText === undefined) {
      skipped.push(`${apiVersion}: new API version; its packages start at their first release and need no changeset`);
      continue;
    }
    const changed = ARTIFACTS.filter((artifact) => packageChanged(root, base, `packages/${apiVersion}/${artifact}`)).map((a) => names[a]);
    // Changesets this command wrote earlier on this branch are replaced, not added to.
    const mine = (await readdir(join(root, '.changeset'))).filter((f) => f.startsWith(`embedkit-${apiVersion}-`) && f.endsWith('.md') && !existingAtBase.has(f));
    for (const f of mine) await rm(join(root, '.changeset', f));
    if (changed.length === 0) {
      skipped.push(`${apiVersion}: no generated package changed since ${base.slice(0, 12)}`);
      continue;
    }
    const newText = await readFile(join(root, specPath), 'utf8');
    const specChanged = newText !== oldText;
    const changes = specChanged
      ? diffSpecs(await resolveSpecText(oldText, join(root, specPath), `${apiVersion}@${base.slice(0, 12)}`), await resolveSpecFile(join(root, specPath), apiVersion)).changes
      : [];
    const bump = specChanged ? bumpFor(changes) : 'patch';
    const file = `.changeset/embedkit-${apiVersion}-${createHash('sha256').update(newText).digest('hex').slice(0, 8)}.md`;
    await writeFile(join(root, file), changesetText(apiVersion, bump, changed, changes, specChanged));
    written.push({ apiVersion, file, bump, packages: changed, changes });
  }
  return { written, skipped };
}
