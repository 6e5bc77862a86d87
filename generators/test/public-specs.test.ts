/**
 * The four public specs (pinned devDependencies, see public-specs.ts): each must generate (no
 * refusal), its packages must pass strict tsc, and its generated validators must agree with Ajv
 * 2020 (+ ajv-formats) on the spec's examples and on values derived from them.
 *
 * Time: GitHub's spec is 13 MB of JSON (1,223 operations, 1,802 named schemas). On a shared
 * 2-core machine (load average 2 to 7) generating it took 3 minutes, importing its validators and
 * comparing them with Ajv (54,020 cases) 6.5, strict tsc over its output 5.5; under heavier load
 * tsc took over 20 minutes, hence the hour.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import type { GeneratedVersion } from '../src/generate.js';
import { tempDir } from './helpers.js';
import { generatePublicSpec, importValidators, PUBLIC_SPECS, type PublicSpec, schemaExamples, typecheckGenerated } from './public-specs.js';

const dirs: { cleanup: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const dir of dirs) await dir.cleanup();
});

/**
 * The values each example is checked with: the example itself and, for an object, each
 * property removed, set to `null`, and set to a value of another type (these reach the
 * rejecting paths: required properties, types, nullability).
 */
function derivedValues(example: unknown): unknown[] {
  const out: unknown[] = [example];
  if (example === null || typeof example !== 'object' || Array.isArray(example)) return out;
  for (const key of Object.keys(example)) {
    const { [key]: value, ...rest } = example as Record<string, unknown>;
    out.push(rest, { ...rest, [key]: null }, { ...rest, [key]: typeof value === 'string' ? 12345 : 'x' });
  }
  return out;
}

/**
 * The documented, reasoned disagreements with Ajv:
 * - `type: string, format: binary` is a file in OpenAPI (a binary request body or multipart
 *   part): the generated validators accept the bytes the client sends (a Blob, File, Uint8Array
 *   or ArrayBuffer) and reject a string, where Ajv (JSON Schema, to which `binary` is an unknown
 *   annotation) accepts any string.
 */
function documented(expected: boolean, issues: readonly { message: string }[]): boolean {
  return expected && issues.length > 0 && issues.every((i) => i.message.startsWith('must be a file'));
}

/** Values of every JSON type, checked against every named schema (most schemas reject most of them). */
const PROBES: unknown[] = [null, true, 0, 1.5, -1, '', 'x', '2024-01-01', [], [null], ['x'], {}, { id: 1 }];

/**
 * Compares the generated validators with Ajv on every example of the spec (and the values
 * derived from it) and on {@link PROBES} for every named schema; returns the disagreements.
 */
async function compareWithAjv(generated: GeneratedVersion, dir: string): Promise<{ cases: number; disagreements: string[] }> {
  const validators = await importValidators(generated, dir);
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true, logger: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const id = 'https://spec.invalid/openapi.json';
  ajv.addSchema({ ...generated.model.document, $id: id });
  let cases = 0;
  const disagreements: string[] = [];
  // Views (readOnly/writeOnly dropped, model/views.ts) have no counterpart in Ajv, which ignores those annotations.
  const probes = generated.model.schemas.filter((s) => s.viewOf === undefined).map(({ name, schema }) => ({ schemaName: name, pointer: schema.pointer, source: 'probe', values: PROBES }));
  const examples = schemaExamples(generated).map((e) => ({ ...e, values: derivedValues(e.example) }));
  for (const { schemaName, pointer, source, values } of [...examples, ...probes]) {
    const oracle = ajv.getSchema(`${id}${pointer}`);
    const validate = validators[`validate${schemaName}`];
    if (!oracle || !validate) throw new Error(`no validator for ${schemaName}`);
    for (const value of values) {
      cases++;
      const expected = oracle(value) as boolean;
      const actual = validate(value);
      if (actual.ok !== expected && !documented(expected, actual.issues ?? [])) {
        disagreements.push(`${source} (${schemaName}) ${JSON.stringify(value).slice(0, 200)}: Ajv ${expected}, ours ${actual.ok} ${JSON.stringify(actual.issues ?? []).slice(0, 300)}`);
      }
    }
  }
  return { cases, disagreements };
}

describe.each(Object.keys(PUBLIC_SPECS) as PublicSpec[])('public spec %s', (name) => {
  it(
    'generates, passes strict tsc, and its validators agree with Ajv on the examples',
    async () => {
      const generated = await generatePublicSpec(name);
      expect(generated.model.warnings.map((w) => w.pointer)).toContain('#/info/version');
      const dir = await tempDir(`public-${name}`);
      dirs.push(dir);
      expect(await typecheckGenerated(generated, `${dir.path}/tsc`)).toEqual([]);
      const { cases, disagreements } = await compareWithAjv(generated, `${dir.path}/validators`);
      expect(disagreements).toEqual([]);
      expect(cases).toBeGreaterThan(0);
    },
    // GitHub: generation, then strict tsc over ~15 MB of generated TypeScript (tens of minutes on a loaded machine).
    name === 'github' ? 3_600_000 : 300_000,
  );
});
