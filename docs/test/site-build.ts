// The browser test runs against docs/site. If the site is missing, or was built from other inputs
// than the current ones (guides, typedoc config, any documented package's src/README/manifest),
// it is rebuilt here with the same script as `pnpm run docs`, so the test never checks a stale site.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverPackages, docsRoot, siteInputsHash, siteStampFile } from '../scripts/packages.mjs';

/** Every documented package, in site order (scripts/packages.mjs). */
export const packages = discoverPackages();

function staleness(): string | undefined {
  if (!existsSync(siteStampFile)) return 'docs/site has not been built';
  const stamp = JSON.parse(readFileSync(siteStampFile, 'utf8')) as { inputsHash?: string };
  if (stamp.inputsHash !== siteInputsHash(packages)) return 'docs/site is older than its inputs';
  return undefined;
}

/** Builds docs/site when it is missing or stale; returns why it was rebuilt, if it was. */
export function ensureFreshSite(): string | undefined {
  const reason = staleness();
  if (reason === undefined) return undefined;
  const result = spawnSync(process.execPath, [join(docsRoot, 'scripts/build-site.mjs')], { cwd: docsRoot, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${reason}, and rebuilding it failed (exit ${result.status ?? result.signal}).\n` +
        'Run `pnpm run docs` at the repo root to see the full output.\n\n' +
        `${result.stdout}\n${result.stderr}`,
    );
  }
  const after = staleness();
  if (after !== undefined) throw new Error(`Rebuilt docs/site, yet ${after} (did an input change during the build?)`);
  return reason;
}
