// One validator in its own process: cold start (import to first result), then inputs/s on the
// valid and the invalid inputs. Prints one JSON line. Usage: node child.mjs <validator> <inputs.json>
import { readFileSync } from 'node:fs';

const processStartToScript = performance.now();
const [name, inputsPath] = process.argv.slice(2);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 400);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);

/** Loads a validator; returns check(valid input) -> 1/0 and issues(invalid input) -> issue count. */
async function load() {
  switch (name) {
    case 'embedkit': {
      const { validateIdentityDocumentMetadata: validate } = await import('@embedkit/validators-2025-04-15');
      return {
        valid: (x) => (validate(x).ok ? 1 : 0),
        issues: (x) => {
          const r = validate(x);
          return r.ok ? 0 : r.issues.length;
        },
      };
    }
    case 'ajv': {
      const [{ Ajv2020 }, { default: addFormats }, { parse }] = await Promise.all([import('ajv/dist/2020.js'), import('ajv-formats'), import('yaml')]);
      const specPath = new URL('../../spec/2025-04-15/openapi.yaml', import.meta.url);
      const spec = parse(readFileSync(specPath, 'utf8'));
      const defs = JSON.parse(JSON.stringify(spec.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/'));
      const compile = (allErrors) => {
        const ajv = new Ajv2020({ allErrors, strict: true });
        addFormats(ajv);
        ajv.addKeyword('discriminator');
        ajv.addKeyword('example');
        ajv.addSchema({ $id: 'https://embedkit.bench/spec.json', $defs: defs });
        return ajv.getSchema('https://embedkit.bench/spec.json#/$defs/IdentityDocumentMetadata');
      };
      const first = compile(false);
      let all;
      return {
        valid: (x) => (first(x) ? 1 : 0),
        issues: (x) => {
          all ??= compile(true);
          return all(x) ? 0 : all.errors.length;
        },
      };
    }
    case 'zod': {
      const { IdentityDocumentMetadata: schema } = await import('./zod-schema.mjs');
      return {
        valid: (x) => (schema.safeParse(x).success ? 1 : 0),
        issues: (x) => {
          const r = schema.safeParse(x);
          return r.success ? 0 : r.error.issues.length;
        },
      };
    }
    case 'bare':
      return undefined;
    default:
      throw new Error(`unknown validator ${name}`);
  }
}

// A typical input, written here so the cold start covers nothing but loading the validator and
// its first result (the 1,000 inputs are read afterwards).
const SAMPLE = {
  verifier: 'example_kyc_provider',
  verified_at: '2024-04-15T10:00:00Z',
  identity: { full_name: { first_name: 'John', last_name: 'Doe' }, date_of_birth: '1990-01-15' },
  document_type: 'passport',
  document_number: 'P123456789',
  issuing_country: 'US',
};

const importStart = performance.now();
const v = await load();
if (v === undefined) {
  // The bare node start: no validator, first "result" right away.
  console.log(JSON.stringify({ name, processToFirstResultMs: importStart }));
  process.exit(0);
}
if (v.valid(SAMPLE) !== 1) throw new Error(`${name} rejects the sample`);
const firstResult = performance.now();
const { valid, invalid } = JSON.parse(readFileSync(inputsPath, 'utf8'));

// Agreement and issue counts (every issue of every invalid input).
const validity = [...valid, ...invalid].map((x) => v.valid(x));
const issues = invalid.map((x) => v.issues(x));

function rate(fn, inputs) {
  let count = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < inputs.length; i++) sink += fn(inputs[i]);
    count += inputs.length;
    elapsed = performance.now() - start;
  } while (elapsed < MEASURE_MS);
  return { perSecond: count / (elapsed / 1000), sink };
}

// Warm up the JIT on both paths, then alternate samples.
rate(v.valid, valid);
rate(v.issues, invalid);
const validRates = [];
const invalidRates = [];
for (let i = 0; i < SAMPLES; i++) {
  validRates.push(rate(v.valid, valid).perSecond);
  invalidRates.push(rate(v.issues, invalid).perSecond);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(
  JSON.stringify({
    name,
    coldStartMs: firstResult - importStart,
    processToFirstResultMs: firstResult,
    scriptStartMs: processStartToScript,
    validPerSecond: median(validRates),
    invalidPerSecond: median(invalidRates),
    validity,
    issues,
  }),
);
