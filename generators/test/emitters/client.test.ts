/**
 * The client emitter: one helper per x-embed-client operation, the multipart encoding in spec
 * order, the version header and the default base URL from the spec.
 */
import { describe, expect, it } from 'vitest';
import { fileOf, generate } from '../helpers.js';

describe('emitClient', () => {
  it('binds the spec server, version header and the signing package middleware', async () => {
    const code = fileOf(await generate('2025-04-15'), 'client/src/index.ts');
    expect(code).toContain('export const DEFAULT_BASE_URL = "https://nexus.kraken.com";');
    expect(code).toContain('export const VERSION_HEADER = Object.freeze({ name: "Payward-Version", value: "2025-04-15" } as const);');
    // One pipeline: the client signs through the signing package's openapi-fetch middleware.
    expect(code).toContain("import { createSigningMiddleware } from '@embedkit/signing-2025-04-15';");
    expect(code).toContain('signing: createSigningMiddleware({ ...credentials, ...(nonces !== undefined ? { nonces } : {}) }),');
    expect(code).toContain('versionHeader: VERSION_HEADER,');
  });

  it.each([
    ['verifications.submit', 'async submit(user: T.SubmitVerificationPathParams["user"], input: T.SubmitVerificationInput, options?: RequestOptions): Promise<T.SubmitVerificationResult> {'],
    ['verifications.submitFromUrls', 'async submitFromUrls(user: T.SubmitVerificationFromUrlsPathParams["user"], body: T.SubmitVerificationFromUrlsRequest, options?: RequestOptions): Promise<T.SubmitVerificationFromUrlsResult> {'],
    ['users.get', 'async get(user: T.GetUserPathParams["user"], options?: RequestOptions): Promise<T.GetUserResult> {'],
  ])('emits %s', async (_helper, signature) => {
    expect(fileOf(await generate('2025-04-15'), 'client/src/index.ts')).toContain(signature);
  });

  it('validates before sending and encodes the parts in spec order', async () => {
    const code = fileOf(await generate('2025-04-15'), 'client/src/index.ts');
    const submit = code.slice(code.indexOf('async submit('), code.indexOf('async submitFromUrls('));
    expect(submit.indexOf('throwIfInvalid(')).toBeLessThan(submit.indexOf('core.request'));
    expect(code).toContain(
      [
        '    case "identity_document": {',
        '      const parts: MultipartField[] = [];',
        '      parts.push({ name: "type", value: input.type });',
        '      parts.push({ name: "metadata", value: JSON.stringify(input.metadata), contentType: "application/json" });',
        '      parts.push(filePart("front", input.files.front));',
        '      if (input.files.back !== undefined) parts.push(filePart("back", input.files.back));',
      ].join('\n'),
    );
    expect(code).toContain('if (input.files?.pep_verifier_response !== undefined)');
  });

  it('turns any failure of a helper into a typed error', async () => {
    const code = fileOf(await generate('2025-04-15'), 'client/src/index.ts');
    expect(code).toContain('throw typed(error, "verifications.submit");');
    expect(code).toContain("throw typed(error, 'createEmbedClient');");
  });

  it('re-exports the runtime errors and documents fileFromPath', async () => {
    const generated = await generate('2025-04-15');
    expect(fileOf(generated, 'client/src/index.ts')).toContain(
      "export { EmbedAbortError, EmbedApiError, EmbedConfigError, EmbedError, EmbedNetworkError, EmbedResponseTooLargeError, EmbedTimeoutError, EmbedValidationError, createNonceSource } from '@embedkit/runtime';",
    );
    const readme = fileOf(generated, 'client/README.md');
    expect(readme).toContain("import { fileFromPath } from '@embedkit/runtime/node';");
    expect(readme).toContain('| `selfie` | `selfie` | `verifier_response` |');
  });
});
