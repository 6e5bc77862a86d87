// Which packages the site documents, found by listing folders (no list to keep up to date):
// packages/runtime, packages/sandbox, and every generated package of every API version
// (packages/<api-version>/<kind>/package.json). Used by the site build and by the tests.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sitePageInputs } from './site-pages.mjs';

/** The monorepo root (docs/ lives directly under it). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The docs package folder. */
export const docsRoot = fileURLToPath(new URL('../', import.meta.url));

/** The order of the generated packages inside one API version: the order data flows in. */
export const GENERATED_KINDS = ['types', 'validators', 'signing', 'client'];

const HAND_WRITTEN = [
  { folder: 'runtime', group: 'Runtime' },
  { folder: 'sandbox', group: 'Sandbox' },
];

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function isDir(path) {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * The `types` files a package's `exports` map points at, one per subpath (`.`, `./node`, ...).
 * These are the TypeDoc entry points (TypeDoc maps them back to `src/` through declaration maps).
 */
export function typesEntryPoints(dir, manifest) {
  const exportsField = manifest.exports;
  const entries = [];
  const pick = (value) => {
    if (typeof value === 'string') return value.endsWith('.d.ts') ? value : undefined;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const key of ['types', 'import', 'default']) {
        const found = value[key] === undefined ? undefined : pick(value[key]);
        if (found) return found;
      }
    }
    return undefined;
  };
  if (typeof exportsField === 'string' || (exportsField && typeof exportsField === 'object' && !Array.isArray(exportsField) && !Object.keys(exportsField).some((k) => k.startsWith('.')))) {
    const types = pick(exportsField) ?? manifest.types;
    if (types) entries.push({ subpath: '.', types: resolve(dir, types) });
  } else if (exportsField && typeof exportsField === 'object') {
    for (const [subpath, value] of Object.entries(exportsField)) {
      if (subpath === './package.json' || subpath.includes('*')) continue;
      const types = pick(value);
      if (types) entries.push({ subpath, types: resolve(dir, types) });
    }
  } else if (typeof manifest.types === 'string') {
    entries.push({ subpath: '.', types: resolve(dir, manifest.types) });
  }
  return entries;
}

/**
 * @typedef {object} SitePackage
 * @property {string} dir          the package folder (absolute)
 * @property {string} name         its npm name
 * @property {string} version
 * @property {boolean} private
 * @property {string} group        its site category: "Runtime", "Sandbox" or "API <version>"
 * @property {{ subpath: string, types: string }[]} entryPoints  the `types` file of each `exports` subpath
 * @property {string | undefined} readme  its README.md (absolute), if any
 * @property {string} [apiVersion] generated packages: the API version
 * @property {string} [kind]       generated packages: types, validators, signing, client, ...
 */

/** @returns {SitePackage} */
function describe(dir, group, extra = {}) {
  const manifest = readJson(join(dir, 'package.json'));
  return {
    dir,
    name: manifest.name,
    version: manifest.version,
    private: manifest.private === true,
    group,
    entryPoints: typesEntryPoints(dir, manifest),
    readme: existsSync(join(dir, 'README.md')) ? join(dir, 'README.md') : undefined,
    ...extra,
  };
}

/** Compares API versions so that the newest comes first (dates sort as strings). */
function newestFirst(a, b) {
  return a < b ? 1 : a > b ? -1 : 0;
}

/**
 * Every documented package, in site order: Runtime, Sandbox, then each API version (newest
 * first) with its packages in data-flow order (types, validators, signing, client, then any
 * other kind alphabetically).
 *
 * @param {string} root the monorepo root
 * @returns {SitePackage[]}
 */
export function discoverPackages(root = repoRoot) {
  const packagesDir = join(root, 'packages');
  const found = [];
  for (const { folder, group } of HAND_WRITTEN) {
    const dir = join(packagesDir, folder);
    if (existsSync(join(dir, 'package.json'))) found.push(describe(dir, group));
  }
  const handWritten = new Set(HAND_WRITTEN.map((h) => h.folder));
  const versionFolders = (isDir(packagesDir) ? readdirSync(packagesDir) : [])
    .filter((name) => !handWritten.has(name) && !name.startsWith('.') && isDir(join(packagesDir, name)))
    .filter((name) => !existsSync(join(packagesDir, name, 'package.json')))
    .sort(newestFirst);
  for (const folder of versionFolders) {
    const versionDir = join(packagesDir, folder);
    const kinds = readdirSync(versionDir)
      .filter((kind) => existsSync(join(versionDir, kind, 'package.json')))
      .sort((a, b) => {
        const ia = GENERATED_KINDS.indexOf(a);
        const ib = GENERATED_KINDS.indexOf(b);
        if (ia !== -1 || ib !== -1) return (ia === -1 ? GENERATED_KINDS.length : ia) - (ib === -1 ? GENERATED_KINDS.length : ib);
        return a < b ? -1 : a > b ? 1 : 0;
      });
    for (const kind of kinds) {
      const dir = join(versionDir, kind);
      const manifest = readJson(join(dir, 'package.json'));
      const apiVersion = manifest.embedkit?.apiVersion ?? folder;
      found.push(describe(dir, `API ${apiVersion}`, { apiVersion, kind }));
    }
  }
  return found;
}

/** The site's category order: Guides first, then the package groups in discovery order. */
export function categoryOrder(packages) {
  return ['Guides', ...new Set(packages.map((p) => p.group))];
}

function listFiles(dir, out = []) {
  if (!isDir(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Every file the site is built from: the docs' own sources and each package's manifest, typedoc.json, README and src/. */
export function siteInputs(packages = discoverPackages()) {
  const files = [
    join(docsRoot, 'package.json'),
    join(docsRoot, 'typedoc.json'),
    join(docsRoot, 'README.md'),
    ...listFiles(join(docsRoot, 'guides')),
    ...listFiles(join(docsRoot, 'scripts')),
    ...listFiles(join(docsRoot, 'assets')),
    // The generated pages' sources (scripts/site-pages.mjs): the specs, changelogs and changesets.
    ...sitePageInputs(),
  ];
  for (const pkg of packages) {
    files.push(join(pkg.dir, 'package.json'));
    // A package's own TypeDoc options (the validators package keeps TypeDoc on its root entry).
    files.push(join(pkg.dir, 'typedoc.json'));
    if (pkg.readme) files.push(pkg.readme);
    files.push(...listFiles(join(pkg.dir, 'src')));
  }
  return files.filter((file) => existsSync(file)).sort();
}

/** A hash of the site's inputs (paths and contents), recorded in the site so tests can tell a stale site. */
export function siteInputsHash(packages = discoverPackages()) {
  const hash = createHash('sha256');
  for (const file of siteInputs(packages)) {
    hash.update(relative(repoRoot, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Where the site is built, and the stamp file the build writes into it. */
export const siteDir = join(docsRoot, 'site');
export const siteStampFile = join(siteDir, '.embedkit-site.json');
