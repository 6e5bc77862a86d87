import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY,
  EmbedAbortError,
  EmbedApiError,
  EmbedConfigError,
  EmbedError,
  EmbedNetworkError,
  EmbedTimeoutError,
  EmbedValidationError,
  type ValidationResult,
  assertValid,
  parseKrakenError,
  parseKrakenErrors,
  toStandardSchema,
} from '../src/index.js';
import { parseRetryAfter } from '../src/errors.js';
import { issuePathSegments } from '../src/standard-schema.js';
import { classifyFailure, decideRetry, resolveRetryOptions } from '../src/retry.js';

describe('parseKrakenErrors', () => {
  it('parses both envelopes, string and object entries', () => {
    expect(parseKrakenErrors({ error: ['EAPI:Invalid nonce'] })).toEqual([{ category: 'EAPI', message: 'Invalid nonce', raw: 'EAPI:Invalid nonce' }]);
    expect(parseKrakenErrors({ errors: ['ENexus:Unknown asset', { code: 'EGeneral', message: 'Bad data' }, { error: 'EFunding:Unknown withdraw key' }] })).toEqual([
      { category: 'ENexus', message: 'Unknown asset', raw: 'ENexus:Unknown asset' },
      { category: 'EGeneral', message: 'Bad data', raw: 'EGeneral:Bad data' },
      { category: 'EFunding', message: 'Unknown withdraw key', raw: 'EFunding:Unknown withdraw key' },
    ]);
    expect(parseKrakenErrors({ error: 'EAPI:Single' })).toHaveLength(1);
  });

  it('keeps messages containing colons and free-form strings intact', () => {
    expect(parseKrakenError('EPTL:Order cancelled. Try again.')).toEqual({ category: 'EPTL', message: 'Order cancelled. Try again.', raw: 'EPTL:Order cancelled. Try again.' });
    expect(parseKrakenError('EAPI:a:b')).toMatchObject({ category: 'EAPI', message: 'a:b' });
    expect(parseKrakenError('Something went wrong: badly')).toEqual({ category: '', message: 'Something went wrong: badly', raw: 'Something went wrong: badly' });
  });

  it('returns [] for anything that is not an error envelope', () => {
    for (const body of [undefined, null, 'text', 42, [], { error: [] }, { result: {} }, { error: [1, null, ''] }]) {
      expect(parseKrakenErrors(body)).toEqual([]);
    }
  });
});

