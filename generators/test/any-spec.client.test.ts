/**
 * The plain client generated for test/fixtures/any-spec (no Embed extensions) against a real HTTP
 * server on 127.0.0.1: query, header and cookie parameters, the spec's security schemes per
 * operation (API key in the query, HTTP basic, none), JSON, form, binary and text bodies, a 204,
 * request validation before any I/O, and HTTP errors as EmbedApiError.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, REPO_ROOT, tempDir, writeFiles } from './helpers.js';
import { generateSpecFile } from './public-specs.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Client = {
  pets: Record<string, (...args: unknown[]) => Promise<unknown>>;
  photos: Record<string, (...args: unknown[]) => Promise<unknown>>;
  default: Record<string, (...args: unknown[]) => Promise<unknown>>;
};

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
let dir: Awaited<ReturnType<typeof tempDir>>;
let mod: { createClient(options: unknown): Client; EmbedApiError: new (...args: never[]) => Error; EmbedValidationError: new (...args: never[]) => Error };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'DELETE') return res.writeHead(204).end();
      if (url.pathname === '/v1/pets/404') return res.writeHead(404, { 'content-type': 'application/problem+json' }).end('"no such pet"');
      if (url.pathname.endsWith('/photo')) return res.writeHead(200, { 'content-type': 'text/plain' }).end('https://img.example/1.png');
      if (url.pathname === '/v1/login') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t"}');
      if (req.method === 'POST') return res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":1,"name":"Rex"}');
      return res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":1,"name":"Rex"}]');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  // Generate, write, and point the generated imports at the sources (no build, no install).
  const generated = await generateSpecFile(join(FIXTURES_DIR, 'any-spec', 'openapi.yaml'), 'fixtures/any-spec/openapi.yaml', '2000-01-01');
  dir = await tempDir('any-spec-client');
  // The generated tsconfig.json files extend the repository's: leave them out here.
  await writeFiles(dir.path, generated.files.filter((f) => !f.path.includes('/tsconfig')));
  const root = join(dir.path, '2000-01-01');
  const imports: Record<string, string> = {
    '@embedkit/runtime': join(REPO_ROOT, 'packages', 'runtime', 'dist', 'index.js'),
    'openapi-fetch': join(REPO_ROOT, 'packages', 'runtime', 'node_modules', 'openapi-fetch', 'dist', 'index.mjs'),
    '@embedkit/types-2000-01-01': join(root, 'types', 'src', 'index.ts'),
    '@embedkit/validators-2000-01-01': join(root, 'validators', 'src', 'index.ts'),
  };
  for (const f of generated.files.filter((f) => f.path.endsWith('.ts'))) {
    const path = join(dir.path, f.path);
    let text = await readFile(path, 'utf8');
    for (const [from, to] of Object.entries(imports)) text = text.replaceAll(`from '${from}'`, `from '${to}'`);
    await writeFile(path, text);
  }
  mod = await import(join(root, 'client', 'src', 'index.ts'));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await dir?.cleanup();
});

describe('the plain client', () => {
  it('sends query, header and cookie parameters and the query API key', async () => {
    const client = mod.createClient({ baseUrl, credentials: { apiKey: 'K' } });
    seen.length = 0;
    const pets = await client.pets.listPets!({ query: { limit: 2, tag: ['a', 'b'] }, header: { 'X-Request-Id': 'r1' }, cookie: { session: 's 1' } });
    expect(pets).toEqual([{ id: 1, name: 'Rex' }]);
    expect(seen).toHaveLength(1);
    const url = new URL(seen[0]!.url, 'http://x');
    expect(url.pathname).toBe('/v1/pets');
    expect(url.searchParams.get('limit')).toBe('2');
    expect(url.searchParams.getAll('tag')).toEqual(['a', 'b']);
    expect(url.searchParams.get('key')).toBe('K');
    expect(seen[0]!.headers['x-request-id']).toBe('r1');
    expect(seen[0]!.headers.cookie).toBe('session=s%201');
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it('uses the operation security: basic for createPet, a bearer token as the alternative elsewhere', async () => {
    const client = mod.createClient({ baseUrl, credentials: { basic: { username: 'ann', password: 'pä' }, bearerToken: 'tok' } });
    seen.length = 0;
    expect(await client.pets.createPet!({ name: 'Rex' })).toEqual({ id: 1, name: 'Rex' });
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('ann:pä').toString('base64')}`);
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]!.body.toString())).toEqual({ name: 'Rex' });
    await client.pets.getPetsPetId!({ path: { petId: 7 } });
    expect(seen[1]!.url).toBe('/v1/pets/7');
    expect(seen[1]!.headers.authorization).toBe('Bearer tok');
  });

  it('validates before sending: nothing reaches the server', async () => {
    const client = mod.createClient({ baseUrl });
    seen.length = 0;
    const error = await client.pets.createPet!({ nam: 'Rex' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mod.EmbedValidationError);
    expect((error as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain('name');
    expect(seen).toHaveLength(0);
  });

  it('sends binary and form bodies, reads text and empty responses, and sends no credentials where security is []', async () => {
    const client = mod.createClient({ baseUrl, credentials: { apiKey: 'K' } });
    seen.length = 0;
    const png = new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' });
    expect(await client.photos.uploadPhoto!({ path: { petId: 'p1' } }, png)).toBe('https://img.example/1.png');
    expect(seen[0]!.headers['content-type']).toBe('image/png');
    expect([...seen[0]!.body]).toEqual([137, 80, 78, 71]);
    expect(await client.pets.deletePet!({ path: { petId: 3 } })).toBeUndefined();
    expect(seen[1]!.method).toBe('DELETE');
    expect(await client.default.login!({ user: 'ann', password: 'a&b' })).toEqual({ token: 't' });
    expect(seen[2]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen[2]!.body.toString()).toBe('user=ann&password=a%26b');
    expect(seen[2]!.url).toBe('/v1/login');
  });

  it('rejects an HTTP error with EmbedApiError carrying the status and body', async () => {
    const client = mod.createClient({ baseUrl });
    const error = await client.pets.getPetsPetId!({ path: { petId: 404 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mod.EmbedApiError);
    expect(error).toMatchObject({ status: 404, body: 'no such pet' });
  });
});
