/**
 * Where the project lives: its repository, issue tracker and docs site, decided once here for
 * every package (generated package.json files and READMEs; the release tests hold the
 * hand-written packages to the same).
 *
 * @module
 */

/**
 * There is no public host yet: these are placeholders, the GitHub repository and its GitHub
 * Pages site. Change them here (then `pnpm generate`) when the project gets its home.
 */
export const PROJECT_LINKS = {
  repository: 'https://github.com/embedkit/embedkit',
  docs: 'https://embedkit.github.io/embedkit/',
  issues: 'https://github.com/embedkit/embedkit/issues',
} as const;

/** Packages the API reference does not document: the guide that does. */
const GUIDE_PAGES: Readonly<Record<string, string>> = { '@embedkit/generators': 'documents/Generator_internals.html' };

/**
 * A package's page on the docs site. TypeDoc names a package's page after its npm name:
 * `@embedkit/client-2025-04-15` -> `modules/_embedkit_client-2025-04-15.html`.
 */
export function docsPageUrl(packageName: string): string {
  return `${PROJECT_LINKS.docs}${GUIDE_PAGES[packageName] ?? `modules/${packageName.toLowerCase().replace(/[^a-z0-9-]/g, '_')}.html`}`;
}

/** The package.json fields that link a package to the project (repository, homepage, bugs). */
export function projectFields(packageName: string, directory: string): Record<string, unknown> {
  return {
    homepage: docsPageUrl(packageName),
    repository: { type: 'git', url: `git+${PROJECT_LINKS.repository}.git`, directory },
    bugs: { url: PROJECT_LINKS.issues },
  };
}
