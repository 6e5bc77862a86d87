import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSpecs } from '../../src/diff/compare.js';
import { resolveSpecFile } from '../../src/diff/resolve.js';
import type { ChangeKind } from '../../src/diff/types.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'diff');

/** Each fixture folder holds one change; its name is the rule, this table its classification. */
const EXPECTED: Record<string, ChangeKind> = Object.fromEntries([
  ['endpoint-added', 'compatible'],
  ['endpoint-deprecated', 'compatible'],
  ['endpoint-removed', 'breaking'],
  ['endpoint-summary-changed', 'documentation'],
  ['new-optional-request-parameter', 'compatible'],
  ['new-optional-request-part', 'compatible'],
  ['new-optional-request-property', 'compatible'],
  ['new-required-request-parameter', 'breaking'],
  ['new-required-request-part', 'breaking'],
  ['new-required-request-property', 'breaking'],
  ['operation-id-changed', 'breaking'],
  ['request-body-became-optional', 'compatible'],
  ['request-body-description-changed', 'documentation'],
  ['request-media-type-removed', 'breaking'],
  ['request-parameter-became-required', 'breaking'],
  ['request-parameter-enum-added', 'breaking'],
  ['request-parameter-removed', 'breaking'],
  ['request-part-content-type-added', 'compatible'],
  ['request-part-content-type-removed', 'breaking'],
  ['request-part-removed', 'breaking'],
  ['request-property-additional-properties-forbidden', 'breaking'],
  ['request-property-became-optional', 'compatible'],
  ['request-property-became-required', 'breaking'],
  ['request-property-enum-added', 'breaking'],
  ['request-property-enum-value-added', 'compatible'],
  ['request-property-enum-value-removed', 'breaking'],
  ['request-property-format-added', 'breaking'],
  ['request-property-format-changed', 'breaking'],
  ['request-property-max-items-decreased', 'breaking'],
  ['request-property-max-length-decreased', 'breaking'],
  ['request-property-max-length-increased', 'compatible'],
  ['request-property-maximum-removed', 'compatible'],
  ['request-property-min-length-increased', 'breaking'],
  ['request-property-minimum-increased', 'breaking'],
  ['request-property-pattern-changed', 'breaking'],
  ['request-property-pattern-removed', 'compatible'],
  ['request-property-removed', 'breaking'],
  ['request-property-type-changed', 'breaking'],
  ['request-property-type-widened', 'compatible'],
  ['response-header-added', 'compatible'],
  ['response-header-removed', 'breaking'],
  ['response-media-type-removed', 'breaking'],
  ['response-non-success-status-added', 'compatible'],
  ['response-non-success-status-removed', 'compatible'],
  ['response-property-added', 'compatible'],
  ['response-property-became-optional', 'breaking'],
  ['response-property-became-required', 'compatible'],
  ['response-property-enum-value-added', 'breaking'],
  ['response-property-enum-value-removed', 'compatible'],
  ['response-property-max-length-decreased', 'compatible'],
  ['response-property-max-length-increased', 'breaking'],
  ['response-property-removed', 'breaking'],
  ['response-property-type-changed', 'breaking'],
  ['response-property-type-widened', 'breaking'],
  ['response-success-status-removed', 'breaking'],
  ['security-alternative-added', 'compatible'],
  ['security-became-optional', 'compatible'],
  ['security-became-required', 'breaking'],
  ['security-scheme-changed', 'breaking'],
  ['server-added', 'compatible'],
  ['server-removed', 'breaking'],
  ['version-header-changed', 'compatible'],
]);

describe('embedkit diff fixtures (one rule each)', () => {
  const folders = readdirSync(FIXTURES).sort();

  it('has at least 30 fixture pairs, each with an expected classification', () => {
    expect(folders.length).toBeGreaterThanOrEqual(30);
    expect(folders).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(folders)('%s', async (rule) => {
    const result = diffSpecs(
      await resolveSpecFile(join(FIXTURES, rule, 'old.yaml'), 'old'),
      await resolveSpecFile(join(FIXTURES, rule, 'new.yaml'), 'new'),
    );
    expect(result.changes.length).toBeGreaterThan(0);
    for (const change of result.changes) {
      expect({ rule: change.rule, kind: change.kind, breaking: change.breaking }).toEqual({
        rule,
        kind: EXPECTED[rule],
        breaking: EXPECTED[rule] === 'breaking',
      });
      expect(change.message).not.toBe('');
      expect(change.reason).not.toBe('');
    }
  });

  it('reports nothing for a spec compared with itself', async () => {
    const spec = await resolveSpecFile(join(FIXTURES, 'endpoint-added', 'old.yaml'));
    expect(diffSpecs(spec, spec).changes).toEqual([]);
  });
});
