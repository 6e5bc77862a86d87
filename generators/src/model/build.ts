/**
 * Turns a loaded (bundled, structurally valid) spec into the normalized {@link ApiModel}.
 * Every problem found is collected, then reported at once with its file, JSON Pointer and line.
 *
 * @module
 */
import { EmbedkitSpecError, type SpecProblem } from '../errors.js';
import type { LoadedSpec } from './load.js';
import { isIdentifier, pascalCase, RESERVED_TYPE_NAMES, RESERVED_VALIDATOR_NAMES, singular, validatorNames } from './names.js';
import { normalizeSchema, type ProblemSink, type SchemaContext } from './schema.js';
import { childPointer } from './source.js';
import type {
  ApiModel,
  MultipartModel,
  MultipartPart,
  NamedSchema,
  OperationModel,
  ParameterModel,
  RefSchema,
  RequestBodyModel,
  ResponseModel,
  Schema,
  ServerModel,
  SignatureModel,
} from './types.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const UNSUPPORTED_METHODS = ['head', 'options', 'trace'];
const SIGNATURE_FIELDS = ['keyScheme', 'nonceScheme', 'secretEncoding', 'hmac', 'bodyHash', 'signedPath', 'message', 'output', 'nonce'];

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Collects problems with their positions. */
class Problems implements ProblemSink {
  readonly list: SpecProblem[] = [];
  constructor(private readonly loaded: LoadedSpec) {}
  report(pointer: string, problem: string): void {
    const pos = this.loaded.locator.locate(pointer);
    this.list.push({ file: this.loaded.displayPath, pointer, problem, line: pos?.line, column: pos?.column });
  }
}

/** Resolves a local `$ref` to a component of the given kind, reporting a problem if it is not one. */
function resolveComponent(
  document: Json,
  node: unknown,
  pointer: string,
  kind: string,
  problems: Problems,
): { node: Json; pointer: string } | undefined {
  if (!isRecord(node)) {
    problems.report(pointer, 'expected an object');
    return undefined;
  }
  if (!('$ref' in node)) return { node, pointer };
  const ref = node['$ref'];
  const prefix = `#/components/${kind}/`;
  if (typeof ref !== 'string' || !ref.startsWith(prefix)) {
    problems.report(childPointer(pointer, '$ref'), `expected a reference to "${prefix}<name>", got ${JSON.stringify(ref)}`);
    return undefined;
  }
  const name = ref.slice(prefix.length);
  const components = isRecord(document['components']) ? document['components'] : {};
  const group = isRecord(components[kind]) ? components[kind] : {};
  const target = group[name];
  if (!isRecord(target)) {
    problems.report(childPointer(pointer, '$ref'), `broken $ref ${JSON.stringify(ref)}: nothing exists at that location`);
    return undefined;
  }
  return resolveComponent(document, target, ref, kind, problems);
}

/**
 * Builds the model of one spec. `apiVersion` is the version the spec is filed under (its folder
 * name); the spec's `info.version` must match it.
 */
