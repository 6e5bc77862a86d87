/**
 * Generation without the file system: spec in, files out. The CLI and the tests build on this.
 *
 * @module
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { GeneratorContext } from './context.js';
import { emitAll, type GeneratedFile } from './emitters/index.js';
import { EmbedkitSpecError } from './errors.js';
import { loadModel } from './model/index.js';
import { ARTIFACTS, packageNames } from './model/names.js';
import type { ApiModel } from './model/types.js';

/** A spec found under a spec directory. */
export interface SpecLocation {
  readonly apiVersion: string;
  readonly absolutePath: string;
  readonly displayPath: string;
}

const VERSION_DIR = /^\d{4}-\d{2}-\d{2}$/;

/** Turns an absolute path into a `/`-separated path relative to `cwd` (for messages). */
export function displayPath(absolutePath: string, cwd: string): string {
  const rel = relative(cwd, absolutePath);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/** Lists `<specDir>/<YYYY-MM-DD>/openapi.yaml`, sorted by version. */
export async function findSpecs(specDir: string, cwd: string): Promise<SpecLocation[]> {
  let entries: string[];
  try {
    entries = await readdir(specDir);
  } catch {
    throw new EmbedkitSpecError([{ file: displayPath(specDir, cwd), pointer: '#', problem: 'the spec directory does not exist' }]);
  }
  const out: SpecLocation[] = [];
  for (const entry of entries.sort()) {
    if (!VERSION_DIR.test(entry)) continue;
    const absolutePath = join(specDir, entry, 'openapi.yaml');
    out.push({ apiVersion: entry, absolutePath, displayPath: displayPath(absolutePath, cwd) });
  }
  return out;
}

/** Reads the `version` of already-generated packages of an API version (changesets owns it). */
export async function readPackageVersions(outDir: string, apiVersion: string): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  const names = packageNames(apiVersion);
  for (const artifact of ARTIFACTS) {
    try {
      const pkg = JSON.parse(await readFile(join(outDir, apiVersion, artifact, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof pkg.version === 'string') versions[names[artifact]] = pkg.version;
    } catch {
      // Not generated yet, or unreadable: the package starts at the initial version.
    }
  }
  return versions;
}

/** The result of generating one API version in memory. */
export interface GeneratedVersion {
  readonly model: ApiModel;
  /** Paths relative to the output directory (`2025-04-15/types/src/index.ts`). */
  readonly files: readonly GeneratedFile[];
}

/** Loads one spec and emits its four packages in memory. */
export async function generateVersion(
  spec: SpecLocation & { readonly bytes?: Uint8Array },
  ctx: GeneratorContext,
): Promise<GeneratedVersion> {
  const model = await loadModel({
    absolutePath: resolve(spec.absolutePath),
    displayPath: spec.displayPath,
    apiVersion: spec.apiVersion,
    bytes: spec.bytes,
  });
  return { model, files: await emitAll(model, ctx) };
}
