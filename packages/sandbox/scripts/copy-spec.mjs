// Build step: ship the spec(s) the sandbox serves inside dist/, so the published package finds
// them without the monorepo. The copy is a build output (dist/ is not committed); the source of
// truth stays spec/<version>/openapi.yaml.
import { cpSync, existsSync, readdirSync } from 'node:fs';

const specRoot = new URL('../../../spec/', import.meta.url);
const out = new URL('../dist/spec/', import.meta.url);
for (const version of readdirSync(specRoot).filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name))) {
  const source = new URL(`${version}/openapi.yaml`, specRoot);
  if (existsSync(source)) cpSync(source, new URL(`${version}/openapi.yaml`, out));
}
