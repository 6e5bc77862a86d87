/**
 * A made-up next API version for the diff and new-version tests: the 2025-04-15 spec with one
 * removed request enum value, one new required request field and one new optional request field.
 */

/** Applies the three edits to a copy of the 2025-04-15 spec (its version fields already updated or not). */
export function applyTestVersionEdits(spec: string): string {
  const edits: [RegExp | string, string][] = [
    // Removed request enum value.
    [
      'enum: [drivers_license, id_card, passport, residence_card, special_permanent_residence_card]',
      'enum: [drivers_license, id_card, passport, residence_card]',
    ],
    // New required field (and the examples that must carry it) and a new optional field.
    [
      'required: [verifier, verified_at, identity, document_type, document_number, issuing_country]',
      'required: [verifier, verified_at, identity, document_type, document_number, issuing_country, issuing_authority]',
    ],
    [
      /\n( +)document_number:\n( +)description: The document's number\.\n/,
      "\n$1issuing_authority:\n$2description: The authority that issued the document (new in the test version).\n$2type: string\n$2minLength: 1\n$1issue_date:\n$2description: The date the document was issued (new in the test version).\n$2type: string\n$2format: date\n$1document_number:\n$2description: The document's number.\n",
    ],
    [/\n( +)document_number: P123456789/g, '\n$1document_number: P123456789\n$1issuing_authority: US Department of State'],
  ];
  let out = spec;
  for (const [from, to] of edits) {
    const next = out.replace(from, to);
    if (next === out) throw new Error(`test version edit did not apply: ${String(from)}`);
    out = next;
  }
  return out;
}
