/**
 * normalizeSchema: JSON Schema in, model schema out (given/want), and every unsupported keyword
 * reported with its pointer.
 */
import { describe, expect, it } from 'vitest';
import { normalizeSchema, type SchemaContext } from '../../src/model/schema.js';

function normalize(node: unknown, componentSchemas: Record<string, unknown> = { Other: { type: 'string' } }) {
  const problems: { pointer: string; problem: string }[] = [];
  const ctx: SchemaContext = { problems: { report: (pointer, problem) => problems.push({ pointer, problem }) }, componentSchemas };
  return { schema: normalizeSchema(node, '#/s', ctx), problems };
}

describe('normalizeSchema', () => {
  it.each([
    ['{}', {}, { kind: 'any', pointer: '#/s' }],
    ['a $ref with a description', { $ref: '#/components/schemas/Other', description: 'd' }, { kind: 'ref', name: 'Other', pointer: '#/s', description: 'd' }],
    [
      'a string with every keyword',
      { type: 'string', minLength: 1, maxLength: 5, format: 'date', title: 'T' },
      { kind: 'string', pointer: '#/s', title: 'T', minLength: 1, maxLength: 5, format: 'date' },
    ],
    ['a string enum', { type: 'string', enum: ['a', 'b'] }, { kind: 'string', pointer: '#/s', enum: ['a', 'b'] }],
    ['a const', { type: 'string', const: 'x' }, { kind: 'string', pointer: '#/s', const: 'x' }],
    ['an untyped enum', { enum: [1, 'a', null] }, { kind: 'enum', pointer: '#/s', values: [1, 'a', null], isConst: false }],
    ['an integer', { type: 'integer' }, { kind: 'integer', pointer: '#/s' }],
    [
      'an object',
      { type: 'object', additionalProperties: false, minProperties: 1, required: ['a', 'z'], properties: { a: { type: 'boolean' }, b: {} } },
      {
        kind: 'object',
        pointer: '#/s',
        additionalProperties: false,
        minProperties: 1,
        required: ['a', 'z'],
        properties: [
          { name: 'a', required: true, schema: { kind: 'boolean', pointer: '#/s/properties/a' } },
          { name: 'b', required: false, schema: { kind: 'any', pointer: '#/s/properties/b' } },
        ],
      },
    ],
    ['an array', { type: 'array', maxItems: 0, items: { type: 'null' } }, { kind: 'array', pointer: '#/s', maxItems: 0, items: { kind: 'null', pointer: '#/s/items' } }],
  ])('%s', (_name, given, want) => {
    const { schema, problems } = normalize(given);
    expect(problems).toEqual([]);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(want);
  });

  it.each([
    ['patternProperties', { type: 'object', patternProperties: {} }, '#/s/patternProperties', /^unsupported JSON Schema keyword "patternProperties"/],
    ['minimum', { type: 'integer', minimum: 0 }, '#/s/minimum', /^unsupported JSON Schema keyword "minimum"/],
    ['allOf', { allOf: [] }, '#/s/allOf', /^unsupported JSON Schema keyword "allOf"/],
    ['readOnly', { type: 'string', readOnly: true }, '#/s/readOnly', /^unsupported JSON Schema keyword "readOnly"/],
    ['a type array', { type: ['string', 'null'] }, '#/s/type', /^unsupported type \["string","null"\]/],
    ['a misplaced keyword', { type: 'string', items: {} }, '#/s/items', /^"items" does not apply to type "string"/],
    ['a keyword without type', { minLength: 1 }, '#/s/minLength', /^"minLength" needs an explicit "type"/],
    ['additionalProperties as a schema', { type: 'object', additionalProperties: { type: 'string' } }, '#/s/additionalProperties', /^only "additionalProperties: false"/],
    ['a $ref with a sibling validation keyword', { $ref: '#/components/schemas/Other', minLength: 1 }, '#/s/minLength', /beside "\$ref" is not supported/],
    ['a broken $ref', { $ref: '#/components/schemas/Nope' }, '#/s/$ref', /^broken \$ref "#\/components\/schemas\/Nope"/],
    ['an external $ref', { $ref: 'other.yaml#/X' }, '#/s/$ref', /^unsupported \$ref "other.yaml#\/X"/],
    ['oneOf without a discriminator', { oneOf: [{ $ref: '#/components/schemas/Other' }] }, '#/s/oneOf', /discriminator/],
    ['a discriminator alone', { type: 'object', discriminator: { propertyName: 't' } }, '#/s/discriminator', /only together with "oneOf"/],
    ['an unknown format', { type: 'string', format: 'email' }, '#/s/format', /^unsupported format "email"/],
    ['a negative length', { type: 'string', minLength: -1 }, '#/s/minLength', /non-negative integer/],
  ])('rejects %s', (_name, given, pointer, problem) => {
    const { problems } = normalize(given);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.pointer).toBe(pointer);
    expect(problems[0]!.problem).toMatch(problem);
  });

  it('accepts annotations and x- extensions anywhere', () => {
    const { problems } = normalize({ type: 'string', title: 't', description: 'd', example: 'e', examples: ['e'], default: 'x', deprecated: true, 'x-anything': 1 });
    expect(problems).toEqual([]);
  });

  it('checks discriminated variants', () => {
    const components = {
      A: { type: 'object', required: ['t'], properties: { t: { type: 'string', const: 'a' } } },
      B: { type: 'object', properties: { t: { type: 'string' } } },
    };
    const { schema, problems } = normalize(
      { oneOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }], discriminator: { propertyName: 't', mapping: { a: '#/components/schemas/A' } } },
      components,
    );
    expect(schema).toMatchObject({ kind: 'oneOf', propertyName: 't', variants: [{ value: 'a', name: 'A' }] });
    expect(problems).toEqual([
      { pointer: '#/components/schemas/B', problem: 'discriminated variant "B" must be a "type: object" schema whose required property "t" has a string "const"' },
    ]);
  });
});
