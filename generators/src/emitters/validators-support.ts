/**
 * The spec-independent helpers of the generated validators (issue construction, value
 * descriptions, the format checks, file checks, the Standard Schema glue), emitted verbatim at
 * the top of the validators module. They live in the same module as the validators: one module
 * to load keeps the cold start low, and the package loads nothing else at run time.
 *
 * Written without template literals so this file can hold it as one.
 *
 * The root module (`index.ts`) gets all of it; each per-schema module (`schemas/X.ts`) gets only
 * the helpers its code uses, transitively ({@link supportStatementsFor}), so that a schema without a
 * `format: uri` field does not load the URI regular expression, and no module carries unused code.
 *
 * @module
 */
import { identifiersIn, statementsNeeded, type TopLevelStatement, topLevelStatements } from '../ast/index.js';

/** The helpers' source: module-private except `formats`, `FileLike`, `ValidationIssue` and `ValidationResult`. */
export const VALIDATORS_SUPPORT_SOURCE = String.raw`export type { ValidationIssue, ValidationResult };

/** A file part value: a Blob (including a File), a Uint8Array (including a Buffer) or an ArrayBuffer. */
export type FileLike = Blob | Uint8Array | ArrayBuffer;

/** Builds an issue. */
function issue(path: string, rule: string, message: string): ValidationIssue {
  return { path, rule, message };
}

/** Runs a collector from the root and returns the failed result with every issue it found. */
function failure(collect: (value: unknown, path: string, out: ValidationIssue[]) => void, value: unknown): { ok: false; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  collect(value, '', issues);
  return { ok: false, issues };
}

/** The issue of a missing required property. */
function required(path: string, key: string): ValidationIssue {
  return { path: at(path, key), rule: 'required', message: 'is required' };
}

/** The issue of a value of the wrong type: "must be a string, got 42". */
function typeIssue(path: string, expected: string, value: unknown): ValidationIssue {
  return { path, rule: 'type', message: 'must be ' + expected + ', got ' + describe(value) };
}

/** The issue of a property that additionalProperties: false forbids. */
function unknownProperty(path: string, key: string, owner: string, allowed: string): ValidationIssue {
  return {
    path: at(path, key),
    rule: 'additionalProperties',
    message: 'is not allowed: ' + owner + ' ' + JSON.stringify(key) + (allowed === '' ? '' : ' (allowed: ' + allowed + ')'),
  };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of an identifier key under path: a.b (the generator uses it only for identifier keys). */
function dot(path: string, key: string): string {
  return path === '' ? key : path + '.' + key;
}

/** The path of property key under path: a.b, or a["odd key"] for keys that are not identifiers. */
function at(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : path + '.' + key;
  return path + '[' + JSON.stringify(key) + ']';
}

/** The path of an array element: a[0]. */
function item(path: string, index: number): string {
  return path + '[' + index + ']';
}

/** A short description of a value for messages: "abc", 42, null, an object, an array, a Blob. */
function describe(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const json = JSON.stringify(value);
      return json.length > 64 ? json.slice(0, 60) + '..."' : json;
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'undefined';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'an array';
      if (typeof Blob !== 'undefined' && value instanceof Blob) return 'a Blob';
      if (value instanceof Uint8Array) return 'a Uint8Array';
      if (value instanceof ArrayBuffer) return 'an ArrayBuffer';
      return 'an object';
    default:
      return 'a ' + typeof value;
  }
}

/** Length in Unicode code points (JSON Schema's string length), counting a surrogate pair once. */
function ucs2length(value: string): number {
  const n = value.length;
  let length = 0;
  let pos = 0;
  while (pos < n) {
    length++;
    const code = value.charCodeAt(pos++);
    if (code >= 0xd800 && code <= 0xdbff && pos < n) {
      const next = value.charCodeAt(pos);
      if ((next & 0xfc00) === 0xdc00) pos++;
    }
  }
  return length;
}

/** Two ASCII digits at i as a number, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** RFC 3339 full-date at the start of s (characters 0-9): a real calendar date. */
function fullDateAt(s: string): boolean {
  const y1 = digits2(s, 0);
  const y2 = digits2(s, 2);
  if (y1 < 0 || y2 < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(y1 * 100 + y2, month);
}

/** RFC 3339 full-date (YYYY-MM-DD), a real calendar date (2023-02-29 is not one). */
function checkDate(s: string): boolean {
  return s.length === 10 && fullDateAt(s);
}

/**
 * RFC 3339 date-time (section 5.6): a real date, T (or t), hours 00-23, minutes 00-59,
 * seconds 00-59 with an optional fraction, then Z (or z) or an offset +HH:MM / -HH:MM with
 * HH 00-23 and MM 00-59. Second 60 (a leap second) is accepted only when the time is 23:59 in
 * UTC, which is where leap seconds are inserted (the same rule as ajv-formats). Unlike
 * ajv-formats, a space in place of T and offsets without a colon (+0100, +01) are rejected:
 * RFC 3339's grammar requires both.
 */
function checkDateTime(s: string): boolean {
  const n = s.length;
  if (n < 20 || !fullDateAt(s)) return false;
  const t = s.charCodeAt(10);
  if ((t !== 84 && t !== 116) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const hour = digits2(s, 11);
  const minute = digits2(s, 14);
  const second = digits2(s, 17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
    if (i === start) return false;
  }
  const z = s.charCodeAt(i);
  let offset = 0;
  if (z === 90 || z === 122) {
    if (i + 1 !== n) return false;
  } else if (z === 43 || z === 45) {
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return false;
    const oh = digits2(s, i + 1);
    const om = digits2(s, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return false;
    offset = (z === 43 ? 1 : -1) * (oh * 60 + om);
  } else {
    return false;
  }
  if (second === 60) return (((hour * 60 + minute - offset) % 1440) + 1440) % 1440 === 1439;
  return true;
}

// URI check: the regular expression of ajv-formats 3.0.1 ("uri", full mode; MIT licence,
// Copyright (c) 2020 Evgeny Poberezkin), itself from http://jmrware.com/articles/2009/uri_regexp/URI_regex.html:
// an absolute URI per RFC 3986 (a scheme is required).
const NOT_URI_FRAGMENT = /\/|:/;
const URI =
  /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;

/** An absolute URI (RFC 3986), e.g. https://files.partner.example/kyc/front.jpg. */
function checkUri(s: string): boolean {
  return NOT_URI_FRAGMENT.test(s) && URI.test(s);
}

/** For file parts whose media type the spec does not declare. */
const NO_MEDIA_TYPES: readonly string[] = Object.freeze([]);

/** True for a non-empty Blob (File), Uint8Array (Buffer) or ArrayBuffer. */
function checkFile(value: unknown): value is FileLike {
  if (typeof Blob !== 'undefined' && value instanceof Blob) return value.size > 0;
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return value.byteLength > 0;
  return false;
}

/** True when a file's own media type is absent or matches one of accepted (type/subtype or type/*). */
function hasAcceptedMediaType(value: FileLike, accepted: readonly string[]): boolean {
  if (accepted.length === 0 || typeof Blob === 'undefined' || !(value instanceof Blob) || value.type === '') return true;
  const type = value.type.split(';')[0]!.trim().toLowerCase();
  for (const a of accepted) {
    const want = a.toLowerCase();
    if (want === type || want === '*/*' || (want.endsWith('/*') && type.startsWith(want.slice(0, -1)))) return true;
  }
  return false;
}

/** Pushes the issue for a value that failed checkFile or hasAcceptedMediaType. */
function fileIssue(value: unknown, path: string, accepted: readonly string[], out: ValidationIssue[]): void {
  const isBlob = typeof Blob !== 'undefined' && value instanceof Blob;
  if (!isBlob && !(value instanceof Uint8Array) && !(value instanceof ArrayBuffer)) {
    out.push(typeIssue(path, 'a file (a Blob, File, Uint8Array or ArrayBuffer)', value));
  } else if ((isBlob ? (value as Blob).size : (value as Uint8Array | ArrayBuffer).byteLength) === 0) {
    out.push(issue(path, 'file', 'must be a non-empty file, got an empty ' + (isBlob ? 'Blob' : describe(value).replace(/^an? /, ''))));
  } else if (!hasAcceptedMediaType(value as FileLike, accepted)) {
    out.push(issue(path, 'mediaType', 'must be a file of type ' + accepted.join(' or ') + ', got ' + JSON.stringify((value as Blob).type)));
  }
}

/** Splits an issue path (a.b[0]["odd key"]) into Standard Schema path segments. */
function pathSegments(path: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
    } else if (c === '[') {
      const end = path[i + 1] === '"' ? path.indexOf('"]', i + 2) + 1 : path.indexOf(']', i);
      const inner = path.slice(i + 1, end);
      out.push(inner.startsWith('"') ? (JSON.parse(inner) as string) : Number(inner));
      i = end + 1;
    } else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** The format checks, by JSON Schema format name. */
export const formats: {
  readonly date: (s: string) => boolean;
  readonly 'date-time': (s: string) => boolean;
  readonly uri: (s: string) => boolean;
} = Object.freeze({ date: checkDate, 'date-time': checkDateTime, uri: checkUri });

/** Wraps a validator as a Standard Schema v1 object (vendor "embedkit"). */
function standardSchema<T>(validate: (value: unknown) => ValidationResult<T>): StandardSchemaV1<unknown, T> {
  return {
    '~standard': {
      version: 1,
      vendor: 'embedkit',
      validate(value: unknown) {
        const result = validate(value);
        if (result.ok) return { value: result.value };
        // Each issue also keeps embedkit's rule, as the runtime's toStandardSchema does.
        return { issues: result.issues.map((i) => ({ message: i.message, path: pathSegments(i.path), rule: i.rule })) };
      },
    },
  };
}
`;

let statements: readonly TopLevelStatement[] | undefined;

/**
 * The helpers `code` needs, and the helpers those need, in source order (`formats` and the type
 * re-exports are the root module's API and are never needed by validator code).
 */
export function supportStatementsFor(code: string): TopLevelStatement[] {
  statements ??= topLevelStatements(VALIDATORS_SUPPORT_SOURCE);
  return statementsNeeded(statements, identifiersIn(code));
}
