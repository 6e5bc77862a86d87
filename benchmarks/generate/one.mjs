// One measurement in a fresh process (as the CLI runs): `node one.mjs <tool> <spec file> [phases]`.
// Prints the wall time in ms from before the tool's modules are imported to its output in memory.
// tool: `openapi-typescript` (the spec file to TypeScript text, the baseline) or `embedkit` (the
// spec to the model and every file of the generated packages).
import { pathToFileURL } from 'node:url';

const [tool, file, phases] = process.argv.slice(2);
const start = performance.now();
const lap = { start };
if (tool === 'openapi-typescript') {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const text = astToString(await openapiTS(pathToFileURL(file), { silent: true }));
  if (text.length === 0) throw new Error('no output');
} else if (tool === 'embedkit') {
  const generators = await import('@embedkit/generators');
  const { loadSpec, buildModel, emitTypes, emitValidators, emitClient, emitSigning, emitPackageFiles, createContext, readGeneratorIdentity } = generators;
  const ctx = createContext(readGeneratorIdentity());
  lap.imported = performance.now();
  const loaded = await loadSpec({ absolutePath: file, displayPath: file });
  lap.loaded = performance.now();
  let model;
  try {
    model = buildModel(loaded, '2025-04-15');
  } catch (error) {
    // A spec the generator refuses: report how far it got.
    if (!(error instanceof generators.EmbedkitSpecError)) throw error;
    lap.model = performance.now();
    lap.refused = error.problems.length;
  }
  if (model !== undefined) {
    lap.model = performance.now();
    await emitTypes(model, ctx);
    lap.types = performance.now();
    emitValidators(model, ctx);
    lap.validators = performance.now();
    emitSigning(model, ctx);
    emitClient(model, ctx);
    emitPackageFiles(model, ctx);
    lap.rest = performance.now();
  }
} else {
  throw new Error(`unknown tool ${tool}`);
}
const end = performance.now();
const out = { ms: end - start };
if (phases) {
  let previous = start;
  for (const [name, at] of Object.entries(lap)) {
    if (name === 'start') continue;
    if (name === 'refused') {
      out.refused = at;
      continue;
    }
    out[name] = Math.round(at - previous);
    previous = at;
  }
}
process.stdout.write(`${JSON.stringify(out)}\n`);
