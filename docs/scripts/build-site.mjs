// `pnpm run docs`: builds the one TypeDoc site (docs/site/) for every public package, grouped by
// API version, with the guides. The packages are found by listing folders (scripts/packages.mjs),
// so a new `packages/<api-version>/` appears without editing any configuration here. Static
// TypeDoc options live in typedoc.json; this script adds what depends on the folders found.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Application, OptionDefaults, TSConfigReader, TypeDocReader } from 'typedoc';
import { categoryOrder, discoverPackages, docsRoot, repoRoot, siteDir, siteInputsHash, siteStampFile } from './packages.mjs';
import { writeSitePages } from './site-pages.mjs';

const started = performance.now();
const packages = discoverPackages();
// Hashed before building, so an edit made while TypeDoc runs marks the site stale.
const inputsHash = siteInputsHash(packages);
const manifest = JSON.parse(readFileSync(join(docsRoot, 'package.json'), 'utf8'));
const devDependencies = manifest.devDependencies ?? {};

// Fail early and precisely instead of letting TypeDoc report a confusing error.
const problems = [];
for (const pkg of packages) {
  const where = relative(repoRoot, pkg.dir);
  if (devDependencies[pkg.name] !== 'workspace:*') {
    problems.push(
      `${pkg.name} (${where}) is not a devDependency of @embedkit/docs, so turbo's ^build does not build it before the site.\n` +
        `    Fix: cd ${repoRoot} && pnpm add --filter @embedkit/docs -D ${pkg.name}@workspace:*`,
    );
  }
  if (pkg.entryPoints.length === 0) problems.push(`${pkg.name} (${where}/package.json) has no "exports" entry with a "types" file.`);
  for (const entry of pkg.entryPoints) {
    if (!existsSync(entry.types)) {
      problems.push(`${pkg.name}: ${relative(repoRoot, entry.types)} (exports "${entry.subpath}") does not exist. Build it first: pnpm build`);
    }
  }
  if (!pkg.readme) problems.push(`${pkg.name}: ${where}/README.md is missing (it is the package's page on the site).`);
}
if (problems.length > 0) {
  console.error(`docs: cannot build the site:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}

const groups = categoryOrder(packages)
  .filter((title) => title !== 'Guides')
  .map((title) => {
    const members = packages.filter((p) => p.group === title);
    const apiVersion = members[0]?.apiVersion;
    return {
      title,
      description: apiVersion
        ? `Generated from spec/${apiVersion}/openapi.yaml. Never edited by hand: regenerate with embedkit generate.`
        : title === 'Runtime'
          ? 'The hand-written, spec-agnostic runtime the generated packages build on.'
          : 'A local Embed API server for tests.',
      packages: members.map((p) => p.name),
    };
  });

// Options every package conversion gets: typedoc.json's packageOptions, plus `@description`
// as a known block tag (openapi-typescript writes the spec's descriptions with it; the plugin
// turns it into the summary).
const typedocJson = JSON.parse(readFileSync(join(docsRoot, 'typedoc.json'), 'utf8'));
const packageOptions = { ...typedocJson.packageOptions, blockTags: [...OptionDefaults.blockTags, '@description'] };

// The project documents: typedoc.json's guides in their order, any other guide in guides/ (a
// guide added by another change appears without editing this list), then the pages generated
// from the specs and the changelog (scripts/site-pages.mjs). A document's frontmatter `category`
// places it (default "Guides"; "Contributing"; "API <version>").
const listedGuides = (typedocJson.projectDocuments ?? []).map((file) => join(docsRoot, file));
const otherGuides = readdirSync(join(docsRoot, 'guides'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => join(docsRoot, 'guides', name))
  .filter((file) => !listedGuides.includes(file))
  .sort();
const projectDocuments = [...listedGuides, ...otherGuides, ...writeSitePages().map((page) => page.file)];

const app = await Application.bootstrapWithPlugins(
  {
    options: join(docsRoot, 'typedoc.json'),
    projectDocuments,
    packageOptions,
    out: siteDir,
    entryPoints: packages.map((p) => p.dir),
    plugin: [join(docsRoot, 'scripts/typedoc-plugin-embedkit.mjs')],
    embedkitCategories: groups,
  },
  [new TypeDocReader(), new TSConfigReader()],
);

const project = await app.convert();
if (!project) {
  console.error('docs: TypeDoc could not convert the packages (see the errors above).');
  process.exit(1);
}
app.validate(project);
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error(`docs: TypeDoc reported ${app.logger.errorCount} error(s) and ${app.logger.warningCount} warning(s); warnings count as errors.`);
  process.exit(1);
}
await app.generateDocs(project, siteDir);
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error(`docs: rendering reported ${app.logger.errorCount} error(s) and ${app.logger.warningCount} warning(s); warnings count as errors.`);
  process.exit(1);
}

// The tests use this stamp to tell whether the site is older than its inputs.
writeFileSync(
  siteStampFile,
  `${JSON.stringify({ builtAt: new Date().toISOString(), inputsHash, packages: packages.map((p) => ({ name: p.name, group: p.group })) }, null, 2)}\n`,
);
console.log(
  `docs: site built in ${((performance.now() - started) / 1000).toFixed(1)} s: ${relative(repoRoot, siteDir)}/ (${packages.length} packages: ${packages.map((p) => p.name).join(', ')})`,
);
