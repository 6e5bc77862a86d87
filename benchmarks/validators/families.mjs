// `pnpm bench:validators` (second part): one representative schema per JSON Schema keyword
// family, compiled by the embedkit generator (normalizer + validators emitter, the same code
// `embedkit generate` runs) and by Ajv 2020 (+ajv-formats; its standalone code is the code it
// compiles, so the compiled function stands for both), on the same 1,000 values per family (500
// valid, 500 invalid). Reports valid and invalid inputs/s and the embedkit/Ajv ratio (target >= 1).
// Both run in this one process, alternating, best of ROUNDS. Not a test: it prints.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { normalizeSchema, standaloneValidatorsModule } from '@embedkit/generators';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import ts from 'typescript';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** family -> [schema, valid values, invalid values]; the values are repeated to 500 each. */
const FAMILIES = {
  numbers: [{ type: 'number', minimum: 0, exclusiveMaximum: 100, multipleOf: 0.5 }, [0, 1.5, 99.5, 42], [-1, 100, 0.3, 'x']],
  strings: [{ type: 'string', minLength: 2, maxLength: 20, pattern: '^[a-z]+$' }, ['ab', 'hello', 'abcdefghij'], ['a', 'Hello', 'x'.repeat(21), 3]],
  formats: [{ type: 'string', format: 'email' }, ['a@example.com', 'first.last@sub.example.org'], ['a@', 'no at sign', 'a@b..c']],
  arrays: [
    { type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'integer' }, contains: { const: 1 }, maxContains: 3, uniqueItems: true, maxItems: 10 },
    [['a', 1, 2, 3], ['b', 1]],
    [['a', 2, 3], [1, 1], ['a', 1, 1], ['a', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ],
  objects: [
    {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'integer' } },
      required: ['a'],
      patternProperties: { '^x-': { type: 'string' } },
      additionalProperties: false,
      propertyNames: { maxLength: 10 },
      dependentRequired: { b: ['a'] },
      maxProperties: 4,
    },
    [{ a: 'x' }, { a: 'x', b: 1, 'x-y': 'z' }],
    [{}, { a: 1 }, { a: 'x', c: 1 }, { a: 'x', 'x-y': 2 }],
  ],
  applicators: [
    { anyOf: [{ type: 'string' }, { type: 'integer', minimum: 0 }], not: { const: '' }, if: { type: 'string' }, then: { maxLength: 5 }, else: { maximum: 100 } },
    ['abc', 5, 100],
    ['', 'abcdef', -1, 101, null],
  ],
  'oneOf (no discriminator)': [
    { oneOf: [{ type: 'object', required: ['a'] }, { type: 'object', required: ['b'] }] },
    [{ a: 1 }, { b: 2 }],
    [{ a: 1, b: 2 }, {}, 'x'],
  ],
  'const and enum': [{ enum: [{ a: 1 }, [1, 2], 'x', null] }, [{ a: 1 }, [1, 2], 'x', null], [{ a: 2 }, [2, 1], 'y', 0]],
  unevaluated: [
    {
      allOf: [{ properties: { a: { type: 'string' } } }],
      anyOf: [{ properties: { b: { type: 'integer' } } }, { properties: { c: { type: 'boolean' } } }],
      unevaluatedProperties: false,
    },
    [{ a: 'x', b: 1 }, { c: true }],
    [{ a: 'x', d: 1 }, { a: 1, b: 1 }, { b: 'x' }],
  ],
  'refs and recursion': [
    { $ref: '#/components/schemas/Tree' },
    [{ value: 1, children: [{ value: 2, children: [] }] }, { value: 3 }],
    [{ value: 'x' }, { value: 1, children: [{ children: [] }] }],
  ],
};
const SHARED = {
  Tree: { type: 'object', required: ['value'], properties: { value: { type: 'integer' }, children: { type: 'array', items: { $ref: '#/components/schemas/Tree' } } } },
};

