// Build step: ship the spec of every API version in spec/ inside dist/, so the published package
// finds them without the monorepo and serves them all (src/spec.ts `shippedSpecs` lists this
// folder; no version is written out by hand). The copy is a build output (dist/ is not committed);
// the source of truth stays spec/<version>/openapi.yaml. Test-only versions (the generator's
// 2099-01-01 fixture) are not in spec/ and so never shipped: tests pass them as `extraSpecs`.
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';

const specRoot = new URL('../../../spec/', import.meta.url);
const out = new URL('../dist/spec/', import.meta.url);
// Start clean, so a version removed from spec/ is not served from a stale copy.
rmSync(out, { recursive: true, force: true });
for (const version of readdirSync(specRoot).filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name))) {
  const source = new URL(`${version}/openapi.yaml`, specRoot);
  if (existsSync(source)) cpSync(source, new URL(`${version}/openapi.yaml`, out));
}
