/**
 * A spec without the Embed extensions (test/fixtures/any-spec, OpenAPI 3.0.3) generates types,
 * validators and a plain openapi-fetch client that passes strict tsc, with names derived from
 * operationIds (or method and path), grouped by tag, and the spec's security schemes.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedVersion } from '../src/generate.js';
import { main } from '../src/cli/main.js';
import { capture, FIXTURES_DIR, fileOf, tempDir } from './helpers.js';
import { generateSpecFile, typecheckGenerated } from './public-specs.js';

let generated: GeneratedVersion;
beforeAll(async () => {
  generated = await generateSpecFile(join(FIXTURES_DIR, 'any-spec', 'openapi.yaml'), 'fixtures/any-spec/openapi.yaml', '2000-01-01');
}, 120_000);

describe('a spec without Embed extensions', () => {
  it('is read as OpenAPI 3.0.3, with a warning for info.version', () => {
    expect(generated.model.openapiVersion).toBe('3.0.3');
    expect(generated.model.signature).toBeUndefined();
    expect(generated.model.warnings.map((w) => `${w.pointer}: ${w.problem}`)).toEqual([
      '#/info/version: info.version "1.2.3" differs from the API version the spec is filed under ("2000-01-01"); the packages are named after "2000-01-01"',
    ]);
  });

  it('names operations from operationId or method and path, grouped by tag', () => {
    expect(
      generated.model.operations.map((o) => ({
        helper: `${o.client.group}.${o.client.method}`,
        type: o.typeBaseName,
        expr: o.typeExpression,
        query: o.queryParams.map((p) => p.name),
        cookie: o.cookieParams.map((p) => p.name),
        body: o.requestBody ? `${o.requestBody.encoding} ${o.requestBody.mediaType}` : undefined,
        result: o.resultTypeExpression,
        security: o.security,
      })),
    ).toEqual([
      { helper: 'pets.listPets', type: 'ListPets', expr: 'operations["list-pets"]', query: ['limit', 'tag'], cookie: ['session'], body: undefined, result: 'ListPetsResponse200', security: [['api_key'], ['bearer-token']] },
      { helper: 'pets.createPet', type: 'PetsCreatePet', expr: 'operations["pets/create-pet"]', query: [], cookie: [], body: 'json application/json', result: 'PetRecord', security: [['basic']] },
      { helper: 'pets.getPetsPetId', type: 'GetPetsPetId', expr: 'paths["/pets/{petId}"]["get"]', query: [], cookie: [], body: undefined, result: 'PetRecord', security: [['api_key'], ['bearer-token']] },
      { helper: 'pets.deletePet', type: 'DeletePet', expr: 'operations["deletePet"]', query: [], cookie: [], body: undefined, result: 'void', security: [['api_key'], ['bearer-token']] },
      { helper: 'photos.uploadPhoto', type: 'UploadPhoto', expr: 'operations["uploadPhoto"]', query: [], cookie: [], body: 'binary image/png', result: 'string', security: [['api_key'], ['bearer-token']] },
      { helper: 'default.login', type: 'Login', expr: 'operations["login"]', query: [], cookie: [], body: 'form application/x-www-form-urlencoded', result: 'LoginResponse200', security: [] },
    ]);
  });

  it('makes schema names safe and reads security schemes', () => {
    expect(generated.model.schemas.slice(0, 3).map((s) => s.name)).toEqual(['PetRecord', 'NewPet', '_string']);
    expect(generated.model.securitySchemes).toEqual([
      { name: 'api_key', optionName: 'apiKey', kind: 'apiKey', in: 'query', paramName: 'key', description: undefined },
      { name: 'bearer-token', optionName: 'bearerToken', kind: 'bearer', description: undefined },
      { name: 'basic', optionName: 'basic', kind: 'basic', description: undefined },
    ]);
  });

  it('generates no signing package and a plain openapi-fetch client', () => {
    expect(generated.files.some((f) => f.path.startsWith('2000-01-01/signing/'))).toBe(false);
    const client = fileOf(generated, 'client/src/index.ts');
    expect(client).toContain("import { default as createFetchClient } from 'openapi-fetch';");
    expect(client).toContain('export function createClient(options: ClientOptions = {}): ApiClient');
    expect(client).toContain("request.headers.set('Authorization', `Bearer ${credentials[\"bearerToken\"]!}`);");
    expect(JSON.parse(fileOf(generated, 'client/package.json')).dependencies).toMatchObject({ 'openapi-fetch': '0.17.0' });
  });

  describe('type-checks', () => {
    let dir: Awaited<ReturnType<typeof tempDir>>;
    beforeAll(async () => {
      dir = await tempDir('any-spec');
    });
    afterAll(() => dir.cleanup());
    it('passes strict tsc', async () => {
      expect(await typecheckGenerated(generated, dir.path)).toEqual([]);
    }, 300_000);
  });
});

describe('the CLI on a spec whose info.version differs from its folder', () => {
  it('prints the warning on stderr and generates', async () => {
    const dir = await tempDir('any-spec-cli');
    try {
      await mkdir(join(dir.path, 'spec', '2000-01-01'), { recursive: true });
      await copyFile(join(FIXTURES_DIR, 'any-spec', 'openapi.yaml'), join(dir.path, 'spec', '2000-01-01', 'openapi.yaml'));
      const stdout = capture();
      const stderr = capture();
      expect(await main(['generate'], { cwd: dir.path, stdout, stderr })).toBe(0);
      expect(stderr.text()).toMatch(
        /^embedkit generate: warning: spec\/2000-01-01\/openapi\.yaml:8:\d+ #\/info\/version: info\.version "1\.2\.3" differs from the API version the spec is filed under \("2000-01-01"\)/,
      );
      expect(stdout.text()).not.toContain('signing-2000-01-01');
      expect(stdout.text()).toContain('@embedkit/client-2000-01-01');
    } finally {
      await dir.cleanup();
    }
  }, 300_000);
});
