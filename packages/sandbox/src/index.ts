/**
 * `@embedkit/sandbox`: a local, spec-driven Embed API server for tests and demos. It verifies
 * API-Key, API-Nonce and API-Sign with its own code, validates requests against the OpenAPI
 * document with Ajv, records accepted submissions, and can inject faults.
 *
 * @packageDocumentation
 */
export {
  computeSignature,
  createBodyHash,
  MAX_NONCE,
  NonceTracker,
  parseNonce,
  type SignatureInput,
  signatureFromBodyDigest,
  signatureMatches,
  verifySignature,
} from './auth.js';
export { SandboxHttpError } from './errors.js';
export { FAULT_HEADER, type Fault, parseFaults } from './faults.js';
export {
  DEFAULT_LIMITS,
  DEFAULT_TIMEOUTS,
  type RequestLogEntry,
  type SandboxFaultOptions,
  type SandboxLimits,
  type SandboxLogger,
  type SandboxOptions,
  type SandboxTimeouts,
} from './options.js';
export { type ResetOptions, type Sandbox, SANDBOX_PREFIX, type SubmissionFilter, startSandbox } from './server.js';
export { type BodySpec, type LoadedSpec, type OperationSpec, type RouteMatch, loadSpec, resolveSpecPath, shippedSpecs } from './spec.js';
export { decodeUtf8, parseStrictJson, type StrictJson } from './text.js';
export { type RecordedFile, type RequiredAction, type SubmissionRecord, VERIFICATION_REQUIREMENTS } from './store.js';