export function buildModel(loaded: LoadedSpec, apiVersion: string): ApiModel {
  const problems = new Problems(loaded);
  const doc = loaded.document;

  const openapi = doc['openapi'];
  if (typeof openapi !== 'string' || !openapi.startsWith('3.1.')) {
    problems.report('#/openapi', `embedkit reads OpenAPI 3.1 documents, got openapi: ${JSON.stringify(openapi)}`);
  }
  const info = isRecord(doc['info']) ? doc['info'] : {};
  if (info['version'] !== apiVersion) {
    problems.report(
      '#/info/version',
      `info.version ${JSON.stringify(info['version'])} does not match the API version the spec is filed under ("${apiVersion}")`,
    );
  }

  const components = isRecord(doc['components']) ? doc['components'] : {};
  const componentSchemas = isRecord(components['schemas']) ? components['schemas'] : {};
  const schemaCtx: SchemaContext = { problems, componentSchemas };

  // Named schemas, in spec order.
  const schemas: NamedSchema[] = [];
  for (const [name, node] of Object.entries(componentSchemas)) {
    const pointer = childPointer('#/components/schemas', name);
    if (!isIdentifier(name)) {
      problems.report(pointer, `schema name "${name}" is not a valid TypeScript identifier`);
      continue;
    }
    if (RESERVED_TYPE_NAMES.includes(name)) {
      problems.report(pointer, `schema name "${name}" is reserved by the types package`);
    }
    schemas.push({
      name,
      schema: normalizeSchema(node, pointer, schemaCtx),
      typeExpression: `components["schemas"][${JSON.stringify(name)}]`,
    });
  }
  const schemaByName = new Map(schemas.map((s) => [s.name, s]));

  const signature = buildSignature(doc, components, problems);
  const servers = buildServers(doc, problems);

  let versionHeader: ApiModel['versionHeader'];
  const operations: OperationModel[] = [];
  const helperKeys = new Set<string>();
  let operationCount = 0;
  const paths = isRecord(doc['paths']) ? doc['paths'] : {};
  for (const [path, itemNode] of Object.entries(paths)) {
    const itemPointer = childPointer('#/paths', path);
    if (!isRecord(itemNode)) continue;
    if ('$ref' in itemNode) {
      problems.report(childPointer(itemPointer, '$ref'), 'path item $refs are not supported');
      continue;
    }
    for (const method of UNSUPPORTED_METHODS) {
      if (method in itemNode) problems.report(childPointer(itemPointer, method), `"${method}" operations are not supported`);
    }
    for (const [method, opNode] of Object.entries(itemNode)) {
      if (!(METHODS as readonly string[]).includes(method) || !isRecord(opNode)) continue;
      operationCount++;
      const op = buildOperation({
        doc,
        path,
        method: method as OperationModel['method'],
        pathItem: itemNode,
        opNode,
        pointer: childPointer(itemPointer, method),
        apiVersion,
        schemaCtx,
        schemas,
        schemaByName,
        signature,
        problems,
        onVersionHeader: (header) => {
          versionHeader ??= header;
        },
      });
      if (!op) continue;
      const key = `${op.client.group}.${op.client.method}`;
      if (helperKeys.has(key)) {
        problems.report(childPointer(itemPointer, method, 'x-embed-client'), `two operations map to client.${key}`);
      }
      helperKeys.add(key);
      operations.push(op);
    }
  }
  if (operationCount === 0) problems.report('#/paths', 'the spec has no operations');

  checkNameCollisions(schemas, operations, problems);

  if (problems.list.length > 0) throw new EmbedkitSpecError(problems.list);

  return {
    apiVersion,
    spec: { displayPath: loaded.displayPath, hash: loaded.hash, shortHash: loaded.hash.slice(0, 12) },
    info: {
      title: str(info['title']) ?? 'API',
      summary: str(info['summary']),
      description: str(info['description']),
    },
    servers,
    signature: signature as SignatureModel,
    versionHeader,
    operations,
    schemas,
    document: doc,
  };
}

function buildServers(doc: Json, problems: Problems): ServerModel[] {
  const servers: ServerModel[] = [];
  const list = Array.isArray(doc['servers']) ? doc['servers'] : [];
  list.forEach((s, i) => {
    if (!isRecord(s) || typeof s['url'] !== 'string') return;
    if ('variables' in s) {
      problems.report(childPointer('#/servers', i, 'variables'), 'server variables are not supported');
    }
    servers.push({ url: s['url'], description: str(s['description']) });
  });
  return servers;
}

