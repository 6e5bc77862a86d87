// Every example in every spec must validate against the schema it illustrates, so the docs
// never show a request the API would reject.
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Node = Record<string, unknown>;

const specDir = new URL('../', import.meta.url);
const versions = readdirSync(specDir).filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name));

interface ExampleCase {
  pointer: string;
  schemaPointer: string;
  value: unknown;
}

const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** Walks the document and collects each example with the pointer of the schema it belongs to. */
function collectExamples(node: unknown, pointer: string, out: ExampleCase[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => collectExamples(item, `${pointer}/${index}`, out));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const object = node as Node;
  const isSchema = pointer.includes('/schemas/') || pointer.endsWith('/schema');
  if ('schema' in object && typeof object['schema'] === 'object') {
    // A media type, parameter or header: `example` or `examples.{name}.value` illustrate `schema`.
    if ('example' in object) out.push({ pointer: `${pointer}/example`, schemaPointer: `${pointer}/schema`, value: object['example'] });
    const examples = object['examples'];
    if (examples && typeof examples === 'object') {
      for (const [name, example] of Object.entries(examples as Node)) {
        out.push({ pointer: `${pointer}/examples/${escape(name)}`, schemaPointer: `${pointer}/schema`, value: (example as Node)['value'] });
      }
    }
  } else if (isSchema && 'example' in object) {
    out.push({ pointer: `${pointer}/example`, schemaPointer: pointer, value: object['example'] });
  }
  for (const [key, child] of Object.entries(object)) {
    if (key === 'example' || key === 'examples') continue;
    collectExamples(child, `${pointer}/${escape(key)}`, out);
  }
}

describe.each(versions)('spec %s', (version) => {
  const document = parse(readFileSync(new URL(`${version}/openapi.yaml`, specDir), 'utf8')) as Node;
  const id = `https://embedkit.invalid/spec/${version}`;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema({ ...document, $id: id });

  const cases: ExampleCase[] = [];
  collectExamples(document, '#', cases);

  it('has examples for requests, responses and schemas', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases.map((c) => [c.pointer, c] as const))('%s validates against its schema', (_pointer, c) => {
    const validate = ajv.getSchema(`${id}${c.schemaPointer}`);
    expect(validate, `no schema at ${c.schemaPointer}`).toBeDefined();
    const ok = validate!(c.value);
    expect(validate!.errors ?? [], JSON.stringify(validate!.errors)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a broken example, so the check above can fail', () => {
    const validate = ajv.getSchema(`${id}#/components/schemas/IdentityDocumentMetadata`)!;
    expect(validate({ verifier: 'x', verified_at: 'yesterday' })).toBe(false);
  });
});
