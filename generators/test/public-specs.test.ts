/**
 * The four public specs (pinned devDependencies, see public-specs.ts): each is generated in
 * memory and its packages type-checked with strict tsc.
 *
 * Until the JSON Schema normalizer (model/schema.ts, issue 12's validator part) accepts the
 * keywords these specs use, generation stops at its refusals: then this checks that every
 * problem reported is one of that normalizer's keyword refusals, i.e. that OpenAPI 3.0, operation
 * naming, security schemes, media types and names no longer refuse the spec. Once a spec
 * generates, the strict tsc run applies.
 *
 * Time: GitHub's spec is 13 MB of JSON (about 1,000 operations); loading it takes tens of seconds
 * on a quiet machine, generating and type-checking it several minutes, hence the timeouts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { EmbedkitSpecError } from '../src/errors.js';
import { tempDir } from './helpers.js';
import { generatePublicSpec, PUBLIC_SPECS, type PublicSpec, typecheckGenerated } from './public-specs.js';

/** The refusals of the JSON Schema normalizer (model/schema.ts) for keywords it does not implement yet. */
const SCHEMA_KEYWORD_REFUSAL =
  /^(unsupported JSON Schema keyword|"[^"]+" does not apply to type|unsupported type \[|unsupported format|"[^"]+" needs an explicit "type"|discriminated variant|"oneOf" is supported only with|only "additionalProperties: false"|"[^"]+" beside "(oneOf|\$ref)" is not supported|each "oneOf" variant must be|only string, number, boolean or null)/;

const dirs: { cleanup: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const dir of dirs) await dir.cleanup();
});

describe.each(Object.keys(PUBLIC_SPECS) as PublicSpec[])('public spec %s', (name) => {
  it(
    'generates and passes strict tsc (or is refused only for JSON Schema keywords)',
    async () => {
      let generated: Awaited<ReturnType<typeof generatePublicSpec>>;
      try {
        generated = await generatePublicSpec(name);
      } catch (error) {
        expect(error).toBeInstanceOf(EmbedkitSpecError);
        const problems = (error as EmbedkitSpecError).problems;
        const others = problems.filter((p) => !SCHEMA_KEYWORD_REFUSAL.test(p.problem));
        expect(others.map((p) => `${p.pointer}: ${p.problem}`)).toEqual([]);
        return;
      }
      expect(generated.model.warnings.map((w) => w.pointer)).toContain('#/info/version');
      const dir = await tempDir(`public-${name}`);
      dirs.push(dir);
      expect(await typecheckGenerated(generated, dir.path)).toEqual([]);
    },
    name === 'github' ? 900_000 : 300_000,
  );
});
