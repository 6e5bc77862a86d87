import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../src/diff/compare.js';
import { dereference, type JsonObject, resolveSpecText } from '../../src/diff/resolve.js';

describe('dereference', () => {
  it('replaces $refs by their targets and turns a cyclic schema into a cyclic object', () => {
    const doc = dereference(
      {
        components: {
          schemas: {
            Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' }, label: { $ref: '#/components/schemas/Label', description: 'Shown.' } } },
            Label: { type: 'string' },
          },
        },
      },
      'inline',
    );
    const node = (doc['components'] as JsonObject)['schemas'] as JsonObject;
    const props = (node['Node'] as JsonObject)['properties'] as JsonObject;
    const next = props['next'] as JsonObject;
    expect((next['properties'] as JsonObject)['next']).toBe(next);
    expect(props['label']).toEqual({ type: 'string', description: 'Shown.' });
  });

  it('names a broken $ref', () => {
    expect(() => dereference({ a: { $ref: '#/missing' } }, 'spec.yaml')).toThrow(/broken \$ref "#\/missing"/);
  });

  it('diffs two cyclic specs without looping, finding a change below the cycle', async () => {
    const spec = (label: string) => `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /trees:
    post:
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Tree' }
      responses: { '204': { description: ok } }
components:
  schemas:
    Tree:
      type: object
      properties:
        label: ${label}
        children: { type: array, items: { $ref: '#/components/schemas/Tree' } }
`;
    const a = await resolveSpecText(spec('{ type: string }'), '/tmp/a.yaml', 'a');
    const b = await resolveSpecText(spec('{ type: string, maxLength: 5 }'), '/tmp/b.yaml', 'b');
    const { changes } = diffSpecs(a, b);
    expect(changes.map((c) => [c.rule, c.location, c.breaking])).toEqual([
      ['request-property-max-length-added', 'POST /trees request body application/json: label', true],
    ]);
  });
});
