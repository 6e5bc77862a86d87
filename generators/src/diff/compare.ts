/**
 * `embedkit diff`: compares two resolved OpenAPI documents the way a consumer of the generated
 * packages feels it: operations, status codes, parameters (the version header among them),
 * request bodies (fields and multipart parts with their encodings), responses and their headers,
 * security and servers. Each change is classified breaking, compatible or documentation-only.
 *
 * @module
 */
import { isObject, type Json, type JsonObject, type ResolvedSpec } from './resolve.js';
import { type Direction, diffSchema, record, type SchemaContext } from './schema.js';
import type { Change, DiffResult } from './types.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const obj = (value: Json | undefined): JsonObject => (isObject(value) ? value : {});
const arr = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);
const same = (a: Json | undefined, b: Json | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);
const DOCS = 'documentation only: TSDoc and READMEs change, code does not';

interface Operation {
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly op: JsonObject;
  readonly parameters: Map<string, JsonObject>;
  readonly security: Json[];
}

function operations(doc: JsonObject): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [path, item] of Object.entries(obj(doc['paths']))) {
    const pathItem = obj(item);
    for (const method of METHODS) {
      const op = pathItem[method];
      if (!isObject(op)) continue;
      const parameters = new Map<string, JsonObject>();
      for (const p of [...arr(pathItem['parameters']), ...arr(op['parameters'])]) {
        if (isObject(p) && typeof p['name'] === 'string') parameters.set(`${p['in']} ${p['name']}`, p);
      }
      const security = Array.isArray(op['security']) ? op['security'] : arr(doc['security']);
      const key = `${method.toUpperCase()} ${path}`;
      out.set(key, { key, method, path, op, parameters, security });
    }
  }
  return out;
}

function schemaContext(out: Change[], direction: Direction, rootSubject: string, location: string, multipart = false): SchemaContext {
  return { direction, rootSubject, location, multipart, out, seen: new Map() };
}

/** The value of a header parameter that carries the API version (`enum: [<info.version>]`), if it is one. */
function versionHeaderValue(param: JsonObject, doc: JsonObject): string | undefined {
  const version = obj(doc['info'])['version'];
  const schema = obj(param['schema']);
  const values = Array.isArray(schema['enum']) ? schema['enum'] : 'const' in schema ? [schema['const']!] : [];
  return param['in'] === 'header' && values.length === 1 && values[0] === version ? String(version) : undefined;
}

function diffParameters(out: Change[], a: Operation, b: Operation, oldDoc: JsonObject, newDoc: JsonObject): void {
  for (const [key, oldParam] of a.parameters) {
    const [where, name] = [oldParam['in'], oldParam['name']];
    const location = `${a.key} ${where} parameter \`${name}\``;
    const newParam = b.parameters.get(key);
    if (newParam === undefined) {
      record(out, 'breaking', 'request-parameter-removed', location, `${where} parameter \`${name}\` removed`, 'clients passing it fail to compile');
      continue;
    }
    const oldVersion = versionHeaderValue(oldParam, oldDoc);
    const newVersion = versionHeaderValue(newParam, newDoc);
    if (oldVersion !== undefined && newVersion !== undefined) {
      if (oldVersion !== newVersion) {
        record(out, 'compatible', 'version-header-changed', location, `API version header \`${name}\` changes from \`${oldVersion}\` to \`${newVersion}\``,
          "each version's client sends its own value; the version is part of the package names, so both install side by side");
      }
    } else {
      diffSchema(schemaContext(out, 'request', 'request-parameter', location), oldParam['schema'], newParam['schema']);
    }
    if (oldParam['required'] !== true && newParam['required'] === true) {
      record(out, 'breaking', 'request-parameter-became-required', location, `${where} parameter \`${name}\` became required`, 'clients that omit it fail to compile and are rejected');
    } else if (oldParam['required'] === true && newParam['required'] !== true) {
      record(out, 'compatible', 'request-parameter-became-optional', location, `${where} parameter \`${name}\` became optional`, 'clients that pass it keep working');
    }
    if (!same(oldParam['description'], newParam['description'])) {
      record(out, 'documentation', 'request-parameter-description-changed', location, 'description changed', DOCS);
    }
  }
  for (const [key, newParam] of b.parameters) {
    if (a.parameters.has(key)) continue;
    const [where, name] = [newParam['in'], newParam['name']];
    const required = newParam['required'] === true;
    record(out, required ? 'breaking' : 'compatible', `new-${required ? 'required' : 'optional'}-request-parameter`, `${b.key} ${where} parameter \`${name}\``,
      `new ${required ? 'required' : 'optional'} ${where} parameter \`${name}\``,
      required ? 'clients that do not pass it fail to compile and are rejected' : 'clients may pass it; existing calls keep working');
  }
}

