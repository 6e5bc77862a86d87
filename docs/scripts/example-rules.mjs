// One rule shared by the site (typedoc-plugin-embedkit.mjs renders these examples as data) and the
// example checker (examples.mjs does not compile them).
//
// An `@example` without a code fence whose whole text is a JSON value (`{ "verifier": ... }`, `2`)
// a single bare token (`US`, `2023-03-13`, `AA95N84GTESTXXXX`, a URL) or one line of plain words
// (`1 Main Street`: letters, digits, spaces and `.,/@+-`, no brackets, quotes or `=`) is a DATA example: the
// spec's `example:` value, which openapi-typescript writes into the generated types as
// `@example US`. It is not TypeScript. Anything else, and every fenced block, is code.

/**
 * The language to show a data example in (`json` or `text`), or `undefined` if the text is code.
 * @param {string} text the example's whole text (no fence)
 * @returns {'json' | 'text' | undefined}
 */
export function dataExampleLanguage(text) {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    JSON.parse(trimmed);
    return 'json';
  } catch {
    // Not JSON: maybe a bare scalar.
  }
  // A bare token, or one line of plain words (`1 Main Street`): nothing code-like in it.
  return /^[^\s(){};=`'"]+$/.test(trimmed) || /^[\w .,/@+-]+$/.test(trimmed) ? 'text' : undefined;
}
