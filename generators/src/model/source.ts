/**
 * JSON Pointer helpers and a line/column lookup into the YAML source, so errors can name the
 * exact place in the spec file.
 *
 * @module
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

/** Escapes one JSON Pointer segment (RFC 6901). */
/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends segments to a `#/...` pointer. */
export function childPointer(pointer: string, ...segments: (string | number)[]): string {
  return segments.reduce<string>((p, s) => `${p}/${escapePointerSegment(String(s))}`, pointer);
}

/** Splits a `#/a/b~1c` pointer into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  const body = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (body === '' || body === '/') return [];
  return body
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Reads the value at a `#/...` pointer in a parsed document, or `undefined`. */
export function getAtPointer(document: unknown, pointer: string): unknown {
  let node: unknown = document;
  for (const segment of pointerSegments(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Finds 1-based line/column positions of JSON Pointers in one YAML (or JSON) source text. */
export interface SourceLocator {
  locate(pointer: string): { line: number; column: number } | undefined;
}

/**
 * Builds a locator for a source text. The pointer's last segment, when it is a mapping key,
 * resolves to the key's position (that is where an unsupported keyword is written).
 */
export function createSourceLocator(text: string): SourceLocator {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const position = (offset: number | undefined) => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    locate(pointer) {
      let node: unknown = doc.contents;
      let offset: number | undefined = (doc.contents as YamlNode | null)?.range?.[0];
      for (const segment of pointerSegments(pointer)) {
        if (isMap(node)) {
          const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
          if (!pair) return position(offset);
          offset = (pair.key as YamlNode).range?.[0] ?? offset;
          node = pair.value;
        } else if (isSeq(node)) {
          const item = node.items[Number(segment)] as YamlNode | undefined;
          if (!item) return position(offset);
          offset = item.range?.[0] ?? offset;
          node = item;
        } else {
          return position(offset);
        }
      }
      return position(offset);
    },
  };
}
