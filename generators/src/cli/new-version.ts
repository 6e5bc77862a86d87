/**
 * `embedkit new-version <version> [--from <version>]`: adds an API version in one command.
 * Copies the previous spec with its version fields and version header updated (the rest of the
 * file byte for byte), generates the packages, rewrites the files that list versions, writes the
 * migration page, runs `pnpm install` so the lockfile knows the new packages, and prints what to
 * edit and commit next.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, visit, type Scalar } from 'yaml';
import { EmbedkitUsageError } from '../errors.js';
import { ARTIFACTS, packageNames } from '../model/names.js';
import { listSpecVersions, syncVersionLists } from './version-lists.js';

export const VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The repository root: the nearest folder at or above `cwd` with a `pnpm-workspace.yaml`. */
export function findRepoRoot(cwd: string): string {
  let dir = cwd;
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new EmbedkitUsageError(`not inside the embedkit repository (no pnpm-workspace.yaml at or above ${cwd})`);
    dir = parent;
  }
}

/**
 * The spec text of `to`, made from the spec of `from`: `info.version` and the version header
 * (every header parameter whose schema's `enum`/`const`/`default`/`example` holds `from`) now say
 * `to`. Only those scalars change; comments, order and quoting stay as they were.
 */
export function respecVersion(text: string, from: string, to: string): { text: string; edited: number } {
  const doc = parseDocument(text);
  const targets: Scalar[] = [];
  const info = doc.get('info', true);
  if (isMap(info)) {
    const version = info.get('version', true);
    if (isScalar(version) && String(version.value) === from) targets.push(version);
  }
  visit(doc, {
    Map(_, node) {
      if (!isScalar(node.get('in', true)) || node.get('in') !== 'header') return;
      const schema = node.get('schema', true);
      const holders = [node, ...(isMap(schema) ? [schema] : [])];
      for (const holder of holders) {
        for (const key of ['enum', 'const', 'default', 'example']) {
          const value = holder.get(key, true);
          const scalars = isSeq(value) ? value.items : [value];
          for (const s of scalars) if (isScalar(s) && String(s.value) === from && s.range) targets.push(s);
        }
      }
    },
  });
  // Replace from the end so earlier offsets stay valid; keep each scalar's quoting.
  const ranges = targets
    .filter((s) => s.range !== undefined && s.range !== null)
    .map((s) => [s.range![0], s.range![1]] as const)
    .sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [start, end] of ranges) {
    const source = out.slice(start, end);
    const replaced = source.replace(from, to);
    out = out.slice(0, start) + replaced + out.slice(end);
  }
  return { text: out, edited: ranges.length };
}

export interface NewVersionOptions {
  readonly version: string;
  readonly from?: string | undefined;
  /** Skip `pnpm install` (the lockfile is then NOT updated: the printed steps say to run it). */
  readonly install: boolean;
}

export interface NewVersionIO {
  readonly cwd: string;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Runs generation of one version (the CLI's `generate`), returns its exit code. */
  readonly generate: (root: string, version: string) => Promise<number>;
}

export async function runNewVersion(options: NewVersionOptions, io: NewVersionIO): Promise<number> {
  const root = findRepoRoot(io.cwd);
  const { version } = options;
  if (!VERSION_PATTERN.test(version)) throw new EmbedkitUsageError(`the new version must look like YYYY-MM-DD, got "${version}"`);
  const versions = await listSpecVersions(root);
  if (versions.includes(version)) throw new EmbedkitUsageError(`spec/${version}/openapi.yaml already exists`);
  const from = options.from ?? versions[versions.length - 1];
  if (from === undefined) throw new EmbedkitUsageError('no spec/<version>/openapi.yaml to start from');
  if (!versions.includes(from)) throw new EmbedkitUsageError(`--from ${from}: there is no spec/${from}/openapi.yaml (found: ${versions.join(', ')})`);

  const specPath = `spec/${version}/openapi.yaml`;
  const source = await readFile(join(root, 'spec', from, 'openapi.yaml'), 'utf8');
  const { text, edited } = respecVersion(source, from, version);
  await mkdir(join(root, 'spec', version), { recursive: true });
  await writeFile(join(root, specPath), text);
  io.stdout.write(`embedkit new-version: ${specPath} from spec/${from}/openapi.yaml (${edited} version fields updated)\n`);

  const allVersions = [...versions, version].sort();
  const lists = await syncVersionLists(root, allVersions);
  for (const path of lists) io.stdout.write(`  updated ${path}\n`);

  const code = await io.generate(root, version);
  if (code !== 0) return code;

  let installed = false;
  if (options.install) {
    io.stdout.write('  running pnpm install (links the new packages and records them in pnpm-lock.yaml)...\n');
    const result = spawnSync('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile'], { cwd: root, encoding: 'utf8', env: process.env });
    if (result.status !== 0) {
      io.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}embedkit new-version: pnpm install failed; run it yourself before committing.\n`);
      return 1;
    }
    installed = true;
  }

  const remaining = text.split('\n').flatMap((line, i) => (line.includes(from) ? [`    ${specPath}:${i + 1}: ${line.trim()}`] : []));
  const names = packageNames(version);
  const migration = `docs/guides/migrations/${from}-to-${version}.md`;
  const steps = [
    '',
    'Next:',
    `  1. Edit ${specPath} to describe what Kraken changed in ${version}.`,
    ...(remaining.length > 0 ? [`     These lines still mention ${from}; update the ones that describe this version:`, ...remaining] : []),
    '  2. Regenerate and see what changed:',
    '       pnpm generate',
    `       pnpm exec embedkit diff ${from} ${version}`,
    ...(installed ? [] : ['  (pnpm install was skipped: run `pnpm install` now, or the lockfile misses the new packages)']),
    '  3. Commit exactly these paths:',
    `       git add ${specPath} packages/${version} ${[...lists, 'pnpm-lock.yaml', migration].join(' ')}`,
    `       git commit -m "API version ${version}"`,
    `  The new packages (${ARTIFACTS.map((a) => names[a]).join(', ')}) start at their first release (0.1.0) and need no changeset.`,
    '',
  ];
  io.stdout.write(steps.join('\n'));
  return 0;
}
