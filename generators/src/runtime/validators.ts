/**
 * The run-time support of the generated validators: issue construction, value descriptions, the
 * format checks, deep JSON equality, float-safe `multipleOf`, evaluation tracking for
 * `unevaluated*`, file checks and the Standard Schema glue.
 *
 * This is a real, type-checked and tested module of the generator. `embedkit generate` copies its
 * text into every validators package as `src/support.ts` (see emitters/validators-support.ts), and
 * the generated modules import the helpers they use from it: one copy per package, shared by the
 * root entry and every per-schema entry. Keep it free of imports other than types.
 *
 * @module
 */
import type { ValidationIssue, ValidationResult } from '@embedkit/runtime';
import type { StandardSchemaV1 } from '@standard-schema/spec';

/** A file part value: a Blob (including a File), a Uint8Array (including a Buffer) or an ArrayBuffer. */
export type FileLike = Blob | Uint8Array | ArrayBuffer;

/** Builds an issue. */
export function issue(path: string, rule: string, message: string): ValidationIssue {
  return { path, rule, message };
}

/** Runs a collector from the root and returns the failed result with every issue it found. */
export function failure(collect: (value: unknown, path: string, out: ValidationIssue[]) => void, value: unknown): { ok: false; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  collect(value, '', issues);
  return { ok: false, issues };
}

/** The issue of a missing required property. */
export function required(path: string, key: string): ValidationIssue {
  return { path: at(path, key), rule: 'required', message: 'is required' };
}

/** The issue of a value of the wrong type: "must be a string, got 42". */
export function typeIssue(path: string, expected: string, value: unknown): ValidationIssue {
  return { path, rule: 'type', message: 'must be ' + expected + ', got ' + describe(value) };
}

/** The issue of a property that additionalProperties: false forbids. */
export function unknownProperty(path: string, key: string, owner: string, allowed: string): ValidationIssue {
  return {
    path: at(path, key),
    rule: 'additionalProperties',
    message: 'is not allowed: ' + owner + ' ' + JSON.stringify(key) + (allowed === '' ? '' : ' (allowed: ' + allowed + ')'),
  };
}

export const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of an identifier key under path: a.b (the generator uses it only for identifier keys). */
export function dot(path: string, key: string): string {
  return path === '' ? key : path + '.' + key;
}

/** The path of property key under path: a.b, or a["odd key"] for keys that are not identifiers. */
export function at(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : path + '.' + key;
  return path + '[' + JSON.stringify(key) + ']';
}

/** The path of an array element: a[0]. */
export function item(path: string, index: number): string {
  return path + '[' + index + ']';
}

