/**
 * test/fixtures/views: `readOnly`/`writeOnly` split request and response shapes (derived once in
 * the model, model/views.ts, and used by the types, validators and client), `deprecated` becomes
 * TSDoc, a multipart part declared `application/json` is a JSON part, and an unknown format is a
 * warning with its position.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedVersion } from '../../src/generate.js';
import { FIXTURES_DIR, fileOf, tempDir } from '../helpers.js';
import { type GeneratedValidator, generateSpecFile, importValidators, typecheckGenerated } from '../public-specs.js';

let generated: GeneratedVersion;
let validators: Record<string, GeneratedValidator>;
const dirs: { cleanup: () => Promise<void> }[] = [];
beforeAll(async () => {
  generated = await generateSpecFile(join(FIXTURES_DIR, 'views', 'openapi.yaml'), 'fixtures/views/openapi.yaml');
  const dir = await tempDir('views');
  dirs.push(dir);
  validators = await importValidators(generated, dir.path);
}, 120_000);
afterAll(async () => {
  for (const dir of dirs) await dir.cleanup();
});

const owner = { ownerId: 'o1', email: 'a@example.com' };

describe('readOnly and writeOnly views', () => {
  it('derives a request view for the body and a response view for the response, once, in the model', () => {
    const create = generated.model.operations.find((o) => o.operationId === 'createAccount')!;
    expect(create.requestBody?.schema.name).toBe('AccountRequest');
    expect(create.success?.schema?.name).toBe('AccountResponse');
    // Owner is reached from Account: its request view exists too; Owner has no writeOnly property: no response view.
    const views = generated.model.schemas.filter((s) => s.viewOf).map((s) => `${s.name} = ${s.viewOf!.view} of ${s.viewOf!.name}: ${s.typeExpression}`);
    expect(views).toEqual([
      'OwnerRequest = request of Owner: Omit<Owner, "ownerId">',
      'AccountRequest = request of Account: Omit<Account, "id" | "owner" | "history"> & { "owner": OwnerRequest; "history": (OwnerRequest)[] }',
      'AccountResponse = response of Account: Omit<Account, "password">',
    ]);
    // The response without readOnly/writeOnly properties keeps its schema.
    expect(generated.model.operations.find((o) => o.operationId === 'getAccount')!.success?.schema?.name).toBe('Plain');
  });

  it('request types omit readOnly properties, response types writeOnly ones; the client uses the views', () => {
    const types = fileOf(generated, 'types/src/index.ts');
    expect(types).toContain('export type AccountRequest = Omit<Account, "id" | "owner" | "history"> & { "owner": OwnerRequest; "history": (OwnerRequest)[] };');
    expect(types).toContain('export type AccountResponse = Omit<Account, "password">;');
    const client = fileOf(generated, 'client/src/index.ts');
    expect(client).toContain('body: T.AccountRequest');
    expect(client).toContain('validateAccountRequest(body)');
  });

  it('request validators do not require readOnly properties (nested too), but still check them when sent', () => {
    const request = { name: 'n', password: 'secret', owner: { email: 'a@example.com' }, history: [{ email: 'b@example.com' }] };
    expect(validators['validateAccountRequest']!(request).ok).toBe(true);
    expect(validators['validateAccountRequest']!({ ...request, id: 7 }).ok).toBe(true);
    expect(validators['validateAccountRequest']!({ ...request, id: 'seven' }).issues?.map((i) => `${i.path} ${i.rule}`)).toEqual(['id type']);
    // writeOnly is still required in requests; other properties are still required.
    expect(validators['validateAccountRequest']!({ ...request, password: undefined }).issues?.map((i) => `${i.path} ${i.rule}`)).toEqual(['password required']);
    // The component itself keeps every requirement.
    expect(validators['validateAccount']!(request).ok).toBe(false);
  });

  it('response validators do not require writeOnly properties', () => {
    const response = { id: 1, name: 'n', owner, history: [] };
    expect(validators['validateAccountResponse']!(response).ok).toBe(true);
    expect(validators['validateAccountResponse']!({ ...response, id: undefined }).issues?.map((i) => `${i.path} ${i.rule}`)).toEqual(['id required']);
  });

  it('type-checks with strict tsc, with the request type rejecting a readOnly property', async () => {
    const dir = await tempDir('views-tsc');
    dirs.push(dir);
    const probe = {
      path: `${generated.model.apiVersion}/types/src/views-probe.ts`,
      contents: [
        "import type { AccountRequest, AccountResponse } from './index.js';",
        "export const ok: AccountRequest = { name: 'n', password: 'p', owner: { email: 'e' }, history: [] };",
        "// @ts-expect-error readOnly properties are not part of the request type",
        "export const withId: AccountRequest = { id: 1, name: 'n', password: 'p', owner: { email: 'e' }, history: [] };",
        "export const read = (a: AccountResponse): number => a.id;",
        "// @ts-expect-error writeOnly properties are not part of the response type",
        'export const secret = (a: AccountResponse): string => a.password;',
      ].join('\n'),
    };
    expect(await typecheckGenerated({ ...generated, files: [...generated.files, probe] }, dir.path)).toEqual([]);
  }, 120_000);
});

describe('deprecated, multipart JSON parts and warnings', () => {
  it('marks deprecated schemas and properties @deprecated in the types', () => {
    const types = fileOf(generated, 'types/src/index.ts');
    expect(types).toMatch(/Replaced by Plain\.\n \*\n \* @deprecated `OldThing` is deprecated in the spec\.\n \* @see The spec, `#\/components\/schemas\/OldThing`\.\n \*\/\nexport type OldThing = /);
    const openapi = fileOf(generated, 'types/src/openapi.ts');
    expect(openapi).toMatch(/@deprecated\n\s+\* @description The code of the old system\.\n\s+\*\/\n\s+legacyCode\?: string;/);
  });

  it('sends a multipart part whose encoding declares application/json as JSON', () => {
    const parts = generated.model.operations.find((o) => o.operationId === 'upload')!.requestBody!.multipart!.variants[0]!.parts;
    expect(parts.map((p) => `${p.name}:${p.kind}:${p.contentType}`)).toEqual(['type:discriminator:text/plain', 'note:json:application/json', 'file:file:application/octet-stream']);
  });

  it('passes schema warnings (an unknown format) to the model with their position, once per text', () => {
    expect(generated.model.warnings).toContainEqual(
      expect.objectContaining({
        file: 'fixtures/views/openapi.yaml',
        pointer: '#/components/schemas/Account/properties/nickname/format',
        problem: expect.stringMatching(/^unknown format "x-nickname" is not checked .* \(and 1 more place\)$/),
        line: expect.any(Number),
        column: expect.any(Number),
      }),
    );
  });
});