function fill(samples) {
  return Array.from({ length: 500 }, (_, i) => structuredClone(samples[i % samples.length]));
}

// The generated validators, the way `embedkit generate` emits them, transpiled and imported.
const dir = mkdtempSync(join(tmpdir(), 'embedkit-bench-families-'));
const transpile = (source) => ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
const supportSource = readFileSync(new URL('../../generators/src/runtime/validators.ts', import.meta.url), 'utf8');
writeFileSync(join(dir, 'support.mjs'), transpile(supportSource));
const raw = { ...SHARED, ...Object.fromEntries(Object.entries(FAMILIES).map(([, [schema]], i) => [`F${i}`, schema])) };
const problems = [];
const ctx = { problems: { report: (pointer, problem) => problems.push(`${pointer}: ${problem}`) }, componentSchemas: raw };
const named = Object.entries(raw).map(([name, node]) => ({ name, typeExpression: '', schema: normalizeSchema(node, `#/components/schemas/${name}`, ctx) }));
if (problems.length > 0) throw new Error(problems.join('\n'));
writeFileSync(join(dir, 'families.mjs'), transpile(standaloneValidatorsModule(named, './support.mjs')));
const ours = await import(pathToFileURL(join(dir, 'families.mjs')).href);

const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
ajv.addSchema({ $id: 'https://bench.test/shared', $defs: JSON.parse(JSON.stringify(SHARED).replaceAll('#/components/schemas/', 'https://bench.test/shared#/$defs/')) });
const ajvAll = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajvAll);
ajvAll.addSchema({ $id: 'https://bench.test/shared', $defs: JSON.parse(JSON.stringify(SHARED).replaceAll('#/components/schemas/', 'https://bench.test/shared#/$defs/')) });
const forAjv = (schema) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"https://bench.test/shared#/$defs/'));

/** Inputs per second of `run` over `values` (best of ROUNDS, each at least 50 ms, after 100 ms of warm-up). */
function throughput(run, values) {
  let best = 0;
  for (let round = -2; round < ROUNDS; round++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < 50) {
      for (const v of values) run(v);
      n += values.length;
      elapsed = performance.now() - start;
    }
    if (round >= 0) best = Math.max(best, (n / elapsed) * 1000);
  }
  return best;
}

const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(0)} k`);
console.log('\n| keyword family | embedkit valid/s | Ajv valid/s | ratio | embedkit invalid/s (all issues) | Ajv invalid/s (allErrors) | ratio |');
console.log('|---|---|---|---|---|---|---|');
let allMet = true;
Object.entries(FAMILIES).forEach(([family, [schema, valid, invalid]], i) => {
  const validate = ours[`validateF${i}`];
  const a = ajv.compile(forAjv(schema));
  const aAll = ajvAll.compile(forAjv(schema));
  const good = fill(valid);
  const bad = fill(invalid);
  for (const v of good) if (!validate(v).ok || !a(v)) throw new Error(`${family}: ${JSON.stringify(v)} should be valid`);
  for (const v of bad) if (validate(v).ok || aAll(v)) throw new Error(`${family}: ${JSON.stringify(v)} should be invalid`);
  const ourValid = throughput((v) => validate(v), good);
  const ajvValid = throughput((v) => a(v), good);
  const ourInvalid = throughput((v) => validate(v), bad);
  const ajvInvalid = throughput((v) => {
    aAll(v);
    return aAll.errors;
  }, bad);
  const r1 = ourValid / ajvValid;
  const r2 = ourInvalid / ajvInvalid;
  if (r1 < 1 || r2 < 1) allMet = false;
  console.log(`| ${family} | ${fmt(ourValid)} | ${fmt(ajvValid)} | ${r1.toFixed(2)}x | ${fmt(ourInvalid)} | ${fmt(ajvInvalid)} | ${r2.toFixed(2)}x |`);
});
console.log(`\nTarget >= 1x Ajv on every keyword family: ${allMet ? 'met' : 'NOT met'}.`);
