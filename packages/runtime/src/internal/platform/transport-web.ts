/**
 * Default transport outside Node: the global fetch (looked up at call time).
 *
 * @internal
 * @module
 */
import { type FetchLike, createFetchTransport } from '../../fetch-transport.js';

let shared: FetchLike | undefined;

/** The default transport of this platform: `globalThis.fetch`, sending `embedkitBody` when present. */
export function getDefaultFetch(): FetchLike {
  shared ??= createFetchTransport();
  return shared;
}

/** Which transport {@link getDefaultFetch} returns: `'node'` (`createNodeFetch`, over undici) or `'fetch'` (`globalThis.fetch`). */
export const defaultTransportName: 'node' | 'fetch' = 'fetch';
