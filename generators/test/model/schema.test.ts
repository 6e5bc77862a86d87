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
    ['$dynamicRef', { $dynamicRef: '#meta' }, '#/s/$dynamicRef', /^unsupported JSON Schema keyword "\$dynamicRef": use a plain "\$ref"/],
    ['$id', { $id: 'https://example.com/s', type: 'string' }, '#/s/$id', /^unsupported JSON Schema keyword "\$id"/],
    ['an invalid pattern', { type: 'string', pattern: '(' }, '#/s/pattern', /^invalid regular expression "\(" \(ECMAScript with the u flag\)/],
    ['a pattern valid only without the u flag', { type: 'string', pattern: '\\-\\z' }, '#/s/pattern', /^invalid regular expression/],
    ['an invalid patternProperties key', { patternProperties: { '[': {} } }, '#/s/patternProperties/[', /^invalid regular expression/],
    ['an unknown type', { type: 'float' }, '#/s/type', /^must be one of string, number/],
    ['a broken $ref', { $ref: '#/components/schemas/Nope' }, '#/s/$ref', /^broken \$ref "#\/components\/schemas\/Nope"/],
    ['a broken nested $ref', { $ref: '#/components/schemas/Other/$defs/nope' }, '#/s/$ref', /^broken \$ref/],
    ['an external $ref', { $ref: 'other.yaml#/X' }, '#/s/$ref', /^unsupported \$ref "other.yaml#\/X"/],
    ['a negative length', { type: 'string', minLength: -1 }, '#/s/minLength', /non-negative integer/],
    ['a zero multipleOf', { multipleOf: 0 }, '#/s/multipleOf', /greater than 0/],
    ['an empty allOf', { allOf: [] }, '#/s/allOf', /non-empty array of schemas/],
    ['a discriminator without branches', { type: 'object', discriminator: { propertyName: 't' } }, '#/s/discriminator', /needs "oneOf" or "anyOf"/],
    ['draft 7 dependencies', { dependencies: { a: ['b'] } }, '#/s/dependencies', /use "dependentRequired" or "dependentSchemas"/],
  ])('rejects %s', (_name, given, pointer, problem) => {
    const { problems } = normalize(given);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.pointer).toBe(pointer);
    expect(problems[0]!.problem).toMatch(problem);
  });

  it.each([
    ['a type array', { type: ['string', 'null'] }, { kind: 'json', types: ['string', 'null'] }],
    ['keywords without a type', { minLength: 1, minimum: 2 }, { kind: 'json', minLength: 1, minimum: 2 }],
    ['a $ref with siblings', { $ref: '#/components/schemas/Other', minLength: 1 }, { kind: 'json', ref: { kind: 'ref', name: 'Other' }, minLength: 1 }],
    ['a nested $ref, inlined', { $ref: '#/components/schemas/Other/$defs/x' }, { kind: 'json', ref: { kind: 'integer' } }],
    ['an object const', { const: { a: [1] } }, { kind: 'json', const: { value: { a: [1] } } }],
    ['false', false, { kind: 'json', not: { kind: 'any' } }],
    ['true', true, { kind: 'any' }],
    [
      'an object with every keyword family',
      { type: 'object', patternProperties: { '^x': true }, additionalProperties: { type: 'string' }, dependentRequired: { a: ['b'] }, unevaluatedProperties: false },
      { kind: 'json', patternProperties: [{ pattern: '^x', schema: { kind: 'any' } }], additionalProperties: { kind: 'string' }, dependentRequired: [{ name: 'a', required: ['b'] }] },
    ],
    ['int32 on an integer', { type: 'integer', format: 'int32' }, { kind: 'json', types: ['integer'], format: 'int32' }],
    ['readOnly and deprecated', { type: 'string', readOnly: true, deprecated: true }, { kind: 'string', readOnly: true, deprecated: true }],
  ])('normalizes %s', (_name, given, want) => {
    const { schema, problems } = normalize(given, { Other: { type: 'string', $defs: { x: { type: 'integer' } } } });
    expect(problems).toEqual([]);
    expect(schema).toMatchObject(want);
  });

  it('warns about an unknown format and an unknown keyword, and goes on', () => {
    const warnings: string[] = [];
    const problems: string[] = [];
    const ctx: SchemaContext = { problems: { report: (p, m) => problems.push(`${p}: ${m}`), warn: (p, m) => warnings.push(`${p}: ${m}`) }, componentSchemas: {} };
    const schema = normalizeSchema({ type: 'string', format: 'color', frobnicate: 1 }, '#/s', ctx);
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(/^#\/s\/format: unknown format "color" is not checked/),
      expect.stringMatching(/^#\/s\/frobnicate: unknown keyword "frobnicate" is ignored/),
    ]);
    expect(schema).toMatchObject({ kind: 'json', types: ['string'] });
  });

  it('accepts annotations and x- extensions anywhere', () => {
    const { schema, problems } = normalize({
      type: 'string', title: 't', description: 'd', example: 'e', examples: ['e'], default: 'x', deprecated: true, 'x-anything': 1,
      xml: { name: 'n' }, externalDocs: { url: 'https://example.com' }, readOnly: true, $comment: 'c',
    });
    expect(problems).toEqual([]);
    expect(schema.kind).toBe('string');
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
    // B has no "t" const: not the simple discriminated union, but a general oneOf whose discriminator names the branches for issues.
    expect(schema).toMatchObject({ kind: 'json', oneOf: [{ kind: 'ref', name: 'A' }, { kind: 'ref', name: 'B' }], discriminator: { propertyName: 't', mapping: [{ value: 'a', branch: 0 }, { value: 'B', branch: 1 }] } });
    expect(problems).toEqual([]);
  });
});
