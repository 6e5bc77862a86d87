/**
 * The `embedkit` command line: `generate`, `check`, `diff`, `new-version`, `changeset`, `--help`.
 *
 * Exit codes: 0 success (and `check` clean), 1 a spec problem or (`check`) a difference,
 * 2 bad usage.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createContext, type GeneratorContext } from '../context.js';
import { EmbedkitSpecError, EmbedkitUsageError, formatSpecProblem } from '../errors.js';
import { displayPath, findSpecs, generateVersion, readPackageVersions, type SpecLocation } from '../generate.js';
import { artifactsOf, packageNames } from '../model/names.js';
import { readGeneratorIdentity } from '../version.js';
import { diffSpecs } from '../diff/compare.js';
import { toJson, toMarkdown } from '../diff/report.js';
import { resolveSpecFile } from '../diff/resolve.js';
import { BASELINE_FILE, changesetBase, checkChangesets, recordBaseline, writeChangesets } from './changeset.js';
import { unifiedDiff } from './diff.js';
import { applyToDisk, compareWithDisk, type FileComparison, joinDisplay } from './disk.js';
import { existingMigrationPages, migrationPages } from './migrations.js';
import { findRepoRoot, runNewVersion, VERSION_PATTERN } from './new-version.js';

/** Where the CLI writes and in which directory it runs. */
export interface CliIO {
  readonly cwd: string;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export const HELP = `embedkit: generate typed, validated, signed TypeScript packages from Embed API OpenAPI specs.

Usage:
  embedkit generate [--api-version V] [--spec-dir DIR] [--out-dir DIR] [--migrations-dir DIR] [--standalone]
  embedkit check    [--api-version V] [--spec-dir DIR] [--out-dir DIR] [--migrations-dir DIR] [--standalone]
  embedkit diff <old> <new> [--json] [--spec-dir DIR]
  embedkit new-version <version> [--from <version>] [--no-install]
  embedkit changeset [--since REF] | --check | --record
  embedkit --help

Commands:
  generate     Generate the packages of every API version under the spec directory
               (<spec-dir>/<YYYY-MM-DD>/openapi.yaml -> <out-dir>/<YYYY-MM-DD>/{types,validators,signing,client}).
               Writes only files that changed and removes stale files inside those package folders.
               With --migrations-dir, also writes one migration page per pair of consecutive versions
               (<from>-to-<to>.md, from embedkit diff).
  check        Regenerate in memory and compare with the disk (packages, and migration pages with
               --migrations-dir). Prints a unified diff of every file that differs and exits 1;
               exits 0 when everything is up to date.
  diff         What changed between two specs for a consumer of the generated packages, change by
               change, each classified breaking or not with the reason. <old> and <new> are API
               versions under the spec directory or paths to spec files. Markdown by default;
               --json prints { "changes": [ { "breaking", "kind", "rule", "location", "message", "reason" } ] }.
  new-version  Add an API version: copy spec/<from>/openapi.yaml (default: the latest) to
               spec/<version>/openapi.yaml with its version fields and version header updated, update
               the files that list versions, generate the packages and the migration page, run
               pnpm install (updates pnpm-lock.yaml), and print what to edit and commit next.
  changeset    Write a changeset for each API version whose generated packages changed since the
               merge base with main (or --since REF); the bump comes from embedkit diff (major:
               breaking, minor: additive, patch: documentation or generator only).
               --check: fail if a public package changed since its last release (the fingerprints
               in .changeset/baseline.json) without a pending changeset. --record: record the
               current fingerprints (pnpm release runs it after changeset version and the build).

Options:
  --api-version V       Only this API version (e.g. 2025-04-15).
  --spec-dir DIR        Where the specs are. Default: spec
  --out-dir DIR         Where the packages go. Default: packages
  --migrations-dir DIR  Where the migration pages go (the root scripts pass docs/guides/migrations).
  --standalone          For a project outside the embedkit repository (e.g. npx @embedkit/generators
                        generate --standalone): the packages depend on the published @embedkit/runtime
                        (^ the runtime version this CLI was released with) and their tsconfigs extend
                        nothing.
                        The packages of one version depend on each other with workspace:*: generate
                        them into a pnpm workspace.
  -h, --help            Show this help.

Exit codes: 0 ok, 1 spec problem, (check) differences found or (changeset --check) a missing changeset, 2 bad usage.
`;

type Command = 'generate' | 'check' | 'diff' | 'new-version' | 'changeset' | 'help';
const COMMANDS: readonly Command[] = ['generate', 'check', 'diff', 'new-version', 'changeset'];

interface ParsedArgs {
  command: Command;
  apiVersion?: string | undefined;
  specDir: string;
  outDir: string;
  migrationsDir?: string;
  /** diff: the two specs; new-version: the new version. */
  positionals?: string[];
  json?: boolean;
  from?: string;
  install?: boolean;
  mode?: 'write' | 'check' | 'record';
  since?: string;
  standalone?: boolean;
}

/** Which options each command takes. */
const OPTIONS: Record<Exclude<Command, 'help'>, readonly string[]> = {
  generate: ['--api-version', '--spec-dir', '--out-dir', '--migrations-dir', '--standalone'],
  check: ['--api-version', '--spec-dir', '--out-dir', '--migrations-dir', '--standalone'],
  diff: ['--json', '--spec-dir'],
  'new-version': ['--from', '--no-install'],
  changeset: ['--since', '--check', '--record'],
};

const POSITIONALS: Record<Exclude<Command, 'help'>, readonly string[]> = {
  generate: [],
  check: [],
  diff: ['<old>', '<new>'],
  'new-version': ['<version>'],
  changeset: [],
};

function versionArg(flag: string, v: string): string {
  if (!VERSION_PATTERN.test(v)) throw new EmbedkitUsageError(`${flag} must look like YYYY-MM-DD, got "${v}"`);
  return v;
}

/** Parses the command line; throws {@link EmbedkitUsageError} on bad usage. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const args = [...argv];
  if (args.length === 0) throw new EmbedkitUsageError('missing command (generate, check, diff, new-version or changeset)');
  if (args.includes('--help') || args.includes('-h') || args[0] === 'help') {
    return { command: 'help', specDir: 'spec', outDir: 'packages' };
  }
  const command = args.shift() as Command;
  if (!COMMANDS.includes(command) || command === 'help') throw new EmbedkitUsageError(`unknown command "${command}"`);
  const parsed: ParsedArgs = { command, specDir: 'spec', outDir: 'packages' };
  const positionals: string[] = [];
  while (args.length > 0) {
    const arg = args.shift()!;
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!OPTIONS[command].includes(flag)) throw new EmbedkitUsageError(`unknown option "${arg}"`);
    const value = (): string => {
      const v = inline ?? args.shift();
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new EmbedkitUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--api-version':
        parsed.apiVersion = versionArg('--api-version', value());
        break;
      case '--spec-dir':
        parsed.specDir = value();
        break;
      case '--out-dir':
        parsed.outDir = value();
        break;
      case '--migrations-dir':
        parsed.migrationsDir = value();
        break;
      case '--from':
        parsed.from = versionArg('--from', value());
        break;
      case '--since':
        parsed.since = value();
        break;
      case '--json':
        parsed.json = true;
        break;
      case '--no-install':
        parsed.install = false;
        break;
      case '--standalone':
        parsed.standalone = true;
        break;
      case '--check':
      case '--record':
        if (parsed.mode !== undefined) throw new EmbedkitUsageError('--check and --record exclude each other');
        parsed.mode = flag === '--check' ? 'check' : 'record';
        break;
    }
  }
  const expected = POSITIONALS[command];
  if (positionals.length !== expected.length) {
    throw new EmbedkitUsageError(
      positionals.length < expected.length
        ? `${command} needs ${expected.join(' ')}`
        : `unexpected argument "${positionals[expected.length]}"`,
    );
  }
  if (positionals.length > 0) parsed.positionals = positionals;
  return parsed;
}

/**
 * The context factory of generate and check. `--standalone` pins the runtime this CLI depends on
 * (the version `pnpm publish` wrote into its package.json): the generated code is made for it.
 */
function contextFor(args: ParsedArgs): (versions: Record<string, string>) => GeneratorContext {
  const identity = readGeneratorIdentity();
  if (args.standalone !== true) return (v) => createContext(identity, v);
  const runtimeManifest = createRequire(import.meta.url).resolve('@embedkit/runtime/package.json');
  const { version } = JSON.parse(readFileSync(runtimeManifest, 'utf8')) as { version: string };
  return (v) => createContext(identity, v, { runtimeVersion: version });
}

function seconds(startMs: number): string {
  return `${((performance.now() - startMs) / 1000).toFixed(2)} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function selectSpecs(args: ParsedArgs, cwd: string): Promise<SpecLocation[]> {
  const specDir = resolve(cwd, args.specDir);
  const specs = await findSpecs(specDir, cwd);
  const selected = args.apiVersion === undefined ? specs : specs.filter((s) => s.apiVersion === args.apiVersion);
  if (selected.length === 0) {
    throw new EmbedkitSpecError([
      {
        file: displayPath(specDir, cwd),
        pointer: '#',
        problem:
          args.apiVersion === undefined
            ? 'no specs found (expected <spec-dir>/<YYYY-MM-DD>/openapi.yaml)'
            : `no spec for API version ${args.apiVersion} (found: ${specs.map((s) => s.apiVersion).join(', ') || 'none'})`,
      },
    ]);
  }
  return selected;
}

async function compareVersion(
  spec: SpecLocation,
  outDir: string,
  baseCtx: (versions: Record<string, string>) => GeneratorContext,
  io: CliIO,
  command: string,
): Promise<{ spec: SpecLocation; shortHash: string; hasSigning: boolean; comparisons: FileComparison[] }> {
  const ctx = baseCtx(await readPackageVersions(outDir, spec.apiVersion));
  const { model, files } = await generateVersion(spec, ctx);
  // Warnings do not stop generation: say them on stderr.
  for (const w of model.warnings) io.stderr.write(`embedkit ${command}: warning: ${formatSpecProblem(w)}\n`);
  return {
    spec,
    shortHash: model.spec.shortHash,
    hasSigning: model.signature !== undefined,
    comparisons: await compareWithDisk(outDir, spec.apiVersion, files),
  };
}

async function runGenerate(args: ParsedArgs, io: CliIO): Promise<number> {
  const start = performance.now();
  const context = contextFor(args);
  const outDir = resolve(io.cwd, args.outDir);
  const outDisplay = displayPath(outDir, io.cwd);
  const specs = await selectSpecs(args, io.cwd);
  const lines: string[] = [];
  let written = 0;
  let unchanged = 0;
  let removed = 0;
  const created: string[] = [];
  for (const spec of specs) {
    const { shortHash, hasSigning, comparisons } = await compareVersion(spec, outDir, context, io, 'generate');
    await applyToDisk(outDir, comparisons);
    lines.push(`  ${spec.apiVersion} (${spec.displayPath}, sha256 ${shortHash})`);
    const names = packageNames(spec.apiVersion);
    for (const artifact of artifactsOf({ signature: hasSigning ? true : undefined })) {
      const mine = comparisons.filter((c) => c.path.startsWith(`${spec.apiVersion}/${artifact}/`));
      const w = mine.filter((c) => c.status === 'added' || c.status === 'changed').length;
      const u = mine.filter((c) => c.status === 'unchanged').length;
      const r = mine.filter((c) => c.status === 'stale').length;
      written += w;
      unchanged += u;
      removed += r;
      if (mine.some((c) => c.path.endsWith(`/${artifact}/package.json`) && c.status === 'added')) created.push(names[artifact]);
      lines.push(
        `    ${names[artifact].padEnd(40)} ${joinDisplay(outDisplay, `${spec.apiVersion}/${artifact}`).padEnd(34)} ${w} written, ${u} unchanged, ${r} removed`,
      );
    }
  }
  io.stdout.write(`embedkit generate: ${plural(specs.length, 'API version')}\n${lines.join('\n')}\n`);
  io.stdout.write(`  ${plural(written, 'file')} written, ${unchanged} unchanged, ${removed} removed in ${seconds(start)}\n`);
  if (created.length > 0) {
    io.stdout.write(`  New packages (${created.join(', ')}): run \`pnpm install\` at the workspace root to link them.\n`);
  }
  if (args.migrationsDir !== undefined) {
    const dir = resolve(io.cwd, args.migrationsDir);
    const { differing } = await compareMigrations(args, io.cwd, dir);
    for (const page of differing) {
      const target = join(dir, page.name);
      if (page.expected === undefined) await rm(target, { force: true });
      else {
        await mkdir(dir, { recursive: true });
        await writeFile(target, page.expected);
      }
      io.stdout.write(`  ${page.expected === undefined ? 'removed' : 'wrote'} ${joinDisplay(displayPath(dir, io.cwd), page.name)}\n`);
    }
  }
  return 0;
}