describe('parseRetryAfter', () => {
  const h = (init: Record<string, string>) => new Headers(init);
  it('reads seconds, HTTP dates and retry-after-ms', () => {
    expect(parseRetryAfter(h({ 'retry-after': '3' }))).toBe(3000);
    expect(parseRetryAfter(h({ 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' }), Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter(h({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }), Date.parse('Wed, 21 Oct 2015 07:29:00 GMT'))).toBe(0);
    expect(parseRetryAfter(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(h({}))).toBeUndefined();
  });
});

describe('error classes', () => {
  it('have stable codes and names, and serialize without the response object', () => {
    const response = new Response('{}', { status: 503, headers: { 'retry-after': '2', 'x-request-id': 'r1' } });
    const api = EmbedApiError.fromResponse(response, { error: ['EAPI:Busy'] });
    const all: Array<[EmbedError, string, string]> = [
      [api, 'EMBED_API_ERROR', 'EmbedApiError'],
      [new EmbedValidationError([{ path: '/a', rule: 'required', message: 'is required' }]), 'EMBED_VALIDATION_ERROR', 'EmbedValidationError'],
      [new EmbedNetworkError('down', { sent: false, systemCode: 'ECONNREFUSED' }), 'EMBED_NETWORK_ERROR', 'EmbedNetworkError'],
      [new EmbedTimeoutError(5), 'EMBED_TIMEOUT', 'EmbedTimeoutError'],
      [new EmbedAbortError(), 'EMBED_ABORTED', 'EmbedAbortError'],
      [new EmbedConfigError('bad', { option: 'x' }), 'EMBED_CONFIG_ERROR', 'EmbedConfigError'],
    ];
    for (const [error, code, name] of all) {
      expect(error).toBeInstanceOf(EmbedError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(Object.keys(error)).not.toContain('name');
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name, code });
    }
    expect(api.retryAfterMs).toBe(2000);
    expect(api.requestId).toBe('r1');
    expect(JSON.stringify(api)).not.toContain('"response"');
    expect(Object.keys(api)).not.toContain('response');
  });

  it('EmbedValidationError lists every issue in its message', () => {
    const e = new EmbedValidationError(
      [
        { path: '/metadata/identity/date_of_birth', rule: 'format:date', message: 'must be a date (YYYY-MM-DD)' },
        { path: '', rule: 'type', message: 'must be an object' },
      ],
      { subject: 'request body' },
    );
    expect(e.message).toBe(
      'Invalid request body: 2 issues\n- /metadata/identity/date_of_birth: must be a date (YYYY-MM-DD) (format:date)\n- (root): must be an object (type)',
    );
  });

  it('EmbedApiError.read parses a response body itself', async () => {
    const e = await EmbedApiError.read(new Response('{"errors":["EAPI:Invalid nonce"]}', { status: 401 }));
    expect(e.isInvalidNonce).toBe(true);
    expect(e.status).toBe(401);
  });
});

describe('retry policy', () => {
  const api = (status: number, body: unknown = {}, headers: Record<string, string> = {}) =>
    EmbedApiError.fromResponse(new Response(null, { status, headers }), body);
  const opts = resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 });

  it('classifies failures', () => {
    expect(classifyFailure(api(401, { error: ['EAPI:Invalid nonce'] }))).toBe('nonce');
    for (const s of [408, 429, 503]) expect(classifyFailure(api(s))).toBe('safe');
    for (const s of [500, 502, 504]) expect(classifyFailure(api(s))).toBe('ambiguous');
    for (const s of [400, 401, 403, 404, 409, 422]) expect(classifyFailure(api(s))).toBe('fatal');
    expect(classifyFailure(new EmbedNetworkError('x', { sent: false }))).toBe('safe');
    expect(classifyFailure(new EmbedNetworkError('x', { sent: true }))).toBe('ambiguous');
    expect(classifyFailure(new EmbedTimeoutError(1))).toBe('ambiguous');
    expect(classifyFailure(new EmbedAbortError())).toBe('fatal');
    expect(classifyFailure(new TypeError('x'))).toBe('fatal');
  });

  it('uses exponential backoff with full jitter, capped', () => {
    const top = () => 0.999999;
    const caps = [1, 2, 3, 4, 5, 6].map((attempts) => decideRetry(api(503), { attempts, nonceRetries: 0 }, { ...opts, maxAttempts: 10 }, false, top)?.delayMs);
    expect(caps).toEqual([99, 199, 399, 799, 999, 999]);
    expect(decideRetry(api(503), { attempts: 1, nonceRetries: 0 }, opts, false, () => 0)?.delayMs).toBe(0);
  });

  it('honours Retry-After up to the cap and stops at maxAttempts', () => {
    expect(decideRetry(api(429, {}, { 'retry-after': '2' }), { attempts: 1, nonceRetries: 0 }, opts, false)?.delayMs).toBe(2000);
    expect(decideRetry(api(429, {}, { 'retry-after': '60' }), { attempts: 1, nonceRetries: 0 }, opts, false)?.delayMs).toBe(5000);
    expect(decideRetry(api(429), { attempts: 3, nonceRetries: 0 }, opts, false)).toBeUndefined();
  });

  it('ambiguous failures: retried only when idempotent or retryAmbiguous', () => {
    expect(decideRetry(api(500), { attempts: 1, nonceRetries: 0 }, opts, false)).toBeUndefined();
    expect(decideRetry(api(500), { attempts: 1, nonceRetries: 0 }, opts, true)?.kind).toBe('ambiguous');
    expect(decideRetry(api(500), { attempts: 1, nonceRetries: 0 }, { ...opts, retryAmbiguous: true }, false)?.kind).toBe('ambiguous');
  });

  it('invalid nonce has its own budget and small delays', () => {
    const nonce = api(401, { error: ['EAPI:Invalid nonce'] });
    const d = decideRetry(nonce, { attempts: 3, nonceRetries: 0 }, opts, false, () => 0.999999);
    expect(d).toEqual({ kind: 'nonce', delayMs: DEFAULT_RETRY.nonceRetryDelayMs - 1 });
    expect(decideRetry(nonce, { attempts: 1, nonceRetries: DEFAULT_RETRY.maxNonceRetries }, opts, false)).toBeUndefined();
  });

  it('validates options', () => {
    expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrow(EmbedConfigError);
    expect(() => resolveRetryOptions({ maxAttempts: 1.5 })).toThrow(/integer/);
    expect(() => resolveRetryOptions({ maxNonceRetries: -1 })).toThrow(/maxNonceRetries/);
    expect(() => resolveRetryOptions({ retryAmbiguous: 'yes' as unknown as boolean })).toThrow(/retryAmbiguous/);
    expect(resolveRetryOptions({ maxAttempts: 5 }, { baseDelayMs: 1 })).toMatchObject({ maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 8000 });
  });
});

describe('Standard Schema glue', () => {
  type Person = { name: string };
  const validate = (v: unknown): ValidationResult<Person> =>
    typeof v === 'object' && v !== null && typeof (v as Person).name === 'string'
      ? { ok: true, value: v as Person }
      : { ok: false, issues: [{ path: '/name', rule: 'required', message: 'name is required' }] };

  it('produces a Standard Schema v1 object', () => {
    const schema = toStandardSchema(validate);
    expect(schema['~standard'].version).toBe(1);
    expect(schema['~standard'].vendor).toBe('embedkit');
    expect(toStandardSchema(validate, 'acme')['~standard'].vendor).toBe('acme');
    expect(schema['~standard'].validate({ name: 'a' })).toEqual({ value: { name: 'a' } });
    expect(schema['~standard'].validate({})).toEqual({ issues: [{ message: 'name is required', path: ['name'], rule: 'required' }] });
  });

  it('turns JSON Pointers and dotted paths into key arrays', () => {
    expect(issuePathSegments('')).toEqual([]);
    expect(issuePathSegments('/files/0/name')).toEqual(['files', 0, 'name']);
    expect(issuePathSegments('/a~1b/c~0d/01')).toEqual(['a/b', 'c~d', '01']);
    expect(issuePathSegments('metadata.identity.date_of_birth')).toEqual(['metadata', 'identity', 'date_of_birth']);
    expect(issuePathSegments('$.files[2].name')).toEqual(['files', 2, 'name']);
    expect(issuePathSegments('a["b.c"][\'d\']')).toEqual(['a', 'b.c', 'd']);
  });

  it('assertValid returns the value or throws EmbedValidationError', () => {
    expect(assertValid(validate, { name: 'x' })).toEqual({ name: 'x' });
    expect(() => assertValid(validate, {}, 'request body')).toThrow(/Invalid request body: 1 issue\n- \/name: name is required \(required\)/);
  });
});
