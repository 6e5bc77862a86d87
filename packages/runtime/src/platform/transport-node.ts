/**
 * Default transport on Node: node:http with keep-alive agents (see `createNodeFetch`).
 *
 * @internal
 * @module
 */
import type { FetchLike } from '../fetch-transport.js';
import { type NodeFetch, createNodeFetch } from '../node/fetch.js';

let shared: NodeFetch | undefined;

/** The default transport of this platform: one process-wide `createNodeFetch()` (created on first use). */
export function getDefaultFetch(): FetchLike {
  shared ??= createNodeFetch();
  return shared;
}

/** Which transport {@link getDefaultFetch} returns. */
export const defaultTransportName: 'node-http' | 'fetch' = 'node-http';