interface PageComparison {
  readonly name: string;
  readonly onDisk: string | undefined;
  readonly expected: string | undefined;
}

/** Migration pages that differ from what embedkit diff gives for the spec directory's versions. */
async function compareMigrations(args: ParsedArgs, cwd: string, dir: string): Promise<{ total: number; differing: PageComparison[] }> {
  const all = await findSpecs(resolve(cwd, args.specDir), cwd);
  const targets = args.apiVersion === undefined ? undefined : new Set([args.apiVersion]);
  const pages = await migrationPages(all, targets);
  const differing: PageComparison[] = [];
  for (const page of pages) {
    const onDisk = await readFile(join(dir, page.name), 'utf8').catch(() => undefined);
    if (onDisk !== page.contents) differing.push({ name: page.name, onDisk, expected: page.contents });
  }
  if (targets === undefined) {
    const wanted = new Set(pages.map((p) => p.name));
    for (const name of await existingMigrationPages(dir)) {
      if (!wanted.has(name)) differing.push({ name, onDisk: await readFile(join(dir, name), 'utf8'), expected: undefined });
    }
  }
  return { total: pages.length, differing };
}

async function runCheck(args: ParsedArgs, io: CliIO): Promise<number> {
  const start = performance.now();
  const context = contextFor(args);
  const outDir = resolve(io.cwd, args.outDir);
  const outDisplay = displayPath(outDir, io.cwd);
  const specs = await selectSpecs(args, io.cwd);
  const differing: FileComparison[] = [];
  /** Migration pages: their path is already relative to the working directory. */
  const pagePaths = new Set<FileComparison>();
  let total = 0;
  for (const spec of specs) {
    const { comparisons } = await compareVersion(spec, outDir, context, io, 'check');
    total += comparisons.length;
    differing.push(...comparisons.filter((c) => c.status !== 'unchanged'));
  }
  if (args.migrationsDir !== undefined) {
    const dir = resolve(io.cwd, args.migrationsDir);
    const pages = await compareMigrations(args, io.cwd, dir);
    total += pages.total;
    for (const page of pages.differing) {
      const comparison: FileComparison = {
        path: `${displayPath(dir, io.cwd)}/${page.name}`,
        status: page.onDisk === undefined ? 'added' : page.expected === undefined ? 'stale' : 'changed',
        onDisk: page.onDisk,
        generated: page.expected,
      };
      pagePaths.add(comparison);
      differing.push(comparison);
    }
  }
  if (differing.length === 0) {
    io.stdout.write(
      `embedkit check: up to date: ${plural(total, 'file')} in ${plural(specs.length, 'API version')} (${specs.map((s) => s.apiVersion).join(', ')}) match a fresh generation (${seconds(start)})\n`,
    );
    return 0;
  }
  const shown = (c: FileComparison) => (pagePaths.has(c) ? c.path : joinDisplay(outDisplay, c.path));
  for (const c of differing) {
    const path = shown(c);
    const from = c.status === 'added' ? '/dev/null' : `${path} (on disk)`;
    const to = c.status === 'stale' ? '/dev/null' : `${path} (generated)`;
    io.stdout.write(unifiedDiff(c.onDisk ?? '', c.generated ?? '', { from, to }));
  }
  const describe = (c: FileComparison) =>
    `  ${c.status === 'changed' ? 'differs ' : c.status === 'added' ? 'missing ' : 'stale   '} ${shown(c)}`;
  io.stderr.write(
    `embedkit check: ${plural(differing.length, 'file')} differ${differing.length === 1 ? 's' : ''} from a fresh generation:\n${differing
      .map(describe)
      .join('\n')}\nRun \`pnpm generate\` (embedkit generate) and commit the result. Generated files must not be edited by hand.\n`,
  );
  return 1;
}

