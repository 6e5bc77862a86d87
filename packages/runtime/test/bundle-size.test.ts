/**
 * Issue 13, point 6: what a service pays to bundle the client. esbuild (platform node, ESM,
 * minified) over the built packages of the newest API version: `createEmbedClient` and one
 * `submit` at most 40 kB gzip (undici stays out: the Node transport loads it at run time, and
 * falls back to the global fetch without it); one validator from its subpath at most 4 kB gzip.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REFERENCE_SECRET, sendJson, startServer, verifyRequest } from './helpers.js';

const packages = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const version = readdirSync(packages)
  .filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name) && existsSync(join(packages, name, 'client/package.json')))
  .sort()
  .at(-1)!;
const clientDir = join(packages, version, 'client');

async function bundle(contents: string) {
  return build({
    stdin: { contents, resolveDir: clientDir, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    // As a service would see the packages: no workspace tsconfig paths.
    tsconfigRaw: '{}',
  });
}

async function gzipSize(contents: string): Promise<{ gzip: number; inputs: string[] }> {
  const result = await bundle(contents);
  return { gzip: gzipSync(result.outputFiles[0]!.contents).byteLength, inputs: Object.keys(result.metafile.inputs) };
}

describe(`bundle size of a service using @embedkit/client-${version}`, () => {
  it('createEmbedClient and one submit: at most 40 kB gzip, without undici', async () => {
    expect(existsSync(join(clientDir, 'dist/index.js')), 'build the packages first (pnpm build)').toBe(true);
    const { gzip, inputs } = await gzipSize(`
      import { createEmbedClient } from './dist/index.js';
      const client = createEmbedClient({ apiKey: process.env.K, apiSecret: process.env.S });
      export const submit = (user, input) => client.verifications.submit(user, input);
    `);
    console.log(`[bundle-size] client + submit: ${(gzip / 1024).toFixed(1)} kB gzip`);
    expect(inputs.some((input) => input.includes('node_modules/undici/'))).toBe(false);
    expect(gzip).toBeLessThanOrEqual(40 * 1024);
  });

  it('one validator from its subpath: at most 4 kB gzip', async () => {
    const { gzip } = await gzipSize(`
      export { validateIdentityDocumentMetadata } from '@embedkit/validators-${version}/schemas/IdentityDocumentMetadata';
    `);
    console.log(`[bundle-size] one validator: ${(gzip / 1024).toFixed(1)} kB gzip`);
    expect(gzip).toBeLessThanOrEqual(4 * 1024);
  });
});

describe('a bundled service deployed without node_modules', () => {
  it('sends through the global fetch when undici cannot be loaded', { timeout: 60_000 }, async () => {
    const server = await startServer((_req, res) => sendJson(res, 200, { result: { user: 'AA95N84GTESTXXXX' } }));
    const dir = mkdtempSync(join(tmpdir(), 'embedkit-bundle-'));
    try {
      const result = await bundle(`
        import { createEmbedClient } from './dist/index.js';
        const client = createEmbedClient({ apiKey: 'k', apiSecret: process.argv[3], baseUrl: process.argv[2], validate: false });
        console.log(JSON.stringify(await client.users.get('AA95N84GTESTXXXX')));
      `);
      const file = join(dir, 'service.mjs');
      writeFileSync(file, result.outputFiles[0]!.contents);
      const { stdout } = await promisify(execFile)(process.execPath, [file, server.url, REFERENCE_SECRET], { cwd: dir });
      expect(JSON.parse(stdout)).toEqual({ user: 'AA95N84GTESTXXXX' });
      expect(verifyRequest(server.received.at(-1)!, REFERENCE_SECRET)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await server.close();
    }
  });
});
