/**
 * Errors the generator reports to people. The CLI prints their message (never a stack trace)
 * and exits with a non-zero code; everything else is a bug and keeps its stack.
 *
 * @module
 */

/** One problem found in a spec: where it is and what is wrong. */
export interface SpecProblem {
  /** The spec file, as given to the loader (relative to the working directory when possible). */
  readonly file: string;
  /** JSON Pointer of the offending node, e.g. `#/components/schemas/Foo/patternProperties`. */
  readonly pointer: string;
  /** What is wrong, in a sentence. */
  readonly problem: string;
  /** 1-based line of the node in the file, when known. */
  readonly line?: number | undefined;
  /** 1-based column of the node in the file, when known. */
  readonly column?: number | undefined;
}

/** Formats one problem as `file:line:col #/pointer: problem`. */
export function formatSpecProblem(p: SpecProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  return `${where} ${p.pointer}: ${p.problem}`;
}

/**
 * The spec is malformed or uses something the generator does not support. Carries every problem
 * found, each with the file and the JSON Pointer.
 */
export class EmbedkitSpecError extends Error {
  /** Every problem found (at least one). */
  readonly problems: readonly SpecProblem[];

  constructor(problems: readonly SpecProblem[]) {
    const first = problems[0];
    const head =
      problems.length === 1 && first !== undefined
        ? `Invalid spec: ${formatSpecProblem(first)}`
        : `Invalid spec: ${problems.length} problems\n${problems.map((p) => `  - ${formatSpecProblem(p)}`).join('\n')}`;
    super(head);
    this.name = 'EmbedkitSpecError';
    this.problems = problems;
  }
}

/** Bad command-line usage (unknown flag, missing value...). The CLI exits with code 2. */
export class EmbedkitUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbedkitUsageError';
  }
}