/**
 * A diff argument: an API version (under the spec directory, or under the repository's `spec/`
 * when run from a subfolder), or a path to a spec file.
 */
function specArgument(arg: string, args: ParsedArgs, cwd: string): { path: string; label: string } {
  if (!VERSION_PATTERN.test(arg) || existsSync(resolve(cwd, arg))) return { path: resolve(cwd, arg), label: arg };
  const candidates = [resolve(cwd, args.specDir, arg, 'openapi.yaml')];
  if (args.specDir === 'spec') {
    try {
      candidates.push(join(findRepoRoot(cwd), 'spec', arg, 'openapi.yaml'));
    } catch {
      // Not inside the repository: only the spec directory counts.
    }
  }
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) throw new EmbedkitUsageError(`no spec for API version ${arg} (expected ${displayPath(candidates[0]!, cwd)})`);
  return { path: found, label: arg };
}

async function runDiff(args: ParsedArgs, io: CliIO): Promise<number> {
  const [oldArg, newArg] = args.positionals as [string, string];
  const a = specArgument(oldArg, args, io.cwd);
  const b = specArgument(newArg, args, io.cwd);
  const result = diffSpecs(await resolveSpecFile(a.path, a.label), await resolveSpecFile(b.path, b.label));
  io.stdout.write(args.json === true ? toJson(result) : toMarkdown(result));
  return 0;
}