function buildSignature(doc: Json, components: Json, problems: Problems): SignatureModel | undefined {
  const schemes = isRecord(components['securitySchemes']) ? components['securitySchemes'] : {};
  const carriers = Object.entries(schemes).filter(([, s]) => isRecord(s) && 'x-embed-signature' in s);
  if (carriers.length === 0) {
    problems.report(
      '#/components/securitySchemes',
      'no security scheme declares "x-embed-signature" (the request-signing algorithm); the signing package is generated from it',
    );
    return undefined;
  }
  if (carriers.length > 1) {
    problems.report('#/components/securitySchemes', `only one security scheme may declare "x-embed-signature", found ${carriers.map(([n]) => n).join(', ')}`);
  }
  const [schemeName, schemeNode] = carriers[0] as [string, Json];
  const schemePointer = childPointer('#/components/securitySchemes', schemeName);
  const extPointer = childPointer(schemePointer, 'x-embed-signature');
  const ext = schemeNode['x-embed-signature'];
  if (!isRecord(ext)) {
    problems.report(extPointer, '"x-embed-signature" must be an object');
    return undefined;
  }
  for (const key of Object.keys(ext)) {
    if (!SIGNATURE_FIELDS.includes(key)) problems.report(childPointer(extPointer, key), `unknown x-embed-signature field "${key}"`);
  }
  const headerOf = (name: unknown, pointer: string, role: string): string => {
    const scheme = typeof name === 'string' ? schemes[name] : undefined;
    if (!isRecord(scheme) || scheme['type'] !== 'apiKey' || scheme['in'] !== 'header' || typeof scheme['name'] !== 'string') {
      problems.report(pointer, `${role} must name an "apiKey" security scheme sent in a header, got ${JSON.stringify(name)}`);
      return '';
    }
    return scheme['name'];
  };
  const signHeader = headerOf(schemeName, schemePointer, 'the scheme carrying x-embed-signature');
  const keyHeader = headerOf(ext['keyScheme'], childPointer(extPointer, 'keyScheme'), 'keyScheme');
  const nonceHeader = headerOf(ext['nonceScheme'], childPointer(extPointer, 'nonceScheme'), 'nonceScheme');
  const oneOf = <T extends string>(key: string, allowed: readonly T[]): T => {
    const value = ext[key];
    if (!allowed.includes(value as T)) {
      problems.report(
        childPointer(extPointer, key),
        `${key} ${value === undefined ? 'is missing' : `${JSON.stringify(value)} is not supported`}: the runtime signer implements ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
      );
    }
    return (value ?? allowed[0]) as T;
  };
  const secretEncoding = oneOf('secretEncoding', ['base64'] as const);
  const hmac = oneOf('hmac', ['SHA-512'] as const);
  const bodyHash = oneOf('bodyHash', ['SHA-256'] as const);
  const signedPath = oneOf('signedPath', ['path-with-query'] as const);
  if ('output' in ext && ext['output'] !== 'base64') {
    problems.report(childPointer(extPointer, 'output'), `output ${JSON.stringify(ext['output'])} is not supported: the runtime signer emits "base64"`);
  }
  // Every operation must be signed with the key, nonce and signature together.
  const security = Array.isArray(doc['security']) ? doc['security'] : [];
  for (const [i, requirement] of security.entries()) {
    if (isRecord(requirement) && schemeName in requirement) {
      for (const needed of [ext['keyScheme'], ext['nonceScheme']]) {
        if (typeof needed === 'string' && !(needed in requirement)) {
          problems.report(childPointer('#/security', i), `a requirement with "${schemeName}" must also list "${needed}"`);
        }
      }
    }
  }
  return {
    schemeName,
    keyHeader,
    nonceHeader,
    signHeader,
    secretEncoding,
    hmac,
    bodyHash,
    signedPath,
    message: str(ext['message']),
    description: str(schemeNode['description']),
  };
}

interface OperationInput {
  doc: Json;
  path: string;
  method: OperationModel['method'];
  pathItem: Json;
  opNode: Json;
  pointer: string;
  apiVersion: string;
  schemaCtx: SchemaContext;
  schemas: NamedSchema[];
  schemaByName: Map<string, NamedSchema>;
  signature: SignatureModel | undefined;
  problems: Problems;
  onVersionHeader(header: { name: string; value: string }): void;
}

function buildOperation(input: OperationInput): OperationModel | undefined {
  const { doc, path, method, pathItem, opNode, pointer, problems } = input;
  const operationId = opNode['operationId'];
  if (typeof operationId !== 'string' || !isIdentifier(operationId)) {
    problems.report(
      childPointer(pointer, 'operationId'),
      operationId === undefined ? 'every operation needs an operationId' : `operationId ${JSON.stringify(operationId)} is not a valid identifier`,
    );
    return undefined;
  }
  const typeBaseName = pascalCase(operationId);
  const clientExt = opNode['x-embed-client'];
  const clientPointer = childPointer(pointer, 'x-embed-client');
  if (
    !isRecord(clientExt) ||
    typeof clientExt['group'] !== 'string' ||
    typeof clientExt['method'] !== 'string' ||
    !isIdentifier(clientExt['group']) ||
    !isIdentifier(clientExt['method'])
  ) {
    problems.report(
      clientExt === undefined ? pointer : clientPointer,
      'missing or invalid "x-embed-client: { group, method }" (identifiers): the client helper client.<group>.<method>() is named from it',
    );
    return undefined;
  }
  const client = { group: clientExt['group'], method: clientExt['method'] };

  // Parameters: path-item level, overridden by operation level (same name + in).
  const merged = new Map<string, { node: Json; pointer: string }>();
  for (const [owner, ownerPointer] of [
    [pathItem, childPointer('#/paths', path)],
    [opNode, pointer],
  ] as const) {
    const list = Array.isArray(owner['parameters']) ? owner['parameters'] : [];
    list.forEach((p, i) => {
      const resolved = resolveComponent(doc, p, childPointer(ownerPointer, 'parameters', i), 'parameters', problems);
      if (!resolved) return;
      merged.set(`${String(resolved.node['in'])}:${String(resolved.node['name'])}`, resolved);
    });
  }
  const pathParams: ParameterModel[] = [];
  const headerParams: ParameterModel[] = [];
  for (const { node, pointer: pp } of merged.values()) {
    const name = String(node['name']);
    const where = node['in'];
    if (where !== 'path' && where !== 'header') {
      problems.report(childPointer(pp, 'in'), `"${String(where)}" parameters are not supported by the client emitter yet`);
      continue;
    }
    for (const key of ['style', 'explode', 'content', 'allowReserved']) {
      if (key in node) problems.report(childPointer(pp, key), `parameter "${key}" is not supported`);
    }
    const schema = normalizeSchema(node['schema'] ?? {}, childPointer(pp, 'schema'), input.schemaCtx);
    const param: ParameterModel = {
      name,
      in: where,
      required: node['required'] === true,
      schema,
      description: str(node['description']),
    };
    if (where === 'path') {
      if (!param.required) problems.report(childPointer(pp, 'required'), 'path parameters must be required');
      if (resolveSchemaKind(schema, input.schemaByName) !== 'string') {
        problems.report(childPointer(pp, 'schema'), 'path parameters must be strings');
      }
      pathParams.push(param);
    } else {
      const values = schema.kind === 'string' ? (schema.enum ?? (schema.const === undefined ? undefined : [schema.const])) : undefined;
      if (values?.length === 1 && values[0] === input.apiVersion) {
        input.onVersionHeader({ name, value: input.apiVersion });
      } else {
        problems.report(
          pp,
          `header parameter "${name}" is not supported: the only header the client sets from the spec is the API version header (a string enum holding exactly "${input.apiVersion}")`,
        );
      }
      headerParams.push(param);
    }
  }
  const templateNames = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  for (const name of templateNames) {
    if (!pathParams.some((p) => p.name === name)) problems.report(childPointer('#/paths', path), `path parameter "{${name}}" is not declared`);
  }
  for (const p of pathParams) {
    if (!templateNames.includes(p.name)) problems.report(childPointer('#/paths', path), `parameter "${p.name}" is not in the path template`);
  }
  pathParams.sort((a, b) => templateNames.indexOf(a.name) - templateNames.indexOf(b.name));

  const requestBody = buildRequestBody(input, operationId, typeBaseName, client.group);
  const responses = buildResponses(input, operationId, typeBaseName);
  const successes = responses.filter(
    (r): r is ResponseModel & { status: number; schema: RefSchema } =>
      typeof r.status === 'number' && r.status >= 200 && r.status < 300 && r.schema !== undefined,
  );
  if (successes.length !== 1) {
    problems.report(
      childPointer(pointer, 'responses'),
      `expected exactly one 2xx response with an application/json body, found ${successes.length}`,
    );
    return undefined;
  }
  const success = successes[0]!;
  const successSchema = input.schemaByName.get(success.schema.name)?.schema;
  const resultProperty =
    successSchema?.kind === 'object' && successSchema.properties.some((p) => p.name === 'result' && p.required) ? 'result' : undefined;

  const security = Array.isArray(opNode['security']) ? opNode['security'] : Array.isArray(doc['security']) ? doc['security'] : [];
  const signed = input.signature !== undefined && security.some((r) => isRecord(r) && input.signature!.schemeName in r);

  return {
    operationId,
    typeBaseName,
    method,
    path,
    summary: str(opNode['summary']),
    description: str(opNode['description']),
    tags: Array.isArray(opNode['tags']) ? opNode['tags'].filter((t): t is string => typeof t === 'string') : [],
    client,
    pathParams,
    headerParams,
    requestBody,
    responses,
    success,
    resultProperty,
    resultTypeName: `${typeBaseName}Result`,
    signed,
  };
}

/** Follows `$ref`s to the kind of the target schema. */
function resolveSchemaKind(schema: Schema, byName: Map<string, NamedSchema>): Schema['kind'] {
  return resolveSchema(schema, byName).kind;
}

/** Follows `$ref`s to the target schema (stops on cycles). */
export function resolveSchema(schema: Schema, byName: ReadonlyMap<string, NamedSchema>): Schema {
  let current = schema;
  const seen = new Set<string>();
  while (current.kind === 'ref' && !seen.has(current.name)) {
    seen.add(current.name);
    const next = byName.get(current.name);
    if (!next) break;
    current = next.schema;
  }
  return current;
}

/** Makes a body or response schema a reference, registering an inline schema under a synthesized name. */
function asNamedRef(input: OperationInput, schema: Schema, name: string, typeExpression: string): RefSchema {
  if (schema.kind === 'ref') return schema;
  if (input.schemaByName.has(name)) {
    input.problems.report(schema.pointer, `an inline schema here would be named "${name}", which is already a component schema`);
  }
  const named: NamedSchema = { name, schema, typeExpression };
  input.schemas.push(named);
  input.schemaByName.set(name, named);
  return { kind: 'ref', name, pointer: schema.pointer, description: schema.description };
}

function buildRequestBody(input: OperationInput, operationId: string, base: string, group: string): RequestBodyModel | undefined {
  const { opNode, pointer, problems } = input;
  if (!('requestBody' in opNode)) return undefined;
  const resolved = resolveComponent(input.doc, opNode['requestBody'], childPointer(pointer, 'requestBody'), 'requestBodies', problems);
  if (!resolved) return undefined;
  const content = isRecord(resolved.node['content']) ? resolved.node['content'] : {};
  const mediaTypes = Object.keys(content);
  const contentPointer = childPointer(resolved.pointer, 'content');
  if (mediaTypes.length !== 1 || (mediaTypes[0] !== 'application/json' && mediaTypes[0] !== 'multipart/form-data')) {
    problems.report(
      contentPointer,
      `a request body must have exactly one media type, application/json or multipart/form-data; got ${mediaTypes.join(', ') || 'none'}`,
    );
    return undefined;
  }
  const mediaType = mediaTypes[0] as RequestBodyModel['mediaType'];
  const media = content[mediaType];
  const mediaPointer = childPointer(contentPointer, mediaType);
  if (!isRecord(media) || !('schema' in media)) {
    problems.report(mediaPointer, 'the request body needs a schema');
    return undefined;
  }
  const schema = asNamedRef(
    input,
    normalizeSchema(media['schema'], childPointer(mediaPointer, 'schema'), input.schemaCtx),
    `${base}RequestBody`,
    `NonNullable<operations[${JSON.stringify(operationId)}]["requestBody"]>["content"][${JSON.stringify(mediaType)}]`,
  );
  let multipart: MultipartModel | undefined;
  if (mediaType === 'multipart/form-data') {
    multipart = buildMultipart(input, schema, media, mediaPointer, group);
  } else if ('encoding' in media) {
    problems.report(childPointer(mediaPointer, 'encoding'), '"encoding" applies only to multipart bodies');
  }
  return { required: resolved.node['required'] === true, mediaType, description: str(resolved.node['description']), schema, multipart };
}

function buildMultipart(input: OperationInput, schema: RefSchema, media: Json, mediaPointer: string, group: string): MultipartModel | undefined {
  const { problems, schemaByName } = input;
  const target = schemaByName.get(schema.name);
  if (target?.schema.kind !== 'oneOf') {
    problems.report(
      schema.pointer,
      'a multipart body must be a "oneOf" of object schemas with a discriminator (the only shape the client and validators emitters support)',
    );
    return undefined;
  }
  const encodingPointer = childPointer(mediaPointer, 'encoding');
  const encoding = isRecord(media['encoding']) ? media['encoding'] : {};
  const contentTypeOf = new Map<string, string[]>();
  for (const [part, enc] of Object.entries(encoding)) {
    if (!isRecord(enc)) continue;
    for (const key of Object.keys(enc)) {
      if (key !== 'contentType' && !key.startsWith('x-')) {
        problems.report(childPointer(encodingPointer, part, key), `encoding field "${key}" is not supported (only contentType)`);
      }
    }
    if (typeof enc['contentType'] === 'string') {
      contentTypeOf.set(
        part,
        enc['contentType']
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      );
    }
  }
  const { propertyName } = target.schema;
  const seenParts = new Set<string>();
  const variants = target.schema.variants.map(({ value, name }) => {
    const variant = schemaByName.get(name)!;
    const object = variant.schema.kind === 'object' ? variant.schema : undefined;
    const parts: MultipartPart[] = (object?.properties ?? []).map((prop): MultipartPart => {
      seenParts.add(prop.name);
      const resolved = resolveSchema(prop.schema, schemaByName);
      const declared = contentTypeOf.get(prop.name) ?? [];
      const description = prop.schema.description ?? resolved.description;
      const common = { name: prop.name, required: prop.required, schema: prop.schema, description };
      if (prop.name === propertyName) {
        return { ...common, kind: 'discriminator', contentType: 'text/plain', acceptedMediaTypes: [] };
      }
      if (resolved.kind === 'string' && resolved.format === 'binary') {
        return {
          ...common,
          kind: 'file',
          contentType: declared[0] ?? 'application/octet-stream',
          acceptedMediaTypes: declared,
        };
      }
      if (declared.length > 1) {
        problems.report(childPointer(encodingPointer, prop.name, 'contentType'), 'only file parts may declare several content types');
      }
      const isJson = resolved.kind === 'object' || resolved.kind === 'any' || resolved.kind === 'oneOf' || resolved.kind === 'array';
      return {
        ...common,
        kind: isJson ? 'json' : 'text',
        contentType: declared[0] ?? (isJson ? 'application/json' : 'text/plain'),
        acceptedMediaTypes: [],
      };
    });
    if (parts.some((p) => p.name === 'files')) {
      problems.report(childPointer(variant.schema.pointer, 'properties', 'files'), 'a multipart part may not be named "files": the client input keeps file parts under "files"');
    }
    return {
      value,
      schemaName: name,
      inputTypeName: `${name}Input`,
      description: variant.schema.description,
      parts,
    };
  });
  for (const part of contentTypeOf.keys()) {
    if (!seenParts.has(part)) problems.report(childPointer(encodingPointer, part), `encoding names "${part}", which no variant has`);
  }
  return {
    schemaName: schema.name,
    inputTypeName: `${schema.name.replace(/Request$/, '')}Input`,
    propertyName,
    discriminatorTypeName: `${pascalCase(singular(group))}${pascalCase(propertyName)}`,
    variants,
  };
}

function buildResponses(input: OperationInput, operationId: string, base: string): ResponseModel[] {
  const { opNode, pointer, problems } = input;
  const responsesPointer = childPointer(pointer, 'responses');
  const responses = isRecord(opNode['responses']) ? opNode['responses'] : {};
  const out: ResponseModel[] = [];
  for (const [code, node] of Object.entries(responses)) {
    const rp = childPointer(responsesPointer, code);
    const status = code === 'default' ? 'default' : /^[1-5]\d\d$/.test(code) ? Number(code) : undefined;
    if (status === undefined) {
      problems.report(rp, `response code "${code}" is not supported (use a three-digit code or "default")`);
      continue;
    }
    const resolved = resolveComponent(input.doc, node, rp, 'responses', problems);
    if (!resolved) continue;
    const content = isRecord(resolved.node['content']) ? resolved.node['content'] : {};
    let schema: RefSchema | undefined;
    for (const [mediaType, media] of Object.entries(content)) {
      const mp = childPointer(resolved.pointer, 'content', mediaType);
      if (mediaType !== 'application/json') {
        problems.report(mp, `response media type "${mediaType}" is not supported (only application/json)`);
        continue;
      }
      if (isRecord(media) && 'schema' in media) {
        schema = asNamedRef(
          input,
          normalizeSchema(media['schema'], childPointer(mp, 'schema'), input.schemaCtx),
          `${base}Response${code === 'default' ? 'Default' : code}`,
          `operations[${JSON.stringify(operationId)}]["responses"][${code === 'default' ? '"default"' : code}]["content"]["application/json"]`,
        );
      }
    }
    const headers = isRecord(resolved.node['headers']) ? Object.keys(resolved.node['headers']) : [];
    out.push({ status, description: str(resolved.node['description']) ?? '', schema, headers });
  }
  return out;
}

function checkNameCollisions(schemas: readonly NamedSchema[], operations: readonly OperationModel[], problems: Problems): void {
  // Two namespaces: the types package (schema and generated type names) and the validators module
  // (validateX, XSchema and the module's own helpers).
  const typeOwners = new Map<string, string>();
  const validatorOwners = new Map<string, string>(RESERVED_VALIDATOR_NAMES.map((n) => [n, 'a helper of the validators module']));
  const claimIn = (owners: Map<string, string>) => (name: string, owner: string, pointer: string) => {
    const previous = owners.get(name);
    if (previous !== undefined && previous !== owner) {
      problems.report(pointer, `the generated name "${name}" (${owner}) collides with ${previous}`);
    }
    owners.set(name, owner);
  };
  const claim = claimIn(typeOwners);
  const claimValidator = claimIn(validatorOwners);
  // And file names: each exported validator (see validatorExportNames) gets its own module
  // `schemas/<Name>.ts`, and on a case-insensitive file system (macOS, Windows) two names differing
  // only by case are one file, so one module would silently overwrite the other.
  const fileOwners = new Map<string, { name: string; owner: string }>();
  const claimExported = (name: string, owner: string, pointer: string) => {
    claim(name, owner, pointer);
    const previous = fileOwners.get(name.toLowerCase());
    if (previous === undefined) fileOwners.set(name.toLowerCase(), { name, owner });
    else if (previous.name !== name) {
      problems.report(
        pointer,
        `"${name}" (${owner}) and "${previous.name}" (${previous.owner}) differ only by case, but each gets its own validator module (validators/src/schemas/${previous.name}.ts, validators/src/schemas/${name}.ts) and those are one file on a case-insensitive file system (macOS, Windows): rename one so that the names differ by more than case`,
      );
    }
  };
  for (const s of schemas) {
    claimExported(s.name, `schema ${s.name}`, s.schema.pointer);
    const v = validatorNames(s.name);
    claimValidator(v.schema, `the Standard Schema of ${s.name}`, s.schema.pointer);
    claimValidator(v.validate, `the validator of ${s.name}`, s.schema.pointer);
  }
  for (const op of operations) {
    claim(op.resultTypeName, `the result type of ${op.operationId}`, '#/paths');
    if (op.pathParams.length > 0) claimExported(`${op.typeBaseName}PathParams`, `the path parameters of ${op.operationId}`, '#/paths');
    const mp = op.requestBody?.multipart;
    if (mp) {
      claimExported(mp.inputTypeName, `the input type of ${op.operationId}`, '#/paths');
      claim(mp.discriminatorTypeName, `the discriminator type of ${op.operationId}`, '#/paths');
      for (const v of mp.variants) {
        claimExported(v.inputTypeName, `the input type of ${v.value}`, '#/paths');
        claim(v.inputTypeName.replace(/Input$/, 'Files'), `the files type of ${v.value}`, '#/paths');
      }
      claim(`${mp.inputTypeName}ByType`, `the input map of ${op.operationId}`, '#/paths');
    }
  }
}
