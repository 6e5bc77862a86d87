/**
 * Loads a spec for `embedkit diff`: bundled by Redocly (external `$ref`s inlined), then every
 * local `$ref` replaced by the object it points to. A cyclic schema becomes a cyclic object
 * graph (the same object reached again), which the diff walks with a visited set. Independent of
 * the generator's model on purpose: the diff compares what the documents say.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { bundleFromString, createConfig } from '@redocly/openapi-core';
import { EmbedkitSpecError } from '../errors.js';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** A spec ready to compare: its name (version or path) and its fully resolved document. */
export interface ResolvedSpec {
  readonly label: string;
  readonly document: JsonObject;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unescapePointer(token: string): string {
  return decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Replaces every local `$ref` in `root` by its target; sibling keys of a `$ref` override the target's. */
export function dereference(root: JsonObject, file: string): JsonObject {
  const done = new Map<string, Json>();

  const lookup = (ref: string): Json => {
    if (!ref.startsWith('#')) {
      throw new EmbedkitSpecError([{ file, pointer: ref, problem: `unresolved external $ref ${JSON.stringify(ref)}` }]);
    }
    let node: Json = root;
    for (const token of ref.slice(1).split('/').filter((t) => t !== '').map(unescapePointer)) {
      const next: Json | undefined = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
      if (next === undefined) throw new EmbedkitSpecError([{ file, pointer: ref, problem: `broken $ref ${JSON.stringify(ref)}` }]);
      node = next;
    }
    return node;
  };

  const resolveRef = (ref: string, chain: readonly string[]): Json => {
    const cached = done.get(ref);
    if (cached !== undefined) return cached;
    const target = lookup(ref);
    if (isObject(target) && typeof target['$ref'] === 'string' && Object.keys(target).length === 1) {
      if (chain.includes(ref)) throw new EmbedkitSpecError([{ file, pointer: ref, problem: 'a $ref that only points to itself' }]);
      const value = resolveRef(target['$ref'], [...chain, ref]);
      done.set(ref, value);
      return value;
    }
    if (!isObject(target) && !Array.isArray(target)) return target;
    // Register the (still empty) copy first, so a cycle back to this ref finds it.
    const copy: JsonObject | Json[] = Array.isArray(target) ? [] : {};
    done.set(ref, copy);
    fill(copy, target);
    return copy;
  };

  const walk = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      const target = resolveRef(ref, []);
      const siblings = Object.keys(node).filter((k) => k !== '$ref');
      if (siblings.length === 0 || !isObject(target)) return target;
      const merged: JsonObject = { ...target };
      for (const key of siblings) merged[key] = walk(node[key]!);
      return merged;
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) out[key] = walk(value);
    return out;
  };

  const fill = (copy: JsonObject | Json[], source: JsonObject | Json[]): void => {
    if (Array.isArray(source)) {
      for (const item of source) (copy as Json[]).push(walk(item));
    } else {
      for (const [key, value] of Object.entries(source)) (copy as JsonObject)[key] = walk(value);
    }
  };

  return walk(root) as JsonObject;
}

/** Bundles and resolves a spec given as text (`absolutePath` resolves relative external refs). */
export async function resolveSpecText(text: string, absolutePath: string, label: string): Promise<ResolvedSpec> {
  const config = await createConfig({});
  const { bundle, problems } = await bundleFromString({ source: text, absoluteRef: absolutePath, config });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    throw new EmbedkitSpecError(errors.map((p) => ({ file: label, pointer: p.location[0]?.pointer ?? '#', problem: p.message })));
  }
  const parsed = bundle.parsed as unknown;
  if (!isObject(parsed)) throw new EmbedkitSpecError([{ file: label, pointer: '#', problem: 'the spec must be a YAML or JSON object' }]);
  return { label, document: dereference(parsed, label) };
}

/** Reads, bundles and resolves a spec file. */
export async function resolveSpecFile(path: string, label = path): Promise<ResolvedSpec> {
  const absolutePath = resolvePath(path);
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch {
    throw new EmbedkitSpecError([{ file: label, pointer: '#', problem: 'cannot read the spec: file not found' }]);
  }
  return resolveSpecText(text, absolutePath, label);
}
