/**
 * The emitters: each a pure function from the model (and the context) to files.
 *
 * @module
 */
import type { GeneratorContext } from '../context.js';
import type { ApiModel } from '../model/types.js';
import { emitClient } from './client.js';
import type { GeneratedFile } from './common.js';
import { emitPackageFiles } from './package-files.js';
import { emitSigning } from './signing.js';
import { emitTypes } from './types.js';
import { emitValidators } from './validators.js';

export { emitClient } from './client.js';
export { fileHeader, type GeneratedFile, headerLines, markdownHeader } from './common.js';
export { emitPackageFiles, packageJson } from './package-files.js';
export { emitSigning } from './signing.js';
export { emitTypes, openapiTypes } from './types.js';
export { emitValidators, enumMessage, enumSummary, standaloneValidatorsModule } from './validators.js';

/**
 * Every file of the four packages of one API version, with paths relative to the output root
 * (`<apiVersion>/<artifact>/...`), sorted by path.
 */
export async function emitAll(model: ApiModel, ctx: GeneratorContext): Promise<GeneratedFile[]> {
  const files = [
    ...(await emitTypes(model, ctx)),
    ...emitValidators(model, ctx),
    ...emitSigning(model, ctx),
    ...emitClient(model, ctx),
    ...emitPackageFiles(model, ctx),
  ];
  return files
    .map((f) => ({ path: `${model.apiVersion}/${f.path}`, contents: f.contents }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
