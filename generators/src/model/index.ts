/**
 * The model layer: load, bundle and validate ONE spec into ONE normalized {@link ApiModel}.
 *
 * @module
 */
import { buildModel } from './build.js';
import { loadSpec, type SpecInput } from './load.js';
import type { ApiModel } from './types.js';

export { buildModel, resolveSchema } from './build.js';
export { hashSpec, loadSpec, type LoadedSpec, type SpecInput } from './load.js';
export * from './names.js';
export { ANNOTATION_KEYWORDS, normalizeSchema, type ProblemSink, type SchemaContext, SUPPORTED_FORMATS, SUPPORTED_KEYWORDS } from './schema.js';
export type * from './types.js';

/** Loads a spec and builds its model; throws {@link EmbedkitSpecError} for a malformed spec. */
export async function loadModel(input: SpecInput & { readonly apiVersion: string }): Promise<ApiModel> {
  return buildModel(await loadSpec(input), input.apiVersion);
}
