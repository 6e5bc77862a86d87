/**
 * `@embedkit/runtime`: the hand-written, spec-agnostic runtime that generated embedkit packages
 * build on. It signs requests with Kraken Embed's `API-Sign` (as an openapi-fetch middleware),
 * draws nonces, encodes multipart bodies deterministically, sends every request through one
 * openapi-fetch pipeline with retries, deadlines and a response size limit, and reports every
 * failure as a typed error.
 *
 * This entry point runs on Node, Deno, Bun, browsers and workers: platform pieces are picked
 * through package.json `imports` conditions (`#crypto`, `#transport`). Node-only helpers live
 * in `@embedkit/runtime/node`.
 *
 * @packageDocumentation
 */
export type { SignableBody } from './internal/body.js';
export {
  type EmbedCore,
  type EmbedCoreOptions,
  type EmbedRequestBody,
  type EmbedRequestOptions,
  type EmbedRequestParams,
  type EmbedResponse,
  type HttpMethod,
  type RequestEvent,
  type ResponseEvent,
  type RetryEvent,
  type VersionHeader,
  createEmbedCore,
} from './core.js';
export { ApiCredentials, type CredentialsInput, type RedactedCredentials } from './credentials.js';
export {
  EmbedAbortError,
  EmbedApiError,
  type EmbedApiErrorInit,
  EmbedConfigError,
  type EmbedConfigErrorOptions,
  EmbedError,
  type EmbedErrorCode,
  type EmbedErrorOptions,
  EmbedNetworkError,
  type EmbedNetworkErrorOptions,
  EmbedResponseTooLargeError,
  EmbedTimeoutError,
  EmbedValidationError,
  type EmbedValidationErrorOptions,
  type KrakenError,
  type ValidationIssue,
  formatIssues,
  parseKrakenError,
  parseKrakenErrors,
} from './errors.js';
export { type FetchLike, type GlobalFetch, createFetchTransport } from './fetch-transport.js';
export {
  type EncodeMultipartOptions,
  type FileInput,
  type MultipartBody,
  type MultipartField,
  encodeMultipart,
} from './multipart.js';
export {
  MAX_NONCE,
  type NonceRequestOptions,
  type NonceSource,
  type NonceSourceOptions,
  createNonceSource,
  defaultNonceSource,
  epochNanoseconds,
} from './nonce.js';
export { DEFAULT_RETRY, type RetryOptions } from './retry.js';
export {
  type RequestSigner,
  type RequestSignerOptions,
  type SignInput,
  type SignatureScheme,
  computeApiSign,
  createRequestSigner,
  createSigningMiddleware,
} from './signing.js';
export {
  type EmbedStandardSchema,
  type ValidationResult,
  type Validator,
  assertValid,
  toStandardSchema,
} from './standard-schema.js';