function contentTypes(value: Json | undefined): Set<string> {
  return new Set(typeof value === 'string' ? value.split(',').map((t) => t.trim()).filter(Boolean) : []);
}

/** The top-level property names of a body schema, through oneOf/anyOf/allOf: the multipart parts. */
function partNames(schema: Json | undefined, into = new Set<string>(), seen = new Set<object>()): Set<string> {
  if (!isObject(schema) || seen.has(schema)) return into;
  seen.add(schema);
  for (const name of Object.keys(obj(schema['properties']))) into.add(name);
  for (const key of ['oneOf', 'anyOf', 'allOf']) for (const alt of arr(schema[key])) partNames(alt, into, seen);
  return into;
}

function diffEncoding(out: Change[], location: string, oldMedia: JsonObject, newMedia: JsonObject): void {
  const a = obj(oldMedia['encoding']);
  const b = obj(newMedia['encoding']);
  const oldParts = partNames(oldMedia['schema']);
  const newParts = partNames(newMedia['schema']);
  for (const part of new Set([...Object.keys(a), ...Object.keys(b)])) {
    // A part added or removed brings or takes its encoding; the part itself is reported.
    if (!oldParts.has(part) || !newParts.has(part)) continue;
    const before = contentTypes(obj(a[part])['contentType']);
    const after = contentTypes(obj(b[part])['contentType']);
    const loc = `${location}: ${part}`;
    const removed = [...before].filter((t) => !after.has(t));
    const added = [...after].filter((t) => !before.has(t));
    if (before.size === 0 && after.size > 0) {
      record(out, 'breaking', 'request-part-content-type-restricted', loc, `part \`${part}\` must now be sent as ${[...after].join(', ')}`,
        'parts sent with another media type are rejected');
    } else if (before.size > 0 && after.size === 0) {
      record(out, 'compatible', 'request-part-content-type-unrestricted', loc, `part \`${part}\` no longer restricted to ${[...before].join(', ')}`, 'every part that was valid stays valid');
    } else {
      if (removed.length > 0) {
        record(out, 'breaking', 'request-part-content-type-removed', loc, `part \`${part}\` no longer accepts ${removed.join(', ')}`,
          `clients sending ${removed.join(', ')} are rejected`);
      }
      if (added.length > 0) {
        record(out, 'compatible', 'request-part-content-type-added', loc, `part \`${part}\` now also accepts ${added.join(', ')}`, 'every part that was valid stays valid');
      }
    }
  }
}

