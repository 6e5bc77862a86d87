/**
 * `@embedkit/runtime`: the hand-written, spec-agnostic runtime that generated embedkit packages
 * build on. It signs requests with Kraken Embed's `API-Sign`, draws nonces, encodes multipart
 * bodies deterministically, retries safely, and reports failures as typed errors.
 *
 * This entry point runs on Node, Deno, Bun, browsers and workers: platform pieces are picked
 * through package.json `imports` conditions (`#crypto`, `#transport`). Node-only helpers live
 * in `@embedkit/runtime/node`.
 *
 * @packageDocumentation
 */
export { type SignableBody, bodySize } from './body.js';
export {
  EMBEDKIT_BODY,
  EMBEDKIT_SIGNAL,
  EMBEDKIT_TRANSPORT,
  type EmbedkitRequestOptions,
  type MultipartInit,
  getEmbedkitBody,
  getEmbedkitSignal,
  identity,
  isEmbedkitTransport,
  markEmbedkitTransport,
  multipartInit,
} from './side-channel.js';
export {
  type EmbedCore,
  type EmbedCoreOptions,
  type EmbedRequestBody,
  type EmbedRequestOptions,
  type EmbedRequestParams,
  type EmbedResponse,
  type HttpMethod,
  type RetryEvent,
  type VersionHeader,
  createEmbedCore,
  normalizeBaseUrl,
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
  EmbedTimeoutError,
  EmbedValidationError,
  type EmbedValidationErrorOptions,
  type KrakenError,
  type ValidationIssue,
  formatIssues,
  hasInvalidNonce,
  parseKrakenError,
  parseKrakenErrors,
  parseRetryAfter,
  requestIdFrom,
} from './errors.js';
export { type FetchLike, type GlobalFetch, createFetchTransport, toNetworkError } from './fetch-transport.js';
export {
  type EncodeMultipartOptions,
  type FileInput,
  type MultipartBody,
  type MultipartField,
  SMALL_BODY_BYTES,
  encodeMultipart,
  escapeDispositionValue,
  isMultipartBody,
  randomBoundary,
  validateBoundary,
} from './multipart.js';
export {
  MAX_NONCE,
  type NonceSource,
  type NonceSourceNextOptions,
  type NonceSourceOptions,
  createNonceSource,
  defaultNonceSource,
  epochNanoseconds,
} from './nonce.js';
export {
  DEFAULT_RETRY,
  type FailureKind,
  type ResolvedRetryOptions,
  type RetryDecision,
  type RetryOptions,
  type RetryState,
  classifyFailure,
  decideRetry,
  resolveRetryOptions,
} from './retry.js';
export {
  EMBED_SIGNATURE_SCHEME,
  type RequestSigner,
  type RequestSignerOptions,
  type SignInput,
  type SignatureScheme,
  computeApiSign,
  createRequestSigner,
  createSigningMiddleware,
  signedPathOf,
  validateSignatureScheme,
} from './signing.js';
export {
  type EmbedStandardSchema,
  type ValidationResult,
  type Validator,
  assertValid,
  issuePathSegments,
  toStandardSchema,
} from './standard-schema.js';
export { defaultTransportName, getDefaultFetch } from '#transport';
