/**
 * Node-only helpers: lazy file uploads and the undici-based transport. Import from
 * `@embedkit/runtime/node`.
 *
 * @module
 */
export { type FileFromPathOptions, fileFromPath } from './file.js';
export { type NodeFetch, type NodeFetchOptions, createNodeFetch } from './fetch.js';