function diffRequestBody(out: Change[], a: Operation, b: Operation): void {
  const oldBody = a.op['requestBody'];
  const newBody = b.op['requestBody'];
  const location = `${a.key} request body`;
  if (!isObject(oldBody) && !isObject(newBody)) return;
  if (!isObject(oldBody)) {
    const required = obj(newBody)['required'] === true;
    record(out, required ? 'breaking' : 'compatible', `request-body-added-${required ? 'required' : 'optional'}`, location,
      `${required ? 'required' : 'optional'} request body added`, required ? 'calls without a body are rejected' : 'calls without a body keep working');
    return;
  }
  if (!isObject(newBody)) {
    record(out, 'breaking', 'request-body-removed', location, 'request body removed', 'clients sending a body fail to compile');
    return;
  }
  if (oldBody['required'] !== true && newBody['required'] === true) {
    record(out, 'breaking', 'request-body-became-required', location, 'request body became required', 'calls without a body fail to compile and are rejected');
  } else if (oldBody['required'] === true && newBody['required'] !== true) {
    record(out, 'compatible', 'request-body-became-optional', location, 'request body became optional', 'calls with a body keep working');
  }
  if (!same(oldBody['description'], newBody['description'])) record(out, 'documentation', 'request-body-description-changed', location, 'description changed', DOCS);
  const oldContent = obj(oldBody['content']);
  const newContent = obj(newBody['content']);
  for (const [type, media] of Object.entries(oldContent)) {
    const mloc = `${location} ${type}`;
    const next = newContent[type];
    if (!isObject(next)) {
      record(out, 'breaking', 'request-media-type-removed', mloc, `request media type ${type} removed`, `clients sending ${type} are rejected`);
      continue;
    }
    const multipart = type.startsWith('multipart/');
    diffSchema(schemaContext(out, 'request', 'request-body', mloc, multipart), obj(media)['schema'], next['schema']);
    if (multipart) diffEncoding(out, mloc, obj(media), next);
    if (!same(obj(media)['examples'], next['examples']) || !same(obj(media)['example'], next['example'])) {
      record(out, 'documentation', 'request-example-changed', mloc, 'examples changed', DOCS);
    }
  }
  for (const type of Object.keys(newContent)) {
    if (!(type in oldContent)) {
      record(out, 'compatible', 'request-media-type-added', `${location} ${type}`, `request media type ${type} added`, 'existing requests keep their media type');
    }
  }
}

const isSuccess = (status: string): boolean => /^2/.test(status);

function diffResponses(out: Change[], a: Operation, b: Operation): void {
  const oldResponses = obj(a.op['responses']);
  const newResponses = obj(b.op['responses']);
  for (const [status, response] of Object.entries(oldResponses)) {
    const location = `${a.key} response ${status}`;
    const next = newResponses[status];
    if (!isObject(next)) {
      if (isSuccess(status)) {
        record(out, 'breaking', 'response-success-status-removed', location, `success status ${status} removed`, 'consumers expecting this result get another status');
      } else {
        record(out, 'compatible', 'response-non-success-status-removed', location, `error status ${status} removed`, 'the API no longer returns this error; error handling stays valid');
      }
      continue;
    }
    const old = obj(response);
    if (!same(old['description'], next['description'])) record(out, 'documentation', 'response-description-changed', location, 'description changed', DOCS);
    const oldHeaders = obj(old['headers']);
    const newHeaders = obj(next['headers']);
    for (const [name, header] of Object.entries(oldHeaders)) {
      const hloc = `${location} header \`${name}\``;
      if (!isObject(newHeaders[name])) {
        record(out, 'breaking', 'response-header-removed', hloc, `response header \`${name}\` removed`, 'consumers reading it no longer get it');
        continue;
      }
      diffSchema(schemaContext(out, 'response', 'response-header', hloc), obj(header)['schema'], obj(newHeaders[name])['schema']);
      if (obj(header)['required'] === true && obj(newHeaders[name])['required'] !== true) {
        record(out, 'breaking', 'response-header-became-optional', hloc, `response header \`${name}\` became optional`, 'consumers reading it must handle its absence');
      }
    }
    for (const name of Object.keys(newHeaders)) {
      if (!(name in oldHeaders)) {
        record(out, 'compatible', 'response-header-added', `${location} header \`${name}\``, `response header \`${name}\` added`, 'consumers that do not read it are unaffected');
      }
    }
    const oldContent = obj(old['content']);
    const newContent = obj(next['content']);
    for (const [type, media] of Object.entries(oldContent)) {
      const mloc = `${location} ${type}`;
      if (!isObject(newContent[type])) {
        record(out, 'breaking', 'response-media-type-removed', mloc, `response media type ${type} removed`, `consumers parsing ${type} get something else`);
        continue;
      }
      diffSchema(schemaContext(out, 'response', 'response-body', mloc), obj(media)['schema'], obj(newContent[type])['schema']);
    }
    for (const type of Object.keys(newContent)) {
      if (!(type in oldContent)) {
        record(out, 'compatible', 'response-media-type-added', `${location} ${type}`, `response media type ${type} added`, 'returned only when asked for');
      }
    }
  }
  for (const status of Object.keys(newResponses)) {
    if (status in oldResponses) continue;
    record(out, 'compatible', isSuccess(status) ? 'response-success-status-added' : 'response-non-success-status-added', `${b.key} response ${status}`,
      `${isSuccess(status) ? 'success' : 'error'} status ${status} added`,
      isSuccess(status) ? 'a new result; existing results keep their status' : 'surfaces as the typed API error consumers already handle');
  }
}

