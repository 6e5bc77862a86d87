/**
 * The built validators package (its root entry and a per-schema entry) runs with `eval` and
 * `Function` replaced by throwers (as under a CSP without 'unsafe-eval'): nothing is compiled at
 * run time. The same harness makes Ajv fail, which shows the trap works.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GENERATORS_DIR, PACKAGES_DIR } from '../helpers.js';

const DIST = pathToFileURL(join(PACKAGES_DIR, '2025-04-15', 'validators', 'dist', 'index.js')).href;
const SUBPATH = pathToFileURL(join(PACKAGES_DIR, '2025-04-15', 'validators', 'dist', 'schemas', 'IdentityDocumentMetadata.js')).href;

const CHILD = `
const forbid = (what) => function () { throw new Error(what + ' is forbidden'); };
globalThis.eval = forbid('eval');
globalThis.Function = forbid('Function');
const out = {};
try { eval('1'); out.evalTrap = false; } catch { out.evalTrap = true; }
try { Function('return 1'); out.functionTrap = false; } catch { out.functionTrap = true; }
const mode = process.argv[1];
if (mode === 'ajv') {
  const { default: Ajv } = await import('ajv');
  try { new Ajv().compile({ type: 'string' }); out.ajv = 'compiled'; } catch (e) { out.ajv = String(e.message); }
} else {
  const v = await import(${JSON.stringify(DIST)});
  const meta = { verifier: 'k', verified_at: '2024-04-15T10:00:00Z', identity: { full_name: { first_name: 'J', last_name: 'D' }, date_of_birth: '1990-01-15' }, document_type: 'passport', document_number: 'P1', issuing_country: 'US' };
  out.valid = v.validateIdentityDocumentMetadata(meta).ok;
  out.invalid = v.validateIdentityDocumentMetadata({ ...meta, issuing_country: 'XX', extra: 1 }).issues.map((i) => i.path + ' ' + i.rule);
  out.input = v.validateSubmitVerificationInput({ type: 'identity_document', metadata: meta, files: { front: new Blob(['x']) } }).ok;
  out.std = (await v.IdentityDocumentMetadataSchema['~standard'].validate(meta)).issues === undefined;
  const one = await import(${JSON.stringify(SUBPATH)});
  out.subpath = [one.validateIdentityDocumentMetadata(meta).ok, one.validateIdentityDocumentMetadata({ ...meta, issuing_country: 'XX' }).issues.map((i) => i.path + ' ' + i.rule)];
}
console.log(JSON.stringify(out));
`;

async function runChild(mode: 'validators' | 'ajv') {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', CHILD, mode], { cwd: GENERATORS_DIR });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('validators without eval', () => {
  it('validate with eval and Function made to throw', async () => {
    expect(await runChild('validators')).toEqual({
      evalTrap: true,
      functionTrap: true,
      valid: true,
      invalid: ['issuing_country enum', 'extra additionalProperties'],
      input: true,
      std: true,
      subpath: [true, ['issuing_country enum']],
    });
  });

  it('the same trap stops Ajv, which compiles with new Function', async () => {
    const out = await runChild('ajv');
    expect(out['functionTrap']).toBe(true);
    expect(out['ajv']).toMatch(/Function is forbidden/);
  });
});
