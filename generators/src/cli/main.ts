/**
 * The `embedkit` command line: `generate`, `check`, `--help`.
 *
 * Exit codes: 0 success (and `check` clean), 1 a spec problem or (`check`) a difference,
 * 2 bad usage.
 *
 * @module
 */
import { resolve } from 'node:path';
import { createContext, type GeneratorContext } from '../context.js';
import { EmbedkitSpecError, EmbedkitUsageError, formatSpecProblem } from '../errors.js';
import { displayPath, findSpecs, generateVersion, readPackageVersions, type SpecLocation } from '../generate.js';
import { artifactsOf, packageNames } from '../model/names.js';
import { readGeneratorIdentity } from '../version.js';
import { unifiedDiff } from './diff.js';
import { applyToDisk, compareWithDisk, type FileComparison, joinDisplay } from './disk.js';

/** Where the CLI writes and in which directory it runs. */
export interface CliIO {
  readonly cwd: string;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export const HELP = `embedkit: generate typed, validated, signed TypeScript packages from Embed API OpenAPI specs.

Usage:
  embedkit generate [--api-version V] [--spec-dir DIR] [--out-dir DIR]
  embedkit check    [--api-version V] [--spec-dir DIR] [--out-dir DIR]
  embedkit --help

Commands:
  generate   Generate the packages of every API version under the spec directory
             (<spec-dir>/<YYYY-MM-DD>/openapi.yaml -> <out-dir>/<YYYY-MM-DD>/{types,validators,signing,client}).
             Writes only files that changed and removes stale files inside those package folders.
  check      Regenerate in memory and compare with the disk. Prints a unified diff of every
             file that differs and exits 1; exits 0 when everything is up to date.

Options:
  --api-version V   Only this API version (e.g. 2025-04-15).
  --spec-dir DIR    Where the specs are. Default: spec
  --out-dir DIR     Where the packages go. Default: packages
  -h, --help        Show this help.

Exit codes: 0 ok, 1 spec problem or (check) differences found, 2 bad usage.
`;

interface ParsedArgs {
  command: 'generate' | 'check' | 'help';
  apiVersion?: string | undefined;
  specDir: string;
  outDir: string;
}

/** Parses the command line; throws {@link EmbedkitUsageError} on bad usage. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const args = [...argv];
  if (args.length === 0) throw new EmbedkitUsageError('missing command (generate or check)');
  if (args.includes('--help') || args.includes('-h') || args[0] === 'help') {
    return { command: 'help', specDir: 'spec', outDir: 'packages' };
  }
  const command = args.shift();
  if (command !== 'generate' && command !== 'check') throw new EmbedkitUsageError(`unknown command "${command}"`);
  const parsed: ParsedArgs = { command, specDir: 'spec', outDir: 'packages' };
  while (args.length > 0) {
    const arg = args.shift()!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args.shift();
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new EmbedkitUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--api-version': {
        const v = value();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new EmbedkitUsageError(`--api-version must look like YYYY-MM-DD, got "${v}"`);
        parsed.apiVersion = v;
        break;
      }
      case '--spec-dir':
        parsed.specDir = value();
        break;
      case '--out-dir':
        parsed.outDir = value();
        break;
      default:
        throw new EmbedkitUsageError(`unknown option "${arg}"`);
    }
  }
  return parsed;
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
  const identity = readGeneratorIdentity();
  const outDir = resolve(io.cwd, args.outDir);
  const outDisplay = displayPath(outDir, io.cwd);
  const specs = await selectSpecs(args, io.cwd);
  const lines: string[] = [];
  let written = 0;
  let unchanged = 0;
  let removed = 0;
  const created: string[] = [];
  for (const spec of specs) {
    const { shortHash, hasSigning, comparisons } = await compareVersion(spec, outDir, (v) => createContext(identity, v), io, 'generate');
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
    io.stdout.write(`  New packages (${created.join(', ')}): run \`pnpm install\` at the repository root to link them.\n`);
  }
  return 0;
}

async function runCheck(args: ParsedArgs, io: CliIO): Promise<number> {
  const start = performance.now();
  const identity = readGeneratorIdentity();
  const outDir = resolve(io.cwd, args.outDir);
  const outDisplay = displayPath(outDir, io.cwd);
  const specs = await selectSpecs(args, io.cwd);
  const differing: FileComparison[] = [];
  let total = 0;
  for (const spec of specs) {
    const { comparisons } = await compareVersion(spec, outDir, (v) => createContext(identity, v), io, 'check');
    total += comparisons.length;
    differing.push(...comparisons.filter((c) => c.status !== 'unchanged'));
  }
  if (differing.length === 0) {
    io.stdout.write(
      `embedkit check: up to date: ${plural(total, 'file')} in ${plural(specs.length, 'API version')} (${specs.map((s) => s.apiVersion).join(', ')}) match a fresh generation (${seconds(start)})\n`,
    );
    return 0;
  }
  for (const c of differing) {
    const path = joinDisplay(outDisplay, c.path);
    const from = c.status === 'added' ? '/dev/null' : `${path} (on disk)`;
    const to = c.status === 'stale' ? '/dev/null' : `${path} (generated)`;
    io.stdout.write(unifiedDiff(c.onDisk ?? '', c.generated ?? '', { from, to }));
  }
  const describe = (c: FileComparison) =>
    `  ${c.status === 'changed' ? 'differs ' : c.status === 'added' ? 'missing ' : 'stale   '} ${joinDisplay(outDisplay, c.path)}`;
  io.stderr.write(
    `embedkit check: ${plural(differing.length, 'file')} differ${differing.length === 1 ? 's' : ''} from a fresh generation:\n${differing
      .map(describe)
      .join('\n')}\nRun \`pnpm generate\` (embedkit generate) and commit the result. Generated files must not be edited by hand.\n`,
  );
  return 1;
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
    return args.command === 'generate' ? await runGenerate(args, io) : await runCheck(args, io);
  } catch (error) {
    if (error instanceof EmbedkitSpecError) {
      io.stderr.write(`embedkit ${args.command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