function requirementKey(requirement: Json): string {
  return Object.keys(obj(requirement)).sort().join(' + ') || '(none)';
}

function diffSecurity(out: Change[], a: Operation, b: Operation): void {
  const before = new Set(a.security.map(requirementKey));
  const after = new Set(b.security.map(requirementKey));
  // No requirement, or an empty one among the alternatives, means calls may go unauthenticated.
  const optional = (set: Set<string>) => set.size === 0 || set.has('(none)');
  const location = `${a.key} security`;
  if (optional(before) && !optional(after)) {
    record(out, 'breaking', 'security-became-required', location, `authentication now required (${[...after].join(' or ')})`, 'calls without credentials are now rejected');
    return;
  }
  if (!optional(before) && optional(after)) {
    record(out, 'compatible', 'security-became-optional', location, 'authentication no longer required', 'calls with credentials keep working');
    return;
  }
  for (const req of after) {
    if (!before.has(req) && req !== '(none)') {
      record(out, 'compatible', 'security-alternative-added', location, `security requirement ${req} added as an alternative`, 'another way to authenticate; existing credentials keep working');
    }
  }
  for (const req of before) {
    if (!after.has(req) && req !== '(none)') {
      record(out, 'breaking', 'security-alternative-removed', location, `security requirement ${req} removed`, 'clients authenticating this way are rejected');
    }
  }
}

function diffSecuritySchemes(out: Change[], oldDoc: JsonObject, newDoc: JsonObject): void {
  const a = obj(obj(oldDoc['components'])['securitySchemes']);
  const b = obj(obj(newDoc['components'])['securitySchemes']);
  for (const [name, scheme] of Object.entries(a)) {
    const location = `security scheme \`${name}\``;
    const next = b[name];
    if (!isObject(next)) continue; // reported through the requirements that use it
    const old = obj(scheme);
    for (const key of ['type', 'in', 'name', 'scheme', 'bearerFormat']) {
      if (!same(old[key], next[key])) {
        record(out, 'breaking', 'security-scheme-changed', location, `${key} changed from ${JSON.stringify(old[key])} to ${JSON.stringify(next[key])}`,
          'credentials sent the old way are rejected');
      }
    }
    for (const key of new Set([...Object.keys(old), ...Object.keys(next)])) {
      if (key.startsWith('x-') && !same(old[key], next[key])) {
        record(out, 'breaking', 'security-scheme-extension-changed', location, `\`${key}\` changed`,
          'the generated signing package signs differently; signatures made the old way are rejected');
      }
    }
    if (!same(old['description'], next['description'])) record(out, 'documentation', 'security-scheme-description-changed', location, 'description changed', DOCS);
  }
}

