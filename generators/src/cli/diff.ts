/**
 * A small line-based unified diff (Myers' O(ND) algorithm), for `embedkit check`.
 *
 * @module
 */

type Edit = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest edit script turning `a` into `b`. */
function myers(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(next);
        v = next;
        break outer;
      }
    }
    v = next;
  }
  // Backtrack through the trace.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ kind: ' ', line: a[--x]! });
      y--;
    }
    if (d > 0) {
      if (x === prevX) edits.push({ kind: '+', line: b[--y]! });
      else edits.push({ kind: '-', line: a[--x]! });
    }
  }
  while (x > 0 && y > 0) {
    edits.push({ kind: ' ', line: a[--x]! });
    y--;
  }
  return edits.reverse();
}

/**
 * A unified diff of two texts (`---`/`+++` headers, `@@` hunks with `context` lines around each
 * change). Returns `''` when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const edits = myers(a, b);
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  // Positions (old line, new line) before each edit.
  const positions: { ai: number; bi: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const e of edits) {
    positions.push({ ai, bi });
    if (e.kind !== '+') ai++;
    if (e.kind !== '-') bi++;
  }
  let i = 0;
  while (i < edits.length) {
    if (edits[i]!.kind === ' ') {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change
    // that is within 2*context of the previous one.
    const start = Math.max(0, i - context);
    let end = i;
    let lastChange = i;
    while (end < edits.length && (edits[end]!.kind !== ' ' || end - lastChange <= 2 * context)) {
      if (edits[end]!.kind !== ' ') lastChange = end;
      end++;
    }
    end = Math.min(edits.length, lastChange + context + 1);
    const slice = edits.slice(start, end);
    const oldCount = slice.filter((e) => e.kind !== '+').length;
    const newCount = slice.filter((e) => e.kind !== '-').length;
    const pos = positions[start]!;
    const oldStart = oldCount === 0 ? pos.ai : pos.ai + 1;
    const newStart = newCount === 0 ? pos.bi : pos.bi + 1;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const e of slice) out.push(`${e.kind}${e.line}`);
    i = end;
  }
  if (!before.endsWith('\n') && before !== '') out.push('\\ No newline at end of file (on disk)');
  return `${out.join('\n')}\n`;
}
