/**
 * The places in the repository that must name every API version or its packages, and the one
 * function that rewrites them from the `spec/<YYYY-MM-DD>/` folders. Everything else derives the
 * versions by listing folders (the workspace's `packages/*\/*`, the sandbox's spec copy, the docs
 * site's package discovery). `embedkit new-version` calls {@link syncVersionLists}; a test checks
 * that the committed files equal what it would write.
 *
 * @module
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ARTIFACTS, packageNames } from '../model/names.js';

const VERSION_DIR = /^\d{4}-\d{2}-\d{2}$/;
const GENERATED_PACKAGE = /^@embedkit\/(types|validators|signing|client)-\d{4}-\d{2}-\d{2}$/;

/** The API versions that have a `spec/<version>/openapi.yaml`, oldest first. */
export async function listSpecVersions(root: string): Promise<string[]> {
  const entries = await readdir(join(root, 'spec'), { withFileTypes: true }).catch(() => []);
  const versions: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !VERSION_DIR.test(entry.name)) continue;
    if ((await readdir(join(root, 'spec', entry.name))).includes('openapi.yaml')) versions.push(entry.name);
  }
  return versions.sort();
}

function generatedPackages(versions: readonly string[]): string[] {
  return versions.flatMap((v) => ARTIFACTS.map((artifact) => packageNames(v)[artifact]));
}

/** A file the sync manages, with the contents it should have. */
export interface ListedFile {
  readonly path: string;
  readonly current: string | undefined;
  readonly expected: string;
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** `spec/redocly.yaml`: one `apis:` entry per version (the rest of the file, comments included, is kept). */
function redoclyConfig(text: string, versions: readonly string[]): string {
  const doc = parseDocument(text);
  const apis = doc.createNode(Object.fromEntries(versions.map((v) => [`embed@${v}`, { root: `./${v}/openapi.yaml` }])));
  doc.set('apis', apis);
  return doc.toString({ lineWidth: 0 });
}

/** `generators/turbo.json`: the generators' typecheck needs every generated package built. */
function generatorsTurbo(text: string, versions: readonly string[]): string {
  const config = JSON.parse(text) as { tasks?: Record<string, { dependsOn?: string[] }> };
  config.tasks ??= {};
  const typecheck = config.tasks['typecheck'] ?? {};
  config.tasks['typecheck'] = typecheck;
  const kept = (typecheck.dependsOn ?? []).filter((d) => !GENERATED_PACKAGE.test(d.replace(/#build$/, '')));
  typecheck.dependsOn = [...kept, ...generatedPackages(versions).map((name) => `${name}#build`)];
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** `docs/package.json`: the site documents every generated package, so turbo must build them first. */
function docsManifest(text: string, versions: readonly string[]): string {
  const manifest = JSON.parse(text) as { devDependencies?: Record<string, string> };
  const deps = Object.entries(manifest.devDependencies ?? {}).filter(([name]) => !GENERATED_PACKAGE.test(name));
  for (const name of generatedPackages(versions)) deps.push([name, 'workspace:*']);
  manifest.devDependencies = Object.fromEntries(deps.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const MANAGED: readonly { path: string; render: (text: string, versions: readonly string[]) => string }[] = [
  { path: 'spec/redocly.yaml', render: redoclyConfig },
  { path: 'generators/turbo.json', render: generatorsTurbo },
  { path: 'docs/package.json', render: docsManifest },
];

/** What each managed file holds and should hold for the given versions. Missing files are skipped. */
export async function versionLists(root: string, versions: readonly string[]): Promise<ListedFile[]> {
  const out: ListedFile[] = [];
  for (const { path, render } of MANAGED) {
    const current = await readText(join(root, path));
    if (current === undefined) continue;
    out.push({ path, current, expected: render(current, versions) });
  }
  return out;
}

/** Rewrites the managed files that differ; returns the paths written. */
export async function syncVersionLists(root: string, versions: readonly string[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of await versionLists(root, versions)) {
    if (file.current === file.expected) continue;
    await writeFile(join(root, file.path), file.expected);
    written.push(file.path);
  }
  return written;
}