/** A short description of a value for messages: "abc", 42, null, an object, an array, a Blob. */
export function describe(value: unknown): string {
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
export function ucs2length(value: string): number {
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
export function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** RFC 3339 full-date at the start of s (characters 0-9): a real calendar date. */
export function fullDateAt(s: string): boolean {
  const y1 = digits2(s, 0);
  const y2 = digits2(s, 2);
  if (y1 < 0 || y2 < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(y1 * 100 + y2, month);
}

/** RFC 3339 full-date (YYYY-MM-DD), a real calendar date (2023-02-29 is not one). */
export function checkDate(s: string): boolean {
  return s.length === 10 && fullDateAt(s);
}

/**
 * RFC 3339 full-time from position i to the end of s: hours 00-23, minutes 00-59, seconds 00-59
 * with an optional fraction, then Z (or z) or an offset +HH:MM / -HH:MM with HH 00-23 and MM
 * 00-59. Second 60 (a leap second) is accepted only when the time is 23:59 in UTC, which is where
 * leap seconds are inserted (the same rule as ajv-formats). Unlike ajv-formats, offsets without a
 * colon (+0100, +01) are rejected: RFC 3339's grammar requires it.
 */
export function fullTimeAt(s: string, i: number): boolean {
  const n = s.length;
  if (n < i + 9 || s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) return false;
  const hour = digits2(s, i);
  const minute = digits2(s, i + 3);
  const second = digits2(s, i + 6);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  i += 8;
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

/**
 * RFC 3339 date-time (section 5.6): a real date, T (or t), then a full-time ({@link fullTimeAt}).
 * Unlike ajv-formats, a space in place of T is rejected: RFC 3339's grammar requires T.
 */
export function checkDateTime(s: string): boolean {
  if (s.length < 20 || !fullDateAt(s)) return false;
  const t = s.charCodeAt(10);
  return (t === 84 || t === 116) && fullTimeAt(s, 11);
}

/** RFC 3339 full-time (`10:00:00Z`, `10:00:00.5+02:00`): an offset is required, as in ajv-formats. */
export function checkTime(s: string): boolean {
  return fullTimeAt(s, 0);
}

/** ISO 8601 duration as RFC 3339 appendix A writes it (`P3D`, `PT1H30M`, `P2W`); the regex of ajv-formats. */
export const DURATION = /^P(?!$)((\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?|(\d+W)?)$/;

/** An email address (RFC 5321 dot-atom local part, a DNS host name); the regex of ajv-formats. */
export const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** An RFC 1123 host name (labels of 1-63 letters, digits, hyphens; 253 characters at most); the regex of ajv-formats. */
export const HOSTNAME = /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$/i;

/** A dotted-quad IPv4 address without leading zeros; the regex of ajv-formats. */
export const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** An RFC 4291 IPv6 address (with :: compression and an embedded IPv4 tail); the regex of ajv-formats. */
export const IPV6 =
  /^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$/i;

/** A UUID (RFC 4122 hex groups 8-4-4-4-12, optionally as urn:uuid:); the regex of ajv-formats. */
export const UUID = /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

/** Standard base64 (RFC 4648 section 4) with padding, OpenAPI's `format: byte`. */
export const BYTE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `format: int32` on a number: an integer in [-2^31, 2^31 - 1]. */
export function checkInt32(x: number): boolean {
  return Number.isInteger(x) && x >= -2147483648 && x <= 2147483647;
}
// URI check: the regular expression of ajv-formats 3.0.1 ("uri", full mode; MIT licence,
// Copyright (c) 2020 Evgeny Poberezkin), itself from http://jmrware.com/articles/2009/uri_regexp/URI_regex.html:
// an absolute URI per RFC 3986 (a scheme is required).
export const NOT_URI_FRAGMENT = /\/|:/;
export const URI =
  /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;

/** An absolute URI (RFC 3986), e.g. https://files.partner.example/kyc/front.jpg. */
export function checkUri(s: string): boolean {
  return NOT_URI_FRAGMENT.test(s) && URI.test(s) && portIsNumeric(s);
}

/**
 * RFC 3986's port is digits only. The regular expression above also reads
 * "http://example.com:abc/path" as an empty authority followed by the path "/example.com:abc/path"
 * (ajv-formats accepts it); an authority (after "scheme://") whose port is not digits is refused.
 */
function portIsNumeric(s: string): boolean {
  const colon = s.indexOf(':');
  if (s.charCodeAt(colon + 1) !== 47 || s.charCodeAt(colon + 2) !== 47) return true;
  let end = colon + 3;
  while (end < s.length && s[end] !== '/' && s[end] !== '?' && s[end] !== '#') end++;
  let host = s.slice(colon + 3, end);
  host = host.slice(host.lastIndexOf('@') + 1);
  if (host.startsWith('[')) host = host.slice(host.indexOf(']') + 1);
  const port = host.indexOf(':');
  return port < 0 || /^\d*$/.test(host.slice(port + 1));
}

// uri-reference: the regular expression of ajv-formats 3.0.1 (same source and licence as URI):
// a URI or a relative reference (RFC 3986 section 4.1).
export const URI_REFERENCE =
  /^(?:[a-z][a-z0-9+\-.]*:)?(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'"()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?(?:\?(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;

/** A URI or relative reference, with a numeric port where it has an authority. */
export function checkUriReference(s: string): boolean {
  return URI_REFERENCE.test(s) && portIsNumeric(s);
}

/** Deep JSON equality (`const`, `enum`, `uniqueItems`): same type, same members; 1 and 1.0 are one number. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** True when some value of `values` deep-equals x (`enum` with objects or arrays). */
export function deepIncludes(values: readonly unknown[], x: unknown): boolean {
  for (const v of values) if (deepEqual(v, x)) return true;
  return false;
}

/** The index of the first item equal to an earlier one, or -1 (`uniqueItems`). */
export function duplicateIndex(a: readonly unknown[]): number {
  for (let j = 1; j < a.length; j++) {
    const y = a[j];
    for (let i = 0; i < j; i++) if (deepEqual(a[i], y)) return j;
  }
  return -1;
}

/**
 * `multipleOf` without binary floating-point noise: 0.3 is a multiple of 0.1 although 0.3 / 0.1
 * is 2.9999999999999996. When the quotient is not an integer, both numbers are scaled by the
 * power of ten that makes them integers (from their shortest decimal form) and compared exactly.
 */
export function checkMultipleOf(x: number, m: number): boolean {
  const q = x / m;
  if (Number.isInteger(q)) return true;
  if (!Number.isFinite(q)) return false;
  // The rounded quotient is within a few ulps (relative 1e-15) of the exact decimal one, so a
  // quotient farther than that from every integer is not one: no decimal scaling needed (0.3 / 0.5).
  if (Math.abs(q - Math.round(q)) > 1e-9 * Math.max(1, Math.abs(q))) return false;
  const digits = Math.max(decimals(x), decimals(m));
  if (digits > 20) return false;
  const scale = 10 ** digits;
  const xs = Math.round(x * scale);
  const ms = Math.round(m * scale);
  if (!Number.isSafeInteger(xs) || !Number.isSafeInteger(ms)) return false;
  return xs % ms === 0;
}

/** Digits after the decimal point in the shortest form of x (1.25 -> 2, 1e-7 -> 7, 3 -> 0). */
function decimals(x: number): number {
  const s = String(x);
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  const dot = mantissa.indexOf('.');
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, fraction - (e < 0 ? 0 : Number(s.slice(e + 1))));
}

/**
 * What the keywords of a valid instance evaluated (JSON Schema 2020-12 annotations), for
 * `unevaluatedProperties` and `unevaluatedItems`: property names, or all of them; an item prefix
 * length, or all items; and single item indices (`contains`).
 */
export interface Evaluated {
  readonly props: Set<string>;
  allProps: boolean;
  prefix: number;
  allItems: boolean;
  readonly indices: Set<number>;
}

/** A fresh, empty {@link Evaluated}. */
export function evaluated(): Evaluated {
  return { props: new Set(), allProps: false, prefix: 0, allItems: false, indices: new Set() };
}

/** Adds what `from` evaluated to `into` (the annotations of a subschema that passed). */
export function mergeEvaluated(into: Evaluated, from: Evaluated): void {
  for (const k of from.props) into.props.add(k);
  for (const i of from.indices) into.indices.add(i);
  if (from.allProps) into.allProps = true;
  if (from.allItems) into.allItems = true;
  if (from.prefix > into.prefix) into.prefix = from.prefix;
}

/** True when property k was evaluated. */
export function propEvaluated(ev: Evaluated, k: string): boolean {
  return ev.allProps || ev.props.has(k);
}

/** True when item i was evaluated. */
export function itemEvaluated(ev: Evaluated, i: number): boolean {
  return ev.allItems || i < ev.prefix || ev.indices.has(i);
}

/** Singular or plural: "1 item", "2 items". */
export function count(n: number, word: string): string {
  return n + ' ' + word + (n === 1 ? '' : 's');
}

/** For file parts whose media type the spec does not declare. */
export const NO_MEDIA_TYPES: readonly string[] = /* @__PURE__ */ Object.freeze([]);

/** True for a non-empty Blob (File), Uint8Array (Buffer) or ArrayBuffer. */
export function checkFile(value: unknown): value is FileLike {
  if (typeof Blob !== 'undefined' && value instanceof Blob) return value.size > 0;
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return value.byteLength > 0;
  return false;
}

/** True when a file's own media type is absent or matches one of accepted (type/subtype or type/*). */
export function hasAcceptedMediaType(value: FileLike, accepted: readonly string[]): boolean {
  if (accepted.length === 0 || typeof Blob === 'undefined' || !(value instanceof Blob) || value.type === '') return true;
  const type = value.type.split(';')[0]!.trim().toLowerCase();
  for (const a of accepted) {
    const want = a.toLowerCase();
    if (want === type || want === '*/*' || (want.endsWith('/*') && type.startsWith(want.slice(0, -1)))) return true;
  }
  return false;
}

/** Pushes the issue for a value that failed checkFile or hasAcceptedMediaType. */
export function fileIssue(value: unknown, path: string, accepted: readonly string[], out: ValidationIssue[]): void {
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
export function pathSegments(path: string): PropertyKey[] {
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

/** The format checks, by JSON Schema format name (string formats). */
export const formats: {
  readonly date: (s: string) => boolean;
  readonly 'date-time': (s: string) => boolean;
  readonly time: (s: string) => boolean;
  readonly duration: (s: string) => boolean;
  readonly email: (s: string) => boolean;
  readonly hostname: (s: string) => boolean;
  readonly ipv4: (s: string) => boolean;
  readonly ipv6: (s: string) => boolean;
  readonly uri: (s: string) => boolean;
  readonly 'uri-reference': (s: string) => boolean;
  readonly uuid: (s: string) => boolean;
  readonly byte: (s: string) => boolean;
} = /* @__PURE__ */ Object.freeze({
  date: checkDate,
  'date-time': checkDateTime,
  time: checkTime,
  duration: (s: string) => DURATION.test(s),
  email: (s: string) => EMAIL.test(s),
  hostname: (s: string) => HOSTNAME.test(s),
  ipv4: (s: string) => IPV4.test(s),
  ipv6: (s: string) => IPV6.test(s),
  uri: checkUri,
  'uri-reference': checkUriReference,
  uuid: (s: string) => UUID.test(s),
  byte: (s: string) => BYTE.test(s),
});

/** Wraps a validator as a Standard Schema v1 object (vendor "embedkit"). */
export function standardSchemaOf<T>(validate: (value: unknown) => ValidationResult<T>): StandardSchemaV1<unknown, T> {
  return {
    '~standard': {
      version: 1,
      vendor: 'embedkit',
      validate(value: unknown) {
        const result = validate(value);
        if (result.ok) return { value: result.value };
        // Each issue also keeps embedkit's rule, as the runtime's standardSchemaOf does.
        return { issues: result.issues.map((i) => ({ message: i.message, path: pathSegments(i.path), rule: i.rule })) };
      },
    },
  };
}

/** A generated issue collector: pushes the issues of v at path p. */
export type Collector = (v: unknown, p: string, out: ValidationIssue[]) => void;

/**
 * For `anyOf`/`oneOf` that no branch matched: runs every branch's collector and keeps the issues
 * of the closest branch (the one with the fewest issues; the first on a tie).
 */
export function closest(collectors: readonly Collector[], v: unknown, p: string, out: ValidationIssue[]): void {
  let best: ValidationIssue[] | undefined;
  for (const collect of collectors) {
    const issues: ValidationIssue[] = [];
    collect(v, p, issues);
    if (best === undefined || issues.length < best.length) best = issues;
  }
  if (best) for (const i of best) out.push(i);
}
