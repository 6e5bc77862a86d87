/**
 * The docs' migration pages, one per pair of consecutive API versions
 * (`docs/guides/migrations/<from>-to-<to>.md`), generated from `embedkit diff`. `embedkit
 * generate --migrations-dir` writes them and `embedkit check --migrations-dir` compares them, like
 * the generated packages.
 *
 * @module
 */
import { readdir } from 'node:fs/promises';
import { diffSpecs } from '../diff/compare.js';
import { migrationPage } from '../diff/report.js';
import { resolveSpecFile } from '../diff/resolve.js';
import type { SpecLocation } from '../generate.js';

export const MIGRATION_PAGE = /^(\d{4}-\d{2}-\d{2})-to-(\d{4}-\d{2}-\d{2})\.md$/;

export interface MigrationFile {
  /** File name inside the migrations folder. */
  readonly name: string;
  readonly contents: string;
}

/** The pages for every consecutive pair whose newer version is in `targets` (all when omitted). */
export async function migrationPages(specs: readonly SpecLocation[], targets?: ReadonlySet<string>): Promise<MigrationFile[]> {
  const sorted = [...specs].sort((a, b) => (a.apiVersion < b.apiVersion ? -1 : 1));
  const out: MigrationFile[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const from = sorted[i - 1]!;
    const to = sorted[i]!;
    if (targets !== undefined && !targets.has(to.apiVersion)) continue;
    const result = diffSpecs(await resolveSpecFile(from.absolutePath, from.apiVersion), await resolveSpecFile(to.absolutePath, to.apiVersion));
    out.push({ name: `${from.apiVersion}-to-${to.apiVersion}.md`, contents: migrationPage(from.apiVersion, to.apiVersion, result) });
  }
  return out;
}

/** Migration pages present in the folder. */
export async function existingMigrationPages(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((name) => MIGRATION_PAGE.test(name)).sort();
}
