/**
 * Strict text intake: UTF-8 that must be well-formed (no replacement characters slipped in for
 * Latin-1 bytes, overlong forms, lone continuation bytes, encoded surrogates, code points past
 * U+10FFFF or truncated sequences), and JSON whose objects have no duplicate keys.
 *
 * `JSON.parse` silently keeps the last of two equal keys, so the sandbox first parses with it (which
 * checks the grammar) and then scans the already-valid text once for duplicate keys and for `\u`
 * escapes that decode to a lone surrogate (text that cannot be encoded as UTF-8).
 */

// ignoreBOM: keep a leading U+FEFF in the output, so it is rejected as content instead of being
// dropped silently (RFC 8259 forbids a BOM in JSON sent over the network).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 strictly; `undefined` when the bytes are not well-formed UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A JSON path segment: an object key or an array index. */
export type PathSegment = string | number;

/** Formats a path below `root` as the sandbox names fields: `metadata.identity.full_name`, `items[0]`. */
export function formatPath(root: string, path: readonly PathSegment[]): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** The outcome of {@link parseStrictJson}. */
export type StrictJson = { ok: true; value: unknown } | { ok: false; problem: string };

interface Frame {
  kind: 'object' | 'array';
  /** The enclosing container and this container's key or index in it (the path is built only for a problem). */
  parent: Frame | undefined;
  at: PathSegment | undefined;
  keys: Set<string>;
  /** Object: the key whose value comes next (set after the key's string). Array: the next index. */
  key: string | undefined;
  index: number;
  /** Object: the next string is a key. */
  expectKey: boolean;
}

/**
 * Parses JSON text strictly: valid JSON (RFC 8259), no object with two equal keys (compared after
 * unescaping, so `"a"` and `"\u0061"` are the same key), no `\u` escape that leaves a lone surrogate.
 * @param text - The JSON text (already decoded from well-formed UTF-8).
 * @param root - How to name the document in problems (`metadata`), or `''` for a whole request body.
 * @returns The parsed value, or a problem naming the path: `metadata.identity has duplicate key "date_of_birth"`.
 */
export function parseStrictJson(text: string, root: string): StrictJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: root === '' ? 'the body is not valid JSON' : `${root} is not valid JSON` };
  }
  const problem = scanJson(text, root);
  return problem === undefined ? { ok: true, value } : { ok: false, problem };
}

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const where = (root: string, path: readonly PathSegment[]) => formatPath(root, path) || 'the body';

/**
 * The tokens the scan needs from valid JSON: string literals (a linear, backtracking-free pattern)
 * and the structural characters; numbers, literals, ':' and whitespace are skipped by the search.
 */
const TOKEN = /"[^"\\]*(?:\\.[^"\\]*)*"|[{}[\],]/g;

/** Scans JSON text that `JSON.parse` accepted; returns the first duplicate key or lone surrogate. */
function scanJson(text: string, root: string): string | undefined {
  const stack: Frame[] = [];
  /** Where the next value of `frame` sits: the key just read, or the next index. */
  const slot = (frame: Frame): PathSegment => (frame.kind === 'object' ? (frame.key ?? '') : frame.index);
  const pathOf = (frame: Frame | undefined, child?: PathSegment): PathSegment[] => {
    const path: PathSegment[] = child === undefined ? [] : [child];
    for (let f = frame; f?.parent; f = f.parent) path.unshift(f.at!);
    return path;
  };
  const tokens = new RegExp(TOKEN);
  for (let match = tokens.exec(text); match; match = tokens.exec(text)) {
    const token = match[0];
    const c = token.charCodeAt(0);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const parent = stack.at(-1);
      stack.push({ kind: c === 0x7b ? 'object' : 'array', parent, at: parent && slot(parent), keys: new Set(), key: undefined, index: 0, expectKey: c === 0x7b });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack.at(-1)!;
      if (top.kind === 'object') top.expectKey = true;
      else top.index++;
    } else {
      // A string. Only an escape can make it differ from its source text, or hold a lone
      // surrogate (the text itself came from well-formed UTF-8).
      const escaped = token.includes('\\');
      const decoded = escaped ? (JSON.parse(token) as string) : token.slice(1, -1);
      const top = stack.at(-1);
      if (top?.kind === 'object' && top.expectKey) {
        top.expectKey = false;
        if (escaped && LONE_SURROGATE.test(decoded)) return `${where(root, pathOf(top))} has a key with an unpaired surrogate escape`;
        if (top.keys.has(decoded)) return `${where(root, pathOf(top))} has duplicate key ${JSON.stringify(decoded)}`;
        top.keys.add(decoded);
        top.key = decoded;
      } else if (escaped && LONE_SURROGATE.test(decoded)) {
        return `${where(root, top ? pathOf(top, slot(top)) : [])} has an unpaired surrogate escape`;
      }
    }
  }
  return undefined;
}
