/**
 * Malformed specs: each gives an EmbedkitSpecError naming the file, the JSON pointer (and line)
 * and the problem.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbedkitSpecError } from '../../src/errors.js';
import { loadModel } from '../../src/model/index.js';
import { hashSpec } from '../../src/model/load.js';
import { FIXTURES_DIR } from '../helpers.js';

/** The 1-based line of the first line of a malformed fixture containing `text`. */
function lineOf(name: string, text: string): number {
  const lines = readFileSync(join(FIXTURES_DIR, 'malformed', `${name}.yaml`), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${text} not in ${name}`);
  return index + 1;
}

async function problemsOf(name: string, apiVersion = '2025-04-15') {
  const displayPath = `fixtures/malformed/${name}.yaml`;
  try {
    await loadModel({ absolutePath: join(FIXTURES_DIR, 'malformed', `${name}.yaml`), displayPath, apiVersion });
  } catch (error) {
    expect(error).toBeInstanceOf(EmbedkitSpecError);
    const e = error as EmbedkitSpecError;
    expect(e.message.startsWith('Invalid spec: ')).toBe(true);
    for (const p of e.problems) expect(p.file).toBe(displayPath);
    return e.problems.map((p) => ({ pointer: p.pointer, problem: p.problem, line: p.line }));
  }
  throw new Error(`${name} loaded without an error`);
}

describe('malformed specs', () => {
  it.each([
    [
      'unknown-keyword',
      { pointer: '#/components/schemas/Name/$dynamicRef', problem: expect.stringMatching(/^unsupported JSON Schema keyword "\$dynamicRef": use a plain "\$ref"/), line: lineOf('unknown-keyword', '$dynamicRef') },
    ],
    ['broken-ref', { pointer: '#/components/schemas/Thing/properties/result/properties/name', problem: 'broken $ref "#/components/schemas/Nmae": nothing exists at that location', line: lineOf('broken-ref', 'Nmae') - 1 }],
    [
      'unsupported-hmac',
      { pointer: '#/components/securitySchemes/ApiSign/x-embed-signature/hmac', problem: 'hmac "SHA-1" is not supported: the runtime signer implements "SHA-512"', line: lineOf('unsupported-hmac', 'hmac:') },
    ],
    ['yaml-syntax', { pointer: '#', problem: 'YAML syntax error: All mapping items must start at the same column', line: lineOf('yaml-syntax', 'bad: indentation') }],
    ['struct', { pointer: '#/components/schemas/Thing/properties/result/required', problem: 'Expected type `array` but got `string`.', line: lineOf('struct', 'required: name') }],
    ['format', { pointer: '#/components/schemas/Name/pattern', problem: 'invalid regular expression "[a-z" (ECMAScript with the u flag): Invalid regular expression: /[a-z/u: Unterminated character class', line: lineOf('format', "pattern: '[a-z'") }],
  ])('%s', async (name, want) => {
    const problems = await problemsOf(name);
    expect(problems).toEqual([want]);
  });

  it('formats every problem as file:line:col #/pointer: problem', async () => {
    const error = await loadModel({ absolutePath: join(FIXTURES_DIR, 'malformed', 'format.yaml'), displayPath: 'x.yaml', apiVersion: '2025-04-15' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `Invalid spec: x.yaml:${lineOf('format', "pattern: '[a-z'")}:7 #/components/schemas/Name/pattern: invalid regular expression "[a-z" (ECMAScript with the u flag): Invalid regular expression: /[a-z/u: Unterminated character class`,
    );
  });

  it('reports a missing file', async () => {
    const problems = await loadModel({ absolutePath: '/nonexistent/openapi.yaml', displayPath: 'spec/x/openapi.yaml', apiVersion: 'x' }).catch(
      (e: EmbedkitSpecError) => e.problems,
    );
    expect(problems).toEqual([{ file: 'spec/x/openapi.yaml', pointer: '#', problem: 'cannot read the spec: file not found' }]);
  });
});

describe('names that differ only by case', () => {
  // Each exported validator gets validators/src/schemas/<Name>.ts: such names are one file on macOS and Windows.
  const minimal = readFileSync(join(FIXTURES_DIR, 'minimal', 'openapi.yaml'), 'utf8');
  const load = (text: string) =>
    loadModel({ absolutePath: join(FIXTURES_DIR, 'minimal', 'openapi.yaml'), displayPath: 'spec/2025-04-15/openapi.yaml', apiVersion: '2025-04-15', bytes: new TextEncoder().encode(text) }).then(
      () => expect.unreachable('the spec loaded'),
      (e: unknown) => e as EmbedkitSpecError,
    );
  const withSchema = (yaml: string) => minimal.replace('  schemas:\n', `  schemas:\n${yaml}`);

  it('are refused for two schemas, naming both, the files and the rule', async () => {
    const text = withSchema('    name:\n      type: string\n');
    const error = await load(text);
    expect(error).toBeInstanceOf(EmbedkitSpecError);
    const line = text.split('\n').indexOf('    Name:') + 1;
    expect(error.message).toBe(
      `Invalid spec: spec/2025-04-15/openapi.yaml:${line}:5 #/components/schemas/Name: "Name" (schema Name) and "name" (schema name) differ only by case, but each gets its own validator module (validators/src/schemas/name.ts, validators/src/schemas/Name.ts) and those are one file on a case-insensitive file system (macOS, Windows): rename one so that the names differ by more than case`,
    );
  });

  it('are refused for a schema and a generated validator name', async () => {
    const error = await load(withSchema('    getThingPathParams:\n      type: string\n'));
    expect(error.problems.map((p) => [p.pointer, p.problem])).toEqual([
      ['#/paths', expect.stringMatching(/^"GetThingPathParams" \(the path parameters of getThing\) and "getThingPathParams" \(schema getThingPathParams\) differ only by case/)],
    ]);
  });
});

describe('hashSpec', () => {
  it('is the sha256 of the bytes', () => {
    expect(hashSpec(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
