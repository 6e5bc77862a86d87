/**
 * The unified diff of `embedkit check`.
 */
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/cli/diff.js';

const labels = { from: 'a.ts (on disk)', to: 'a.ts (generated)' };

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('x\n', 'x\n', labels)).toBe('');
  });

  it('shows one changed line with three lines of context', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8'].join('\n') + '\n';
    const after = before.replace('5', 'five');
    expect(unifiedDiff(before, after, labels)).toBe(
      ['--- a.ts (on disk)', '+++ a.ts (generated)', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'),
    );
  });

  it('separates distant changes into hunks', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const after = [...lines];
    after[1] = 'changed 2';
    after[27] = 'changed 28';
    const diff = unifiedDiff(`${lines.join('\n')}\n`, `${after.join('\n')}\n`, labels);
    expect(diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,5 +1,5 @@', '@@ -25,6 +25,6 @@']);
  });

  it('handles added and removed files', () => {
    expect(unifiedDiff('', 'a\nb\n', { from: '/dev/null', to: 'new.ts' })).toBe('--- /dev/null\n+++ new.ts\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('a\n', '', { from: 'old.ts', to: '/dev/null' })).toBe('--- old.ts\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n');
  });
});
