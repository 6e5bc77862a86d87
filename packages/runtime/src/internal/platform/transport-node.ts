/**
 * Default transport on Node: undici's dispatcher with keep-alive connections (see `createNodeFetch`).
 *
 * @internal
 * @module
 */
import type { FetchLike } from '../../fetch-transport.js';
import { type NodeFetch, createNodeFetch } from '../../node/fetch.js';

let shared: NodeFetch | undefined;

/** The default transport of this platform: one process-wide `createNodeFetch()` (created on first use). */
export function getDefaultFetch(): FetchLike {
  shared ??= createNodeFetch();
  return shared;
}

/** Which transport {@link getDefaultFetch} returns: `'node'` (`createNodeFetch`, over undici) or `'fetch'` (`globalThis.fetch`). */
export const defaultTransportName: 'node' | 'fetch' = 'node';