async function runNewVersionCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  return runNewVersion(
    { version: args.positionals![0]!, from: args.from, install: args.install !== false },
    {
      ...io,
      generate: (root, version) => {
        const migrations = existsSync(join(root, 'docs', 'guides')) ? ['--migrations-dir', join(root, 'docs', 'guides', 'migrations')] : [];
        return main(['generate', '--api-version', version, '--spec-dir', join(root, 'spec'), '--out-dir', join(root, 'packages'), ...migrations], { ...io, cwd: root });
      },
    },
  );
}

async function runChangeset(args: ParsedArgs, io: CliIO): Promise<number> {
  const root = findRepoRoot(io.cwd);
  if (args.mode === 'record') {
    const count = await recordBaseline(root);
    io.stdout.write(`embedkit changeset: recorded ${plural(count, 'public package')} in ${BASELINE_FILE}\n`);
    return 0;
  }
  if (args.mode === 'check') {
    const { checked, unreleased, problems } = await checkChangesets(root);
    if (problems.length === 0) {
      io.stdout.write(
        `embedkit changeset --check: ok: ${plural(checked, 'released package')} unchanged or covered by a changeset${unreleased.length > 0 ? `; not released yet (first release, no changeset needed): ${unreleased.join(', ')}` : ''}\n`,
      );
      return 0;
    }
    io.stderr.write(
      `embedkit changeset --check: ${plural(problems.length, 'package')} changed without a changeset:\n${problems.map((p) => `  - ${p.name}: ${p.problem}`).join('\n')}\n` +
        `"Changed" means: different from the fingerprint recorded at its last release in ${BASELINE_FILE} (see .changeset/README.md).\n`,
    );
    return 1;
  }
  const base = changesetBase(root, args.since);
  const { written, skipped } = await writeChangesets(root, base);
  for (const w of written) {
    io.stdout.write(`embedkit changeset: wrote ${w.file} (${w.bump}: ${w.packages.join(', ')})\n`);
  }
  for (const line of skipped) io.stdout.write(`embedkit changeset: skipped ${line}\n`);
  if (written.length > 0) io.stdout.write(`Commit the changeset with the change: git add ${written.map((w) => w.file).join(' ')}\n`);
  return 0;
}

/** Runs the CLI; returns the exit code. Never throws for spec or usage problems. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof EmbedkitUsageError) {
      io.stderr.write(`embedkit: ${error.message}\nRun \`embedkit --help\` for usage.\n`);
      return 2;
    }
    throw error;
  }
  try {
    if (args.command === 'help') {
      io.stdout.write(HELP);
      return 0;
    }
    switch (args.command) {
      case 'generate':
        return await runGenerate(args, io);
      case 'check':
        return await runCheck(args, io);
      case 'diff':
        return await runDiff(args, io);
      case 'new-version':
        return await runNewVersionCommand(args, io);
      case 'changeset':
        return await runChangeset(args, io);
    }
  } catch (error) {
    if (error instanceof EmbedkitSpecError) {
      io.stderr.write(`embedkit ${args.command}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof EmbedkitUsageError) {
      io.stderr.write(`embedkit ${args.command}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
