/**
 * `embedkit diff`: what changed between two Embed API specs, classified for consumers of the
 * generated packages.
 *
 * @module
 */
export { diffSpecs } from './compare.js';
export { bumpFor, type Bump, migrationPage, summaryLine, toJson, toMarkdown } from './report.js';
export { dereference, type ResolvedSpec, resolveSpecFile, resolveSpecText } from './resolve.js';
export type { Change, ChangeKind, DiffResult } from './types.js';
