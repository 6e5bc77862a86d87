/**
 * The public API of every hand-written package is committed as an API Extractor report
 * (`etc/*.api.md`), so a change to it shows in review. This fails when a report is stale:
 * update them all with `pnpm --filter @embedkit/runtime run api:update` (after a build) and commit
 * them. A package joins by adding its own `api-extractor*.json`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';
import { describe, expect, it } from 'vitest';

const packages = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Hand-written packages (not the generated, date-named version folders) with a report config.
const configs = readdirSync(packages)
  .filter((name) => !/^\d{4}-\d{2}-\d{2}$/.test(name))
  .flatMap((name) => {
    const dir = join(packages, name);
    return existsSync(dir) ? readdirSync(dir).filter((file) => /^api-extractor(\.[\w-]+)?\.json$/.test(file)).map((file) => join(dir, file)) : [];
  });

describe('API reports are up to date', () => {
  it('covers at least runtime and sandbox', () => {
    const names = configs.map((config) => config.slice(packages.length + 1));
    expect(names).toEqual(expect.arrayContaining(['runtime/api-extractor.json', 'runtime/api-extractor.node.json', 'sandbox/api-extractor.json', 'nonce-redis/api-extractor.json']));
  });

  it.each(configs.map((config) => [config.slice(packages.length + 1), config]))('%s', { timeout: 120_000 }, (_name, config) => {
    const prepared = ExtractorConfig.loadFileAndPrepare(config);
    expect(existsSync(prepared.mainEntryPointFilePath), `${prepared.mainEntryPointFilePath} is missing: build first`).toBe(true);
    const result = Extractor.invoke(prepared, {
      localBuild: false,
      messageCallback: (message) => {
        // Only the verdict matters here; keep the test output quiet.
        message.logLevel = ExtractorLogLevel.None;
      },
    });
    expect(result.apiReportChanged, `${prepared.reportFilePath} is stale: run "pnpm --filter @embedkit/runtime run api:update" (after a build) and commit it`).toBe(false);
  });
});
