/**
 * References into other files of the spec folder are bundled into components, then read like
 * any other schema (names made safe, circular references kept as references).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/index.js';
import { tempDir } from '../helpers.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('external-refs');
  await writeFile(
    join(dir.path, 'openapi.yaml'),
    [
      'openapi: 3.1.0',
      'info: { title: Split spec, version: 2000-01-01 }',
      'paths:',
      '  /nodes/{id}:',
      '    get:',
      '      operationId: get-node',
      '      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]',
      '      responses:',
      "        '200':",
      '          description: A node.',
      '          content:',
      "            application/json: { schema: { $ref: './schemas/tree-node.yaml' } }",
      '',
    ].join('\n'),
  );
  await mkdir(join(dir.path, 'schemas'));
  await writeFile(
    join(dir.path, 'schemas', 'tree-node.yaml'),
    [
      'type: object',
      'required: [name]',
      'properties:',
      '  name: { type: string }',
      "  children: { type: array, items: { $ref: './tree-node.yaml' } }",
      '',
    ].join('\n'),
  );
});
afterAll(() => dir.cleanup());

describe('a spec split over several files', () => {
  it('bundles the other files into components and keeps the circular reference', async () => {
    const model = await loadModel({ absolutePath: join(dir.path, 'openapi.yaml'), displayPath: 'openapi.yaml', apiVersion: '2000-01-01' });
    const names = model.schemas.map((s) => s.name);
    const node = model.schemas.find((s) => s.schema.kind === 'object' && s.schema.properties.some((p) => p.name === 'children'));
    expect(node).toBeDefined();
    expect(names).toContain(node!.name);
    const children = node!.schema.kind === 'object' ? node!.schema.properties.find((p) => p.name === 'children')!.schema : undefined;
    expect(children).toMatchObject({ kind: 'array', items: { kind: 'ref', name: node!.name } });
    expect(model.operations[0]!.success?.schema?.name).toBe(node!.name);
    expect(model.operations[0]!.client).toEqual({ group: 'default', method: 'getNode' });
  });
});
