/**
 * normalizeDocument: OpenAPI 3.0 schemas read with 3.1 semantics, safe schema names, and every
 * schema reference pointing at a whole component.
 */
import { describe, expect, it } from 'vitest';
import { normalizeDocument, safeName } from '../../src/model/normalize.js';

const doc30 = (schemas: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: {},
  components: { schemas },
  ...extra,
});

describe('OpenAPI 3.0 upgrade', () => {
  it('turns nullable beside a type into a type array, adding null to an enum', () => {
    const { document, openapiVersion } = normalizeDocument(
      doc30({ A: { type: 'string', nullable: true, enum: ['a', 'b'] }, B: { type: 'integer', nullable: false } }),
    );
    expect(openapiVersion).toBe('3.0.3');
    expect(document['openapi']).toBe('3.1.0');
    expect(document['components']).toEqual({
      schemas: { A: { type: ['string', 'null'], enum: ['a', 'b', null] }, B: { type: 'integer' } },
    });
  });

  it('drops nullable without a type (OpenAPI 3.0.3: no effect)', () => {
    const { document } = normalizeDocument(doc30({ A: { nullable: true, allOf: [{ type: 'object' }] } }));
    expect((document['components'] as { schemas: unknown }).schemas).toEqual({ A: { allOf: [{ type: 'object' }] } });
  });

  it('makes boolean exclusive bounds numeric', () => {
    const { document } = normalizeDocument(
      doc30({
        A: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false },
        B: { type: 'number', exclusiveMaximum: true },
      }),
    );
    expect((document['components'] as { schemas: unknown }).schemas).toEqual({
      A: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
      B: { type: 'number' },
    });
  });

  it('drops keywords beside $ref except title and description, everywhere schemas live', () => {
    const { document } = normalizeDocument(
      doc30(
        { A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B', description: 'd', maxLength: 3, nullable: true } } }, B: { type: 'string' } },
        {
          paths: {
            '/x': {
              get: {
                parameters: [{ name: 'q', in: 'query', schema: { type: 'string', nullable: true } }],
                responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { type: 'integer', nullable: true } } } } } },
              },
            },
          },
        },
      ),
    );
    const components = document['components'] as { schemas: Record<string, { properties?: unknown }> };
    expect(components.schemas['A']!.properties).toEqual({ b: { $ref: '#/components/schemas/B', description: 'd' } });
    const get = (document['paths'] as Record<string, { get: Record<string, unknown> }>)['/x']!.get;
    expect(get['parameters']).toEqual([{ name: 'q', in: 'query', schema: { type: ['string', 'null'] } }]);
    expect(JSON.stringify(get['responses'])).toContain('"items":{"type":["integer","null"]}');
  });

  it('leaves 3.1 documents alone', () => {
    const input = { openapi: '3.1.0', info: { title: 't', version: '1' }, components: { schemas: { A: { type: 'string', nullable: true } } } };
    const { document } = normalizeDocument(structuredClone(input));
    expect(document).toEqual(input);
  });
});

describe('safe names', () => {
  it.each([
    ['Pet', 'Pet'],
    ['simple-user', 'SimpleUser'],
    ['nullable-simple-user', 'NullableSimpleUser'],
    ['pet.tag', 'PetTag'],
    ['2fa', '_2fa'],
    ['string', '_string'],
    ['delete', '_delete'],
    ['snake_case', 'snake_case'],
  ])('%s -> %s', (name, safe) => {
    expect(safeName(name)).toBe(safe);
  });

  it('renames component schemas, their references and implicit discriminator mappings', () => {
    const { document, problems, originalPointer } = normalizeDocument({
      openapi: '3.1.0',
      components: {
        schemas: {
          'simple-user': { type: 'object', properties: { pet: { $ref: '#/components/schemas/pet-dog' } } },
          'pet-dog': { type: 'object', properties: { kind: { const: 'pet-dog' } } },
          Pet: { oneOf: [{ $ref: '#/components/schemas/pet-dog' }], discriminator: { propertyName: 'kind' } },
        },
      },
    });
    expect(problems).toEqual([]);
    const schemas = (document['components'] as { schemas: Record<string, unknown> }).schemas;
    expect(Object.keys(schemas)).toEqual(['SimpleUser', 'PetDog', 'Pet']);
    expect(schemas['SimpleUser']).toEqual({ type: 'object', properties: { pet: { $ref: '#/components/schemas/PetDog' } } });
    expect(schemas['Pet']).toEqual({
      oneOf: [{ $ref: '#/components/schemas/PetDog' }],
      discriminator: { propertyName: 'kind', mapping: { 'pet-dog': '#/components/schemas/PetDog' } },
    });
    expect(originalPointer('#/components/schemas/PetDog/properties/kind')).toBe('#/components/schemas/pet-dog/properties/kind');
  });

  it('refuses two names that become the same, naming both', () => {
    const { problems } = normalizeDocument({ openapi: '3.1.0', components: { schemas: { 'simple-user': {}, SimpleUser: {} } } });
    expect(problems).toEqual([
      {
        pointer: '#/components/schemas/SimpleUser',
        problem: 'schema name "SimpleUser" becomes "SimpleUser" as a TypeScript name, as does the schema at #/components/schemas/simple-user: rename one of them',
      },
    ]);
  });
});

describe('references', () => {
  it('points references into $defs and into schemas at component copies, circular ones included', () => {
    const { document, originalPointer } = normalizeDocument({
      openapi: '3.1.0',
      components: {
        schemas: {
          Tree: {
            type: 'object',
            properties: { root: { $ref: '#/components/schemas/Tree/$defs/node' }, tag: { type: 'string' } },
            $defs: { node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Tree/$defs/node' } } } } },
          },
          Label: { $ref: '#/components/schemas/Tree/properties/tag' },
        },
      },
    });
    const schemas = (document['components'] as { schemas: Record<string, Record<string, unknown>> }).schemas;
    expect(Object.keys(schemas)).toEqual(['Tree', 'Label', 'TreeNode', 'TreeTag']);
    expect(schemas['Tree']!['properties']).toEqual({ root: { $ref: '#/components/schemas/TreeNode' }, tag: { type: 'string' } });
    expect(schemas['TreeNode']).toEqual({ type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/TreeNode' } } } });
    expect(schemas['Label']).toEqual({ $ref: '#/components/schemas/TreeTag' });
    expect(originalPointer('#/components/schemas/TreeNode/properties/children')).toBe('#/components/schemas/Tree/$defs/node/properties/children');
  });

  it('hoists top-level $defs', () => {
    const { document } = normalizeDocument({
      openapi: '3.1.0',
      $defs: { address: { type: 'string' } },
      components: { schemas: { A: { type: 'object', properties: { a: { $ref: '#/$defs/address' } } } } },
    });
    const schemas = (document['components'] as { schemas: Record<string, Record<string, unknown>> }).schemas;
    expect(schemas['Address']).toEqual({ type: 'string' });
    expect(schemas['A']!['properties']).toEqual({ a: { $ref: '#/components/schemas/Address' } });
  });
});
