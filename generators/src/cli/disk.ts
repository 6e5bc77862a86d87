/**
 * The generated package folders on disk: what is there, and how to bring them in line with a
 * fresh generation (write changed files, remove stale ones, leave everything else alone).
 *
 * @module
 */
import { mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { GeneratedFile } from '../emitters/common.js';
import { ARTIFACTS } from '../model/names.js';

/**
 * Entries inside a generated package folder that the generator never reads or removes: build
 * output, installed dependencies, caches, and the changelog that changesets writes.
 */
export const UNMANAGED = new Set(['node_modules', 'dist', '.turbo', 'CHANGELOG.md']);

function isUnmanaged(name: string): boolean {
  return UNMANAGED.has(name) || name.endsWith('.tsbuildinfo');
}

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (isUnmanaged(entry.name)) continue;
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) await walk(root, rel, out);
    else out.push(rel);
  }
}

/** Files currently in the generated folders of one API version, relative to `outDir`. */
export async function listManagedFiles(outDir: string, apiVersion: string): Promise<string[]> {
  const out: string[] = [];
  for (const artifact of ARTIFACTS) await walk(outDir, `${apiVersion}/${artifact}`, out);
  return out.sort();
}

/** How one file on disk compares with the generated one. */
export type FileStatus = 'unchanged' | 'changed' | 'added' | 'stale';

export interface FileComparison {
  readonly path: string;
  readonly status: FileStatus;
  /** The text on disk (undefined for an added file). */
  readonly onDisk?: string | undefined;
  /** The generated text (undefined for a stale file). */
  readonly generated?: string | undefined;
}

/** Compares the generated files of one API version with the disk. */
export async function compareWithDisk(outDir: string, apiVersion: string, files: readonly GeneratedFile[]): Promise<FileComparison[]> {
  const existing = new Set(await listManagedFiles(outDir, apiVersion));
  const result: FileComparison[] = [];
  for (const file of files) {
    let onDisk: string | undefined;
    try {
      onDisk = await readFile(join(outDir, ...file.path.split('/')), 'utf8');
    } catch {
      onDisk = undefined;
    }
    existing.delete(file.path);
    const status: FileStatus = onDisk === undefined ? 'added' : onDisk === file.contents ? 'unchanged' : 'changed';
    result.push({ path: file.path, status, onDisk, generated: file.contents });
  }
  for (const path of existing) {
    result.push({ path, status: 'stale', onDisk: await readFile(join(outDir, ...path.split('/')), 'utf8').catch(() => '') });
  }
  return result.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Applies a comparison: writes added and changed files, removes stale ones (and empty folders). */
export async function applyToDisk(outDir: string, comparisons: readonly FileComparison[]): Promise<void> {
  for (const c of comparisons) {
    const target = join(outDir, ...c.path.split('/'));
    if (c.status === 'added' || c.status === 'changed') {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, c.generated ?? '');
    } else if (c.status === 'stale') {
      await rm(target, { force: true });
      // Remove folders left empty, up to (not including) the package folder.
      let dir = dirname(target);
      const parts = c.path.split('/');
      for (let depth = parts.length - 1; depth > 2; depth--) {
        try {
          await rmdir(dir);
        } catch {
          break;
        }
        dir = dirname(dir);
      }
    }
  }
}

/** `a/b` joined onto a display directory, with `/` separators. */
export function joinDisplay(dir: string, path: string): string {
  return `${dir.split(sep).join('/').replace(/\/$/, '')}/${path}`;
}