function diffServers(out: Change[], oldDoc: JsonObject, newDoc: JsonObject): void {
  const urls = (doc: JsonObject) => arr(doc['servers']).map((s) => String(obj(s)['url']));
  const before = urls(oldDoc);
  const after = urls(newDoc);
  for (const url of before) {
    if (!after.includes(url)) {
      const wasDefault = before[0] === url;
      record(out, 'breaking', 'server-removed', `server ${url}`, `server ${url} removed`,
        wasDefault ? "it was the generated client's default base URL; clients relying on the default call another host" : 'clients configured with this base URL fail');
    }
  }
  for (const url of after) {
    if (!before.includes(url)) {
      const isDefault = after[0] === url && before[0] !== url && before.length > 0 && after.includes(before[0]!);
      record(out, isDefault ? 'breaking' : 'compatible', 'server-added', `server ${url}`, `server ${url} added${isDefault ? ' as the default' : ''}`,
        isDefault ? "the generated client's default base URL changes" : 'an additional base URL; the default is unchanged');
    }
  }
}

function diffOperation(out: Change[], a: Operation, b: Operation, oldDoc: JsonObject, newDoc: JsonObject): void {
  const location = a.key;
  if (!same(a.op['operationId'], b.op['operationId'])) {
    record(out, 'breaking', 'operation-id-changed', location, `operationId changed from ${JSON.stringify(a.op['operationId'])} to ${JSON.stringify(b.op['operationId'])}`,
      'the generated operation types and names derived from it change');
  }
  for (const key of Object.keys({ ...a.op, ...b.op })) {
    if (key.startsWith('x-embed-') && !same(a.op[key], b.op[key])) {
      record(out, 'breaking', 'operation-client-binding-changed', location, `\`${key}\` changed from ${JSON.stringify(a.op[key])} to ${JSON.stringify(b.op[key])}`,
        'the generated client helper for this operation is renamed or moved');
    }
  }
  if (a.op['deprecated'] !== true && b.op['deprecated'] === true) {
    record(out, 'compatible', 'endpoint-deprecated', location, 'operation deprecated', 'still works; plan to move away from it');
  }
  for (const key of ['summary', 'description']) {
    if (!same(a.op[key], b.op[key])) record(out, 'documentation', `endpoint-${key}-changed`, location, `${key} changed`, DOCS);
  }
  diffParameters(out, a, b, oldDoc, newDoc);
  diffRequestBody(out, a, b);
  diffResponses(out, a, b);
  diffSecurity(out, a, b);
}

/** Every change between two resolved specs, in document order; breaking changes first within each location. */
export function diffSpecs(oldSpec: ResolvedSpec, newSpec: ResolvedSpec): DiffResult {
  const out: Change[] = [];
  const oldDoc = oldSpec.document;
  const newDoc = newSpec.document;
  diffServers(out, oldDoc, newDoc);
  diffSecuritySchemes(out, oldDoc, newDoc);
  const before = operations(oldDoc);
  const after = operations(newDoc);
  for (const [key, op] of before) {
    const next = after.get(key);
    if (next === undefined) {
      record(out, 'breaking', 'endpoint-removed', key, 'operation removed', 'calls to it fail to compile and the API answers 404 or 405');
    } else {
      diffOperation(out, op, next, oldDoc, newDoc);
    }
  }
  for (const key of after.keys()) {
    if (!before.has(key)) record(out, 'compatible', 'endpoint-added', key, 'operation added', 'new; existing calls are unaffected');
  }
  const oldInfo = obj(oldDoc['info']);
  const newInfo = obj(newDoc['info']);
  for (const key of ['title', 'summary', 'description']) {
    if (!same(oldInfo[key], newInfo[key])) record(out, 'documentation', `api-${key}-changed`, 'info', `info.${key} changed`, DOCS);
  }
  return { from: oldSpec.label, to: newSpec.label, changes: dedupe(out) };
}

/** A schema shared by several places reports the same change once per location; drop exact repeats. */
function dedupe(changes: Change[]): Change[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const key = `${c.rule}\u0000${c.location}\u0000${c.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
