/**
 * `@embedkit/generators`: the embedkit generator as a library. The `embedkit` CLI
 * (`bin/embedkit.js`) is built on the same functions.
 *
 * @packageDocumentation
 */
export { main as runCli, parseArgs } from './cli/main.js';
export { unifiedDiff } from './cli/diff.js';
export * from './diff/index.js';
export { createContext, type GeneratorContext } from './context.js';
export * from './emitters/index.js';
export { EmbedkitSpecError, EmbedkitUsageError, formatSpecProblem, type SpecProblem } from './errors.js';
export { findSpecs, generateVersion, readPackageVersions, type GeneratedVersion, type SpecLocation } from './generate.js';
export * from './model/index.js';
export { type GeneratorIdentity, readGeneratorIdentity } from './version.js';
