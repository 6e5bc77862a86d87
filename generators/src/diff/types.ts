/**
 * What `embedkit diff` reports: one entry per change a consumer of the generated packages feels.
 *
 * @module
 */

/**
 * `breaking`: code that worked against the old packages may fail to compile or fail at run time.
 * `compatible`: an addition or a relaxation; existing code keeps working.
 * `documentation`: descriptions, summaries, examples only (TSDoc and READMEs change, code does not).
 */
export type ChangeKind = 'breaking' | 'compatible' | 'documentation';

export interface Change {
  /** True when {@link kind} is `breaking`. */
  readonly breaking: boolean;
  readonly kind: ChangeKind;
  /** A stable rule id, oasdiff style (`request-property-enum-value-removed`). */
  readonly rule: string;
  /** Where: `POST /b2b/verifications/{user} request body multipart/form-data: metadata.document_type`. */
  readonly location: string;
  /** What changed, in one line. */
  readonly message: string;
  /** Why it is (not) breaking for a consumer, in one line. */
  readonly reason: string;
}

export interface DiffResult {
  readonly from: string;
  readonly to: string;
  readonly changes: readonly Change[];
}
