/**
 * Turns a loaded (bundled, structurally valid) spec into the normalized {@link ApiModel}.
 * Every problem found is collected, then reported at once with its file, JSON Pointer and line.
 *
 * @module
 */
import { EmbedkitSpecError, type SpecProblem } from '../errors.js';
import type { LoadedSpec } from './load.js';
import { camelCase, isIdentifier, pascalCase, RESERVED_TYPE_NAMES, RESERVED_VALIDATOR_NAMES, singular, validatorNames } from './names.js';
import { safeName } from './normalize.js';
import { normalizeSchema, type ProblemSink, type SchemaContext } from './schema.js';
import { childPointer, isRecord } from './source.js';
import type {
  ApiModel,
  MultipartModel,
  MultipartPart,
  NamedSchema,
  ObjectSchema,
  OperationModel,
  ParameterModel,
  RefSchema,
  RequestBodyModel,
  ResponseModel,
  Schema,
  SecuritySchemeModel,
  ServerModel,
  SignatureModel,
} from './types.js';
import { ViewSchemas } from './views.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
const SIGNATURE_FIELDS = ['keyScheme', 'nonceScheme', 'secretEncoding', 'hmac', 'bodyHash', 'signedPath', 'message', 'output', 'nonce'];

type Json = Record<string, unknown>;

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Collects problems with their positions. */
class Problems implements ProblemSink {
  readonly list: SpecProblem[] = [];
  readonly warnings: SpecProblem[];
  constructor(private readonly loaded: LoadedSpec) {
    this.warnings = [...loaded.warnings];
  }
  private at(pointer: string, problem: string): SpecProblem {
    const pos = this.loaded.locator.locate(pointer);
    return { file: this.loaded.displayPath, pointer: this.loaded.originalPointer(pointer), problem, line: pos?.line, column: pos?.column };
  }
  report(pointer: string, problem: string): void {
    this.list.push(this.at(pointer, problem));
  }
  /** How often each warning text was given (a big spec repeats one unknown format thousands of times). */
  private readonly repeats = new Map<string, number>();
  /** Something worth saying that does not stop generation. */
  warn(pointer: string, problem: string): void {
    const seen = this.repeats.get(problem) ?? 0;
    this.repeats.set(problem, seen + 1);
    if (seen === 0) this.warnings.push(this.at(pointer, problem));
  }
  /** The warnings, each given once at its first place, with how many other places repeat it. */
  summarizedWarnings(): SpecProblem[] {
    return this.warnings.map((w) => {
      const others = (this.repeats.get(w.problem) ?? 1) - 1;
      return others > 0 ? { ...w, problem: `${w.problem} (and ${others} more place${others === 1 ? '' : 's'})` } : w;
    });
  }
  /** Where a pointer is, as `line:col` (for messages naming two places). */
  where(pointer: string): string {
    const pos = this.loaded.locator.locate(pointer);
    return `${this.loaded.originalPointer(pointer)}${pos ? ` (line ${pos.line})` : ''}`;
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
 * name); an `info.version` that differs from it is a warning.
 *
 * A spec whose security schemes declare Kraken's `x-embed-signature` gets the Embed client (on the
 * runtime's signing core), which needs the Embed shapes (see {@link checkEmbedShape}); any other
 * spec gets a plain openapi-fetch client.
 */
export function buildModel(loaded: LoadedSpec, apiVersion: string): ApiModel {
  const problems = new Problems(loaded);
  const doc = loaded.document;

  if (!/^3\.[01]\.\d+$/.test(loaded.openapiVersion)) {
    problems.report('#/openapi', `embedkit reads OpenAPI 3.0.x and 3.1.x documents, got openapi: ${JSON.stringify(loaded.openapiVersion)}`);
  }
  const info = isRecord(doc['info']) ? doc['info'] : {};
  if (info['version'] !== apiVersion) {
    problems.warn(
      '#/info/version',
      `info.version ${JSON.stringify(info['version'])} differs from the API version the spec is filed under ("${apiVersion}"); the packages are named after "${apiVersion}"`,
    );
  }

  const components = isRecord(doc['components']) ? doc['components'] : {};
  const componentSchemas = isRecord(components['schemas']) ? components['schemas'] : {};
  const schemaCtx: SchemaContext = { problems, componentSchemas };

  // Named schemas, in spec order (names were made safe by normalizeDocument).
  const schemas: NamedSchema[] = [];
  for (const [name, node] of Object.entries(componentSchemas)) {
    const pointer = childPointer('#/components/schemas', name);
    if (RESERVED_TYPE_NAMES.includes(name)) {
      problems.report(pointer, `schema name "${name}" is reserved by the types package: rename the schema`);
    }
    schemas.push({
      name,
      schema: normalizeSchema(node, pointer, schemaCtx),
      typeExpression: `components["schemas"][${JSON.stringify(name)}]`,
    });
  }
  const schemaByName = new Map(schemas.map((s) => [s.name, s]));
  const views = new ViewSchemas(schemas, schemaByName);

  const signature = buildSignature(doc, components, problems);
  const securitySchemes = signature ? [] : buildSecuritySchemes(components, problems);
  const servers = buildServers(doc, problems);

  let versionHeader: ApiModel['versionHeader'];
  const operations: OperationModel[] = [];
  const helperOwners = new Map<string, string>();
  let operationCount = 0;
  const paths = isRecord(doc['paths']) ? doc['paths'] : {};
  for (const [path, itemNode] of Object.entries(paths)) {
    const itemPointer = childPointer('#/paths', path);
    if (!isRecord(itemNode)) continue;
    if ('$ref' in itemNode) {
      problems.report(childPointer(itemPointer, '$ref'), 'path item $refs are not supported: write the operations under the path');
      continue;
    }
    for (const [method, opNode] of Object.entries(itemNode)) {
      if (!(METHODS as readonly string[]).includes(method) || !isRecord(opNode)) continue;
      operationCount++;
      const opPointer = childPointer(itemPointer, method);
      const op = buildOperation({
        doc,
        path,
        method: method as OperationModel['method'],
        pathItem: itemNode,
        opNode,
        pointer: opPointer,
        apiVersion,
        schemaCtx,
        schemas,
        schemaByName,
        views,
        signature,
        problems,
        onVersionHeader: (header) => {
          versionHeader ??= header;
        },
      });
      if (!op) continue;
      const key = `${op.client.group}.${op.client.method}`;
      const previous = helperOwners.get(key);
      if (previous !== undefined) {
        problems.report(opPointer, `two operations map to the client helper client.${key}: this one and ${problems.where(previous)}; give one another operationId (or x-embed-client)`);
      }
      helperOwners.set(key, opPointer);
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
    openapiVersion: loaded.openapiVersion,
    servers,
    signature,
    securitySchemes,
    security: requirements(doc['security']) ?? [],
    versionHeader,
    operations,
    schemas,
    document: doc,
    warnings: problems.summarizedWarnings(),
  };
}

/** The scheme names of each alternative of a security requirement list (`undefined` when absent). */
function requirements(node: unknown): string[][] | undefined {
  if (!Array.isArray(node)) return undefined;
  return node.filter(isRecord).map((r) => Object.keys(r));
}

/**
 * The security schemes a plain client fills in from its options: API keys (header, query or
 * cookie), HTTP bearer and basic, and OAuth 2 / OpenID Connect access tokens (sent as bearer
 * tokens; obtaining them is the caller's business). Other HTTP schemes are refused.
 */
function buildSecuritySchemes(components: Json, problems: Problems): SecuritySchemeModel[] {
  const schemes = isRecord(components['securitySchemes']) ? components['securitySchemes'] : {};
  const out: SecuritySchemeModel[] = [];
  const owners = new Map<string, string>();
  for (const [name, node] of Object.entries(schemes)) {
    if (!isRecord(node)) continue;
    const pointer = childPointer('#/components/securitySchemes', name);
    const optionName = safeName(camelCase(name));
    const previous = owners.get(optionName);
    if (previous !== undefined) {
      problems.report(pointer, `security schemes "${previous}" and "${name}" would both be the client option "${optionName}": rename one`);
      continue;
    }
    owners.set(optionName, name);
    const description = str(node['description']);
    const type = node['type'];
    if (type === 'apiKey') {
      const where = node['in'];
      if ((where === 'header' || where === 'query' || where === 'cookie') && typeof node['name'] === 'string') {
        out.push({ name, optionName, kind: 'apiKey', in: where, paramName: node['name'], description });
      }
    } else if (type === 'http') {
      const scheme = String(node['scheme']).toLowerCase();
      if (scheme === 'bearer') out.push({ name, optionName, kind: 'bearer', description });
      else if (scheme === 'basic') out.push({ name, optionName, kind: 'basic', description });
      else problems.report(childPointer(pointer, 'scheme'), `HTTP authentication scheme ${JSON.stringify(node['scheme'])} is not supported (bearer and basic are)`);
    } else if (type === 'oauth2' || type === 'openIdConnect') {
      out.push({ name, optionName, kind: 'bearer', description });
    } else if (type !== 'mutualTLS') {
      problems.report(childPointer(pointer, 'type'), `security scheme type ${JSON.stringify(type)} is not supported`);
    }
  }
  return out;
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
  // No Kraken signing: the spec gets a plain client with its own security schemes.
  if (carriers.length === 0) return undefined;
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
  /** The request and response views of body and response schemas (readOnly/writeOnly). */
  views: ViewSchemas;
  signature: SignatureModel | undefined;
  problems: Problems;
  onVersionHeader(header: { name: string; value: string }): void;
}

/** The client helper's name: `x-embed-client`, else the first tag and the camelCase operation id. */
function clientName(input: OperationInput, operationId: string): OperationModel['client'] | undefined {
  const { opNode, pointer, problems } = input;
  const clientExt = opNode['x-embed-client'];
  if (clientExt !== undefined) {
    if (
      !isRecord(clientExt) ||
      typeof clientExt['group'] !== 'string' ||
      typeof clientExt['method'] !== 'string' ||
      !isIdentifier(clientExt['group']) ||
      !isIdentifier(clientExt['method'])
    ) {
      problems.report(childPointer(pointer, 'x-embed-client'), 'invalid "x-embed-client": it must be { group, method }, both identifiers (the helper is client.<group>.<method>())');
      return undefined;
    }
    return { group: clientExt['group'], method: clientExt['method'] };
  }
  const tag = Array.isArray(opNode['tags']) ? opNode['tags'].find((t): t is string => typeof t === 'string') : undefined;
  const group = tag === undefined ? 'default' : safeName(camelCase(tag));
  let method = camelCase(operationId);
  // `repos/get-content` in group `repos` -> `getContent`, not `reposGetContent`.
  const rest = method.slice(group.length);
  if (method.startsWith(group) && /^[A-Z]/.test(rest)) method = rest[0]!.toLowerCase() + rest.slice(1);
  return { group, method: safeName(method) };
}

function buildOperation(input: OperationInput): OperationModel | undefined {
  const { doc, path, method, pathItem, opNode, pointer, problems } = input;
  const embed = input.signature !== undefined;
  const rawId = opNode['operationId'];
  if (rawId !== undefined && (typeof rawId !== 'string' || rawId === '')) {
    problems.report(childPointer(pointer, 'operationId'), `operationId ${JSON.stringify(rawId)} must be a non-empty string`);
    return undefined;
  }
  const operationId = rawId ?? `${method} ${path}`;
  const typeBaseName = safeName(pascalCase(operationId));
  const typeExpression =
    rawId === undefined ? `paths[${JSON.stringify(path)}][${JSON.stringify(method)}]` : `operations[${JSON.stringify(rawId)}]`;
  const client = clientName(input, operationId);
  if (!client) return undefined;

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
  const params: Record<ParameterModel['in'], ParameterModel[]> = { path: [], query: [], header: [], cookie: [] };
  for (const { node, pointer: pp } of merged.values()) {
    const name = String(node['name']);
    const where = node['in'];
    if (where !== 'path' && where !== 'query' && where !== 'header' && where !== 'cookie') {
      problems.report(childPointer(pp, 'in'), `parameter location ${JSON.stringify(where)} is not one of path, query, header, cookie`);
      continue;
    }
    // A parameter described by `content` (one media type) has its schema there.
    const content = isRecord(node['content']) ? node['content'] : undefined;
    const [contentType, media] = content ? (Object.entries(content)[0] ?? []) : [];
    const schemaNode = content ? (isRecord(media) ? media['schema'] : undefined) : node['schema'];
    const schemaPointer = content ? childPointer(pp, 'content', contentType ?? '', 'schema') : childPointer(pp, 'schema');
    const schema = normalizeSchema(schemaNode ?? {}, schemaPointer, input.schemaCtx);
    const param: ParameterModel = {
      name,
      in: where,
      required: node['required'] === true,
      schema,
      description: str(node['description']),
    };
    if (where === 'path' && !param.required) problems.report(childPointer(pp, 'required'), 'path parameters must be required');
    if (where === 'header') {
      const values = schema.kind === 'string' ? (schema.enum ?? (schema.const === undefined ? undefined : [schema.const])) : undefined;
      if (values?.length === 1 && values[0] === input.apiVersion) input.onVersionHeader({ name, value: input.apiVersion });
    }
    params[where].push(param);
  }
  const pathParams = params.path;
  const templateNames = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  for (const name of templateNames) {
    if (!pathParams.some((p) => p.name === name)) problems.report(childPointer('#/paths', path), `path parameter "{${name}}" is not declared`);
  }
  for (const p of pathParams) {
    if (!templateNames.includes(p.name)) problems.report(childPointer('#/paths', path), `parameter "${p.name}" is not in the path template`);
  }
  pathParams.sort((a, b) => templateNames.indexOf(a.name) - templateNames.indexOf(b.name));
  const pathParamsSchema: ObjectSchema | undefined =
    pathParams.length === 0
      ? undefined
      : {
          kind: 'object',
          pointer: `#/paths/${path}`,
          properties: pathParams.map((p) => ({ name: p.name, schema: p.schema, required: true })),
          required: pathParams.map((p) => p.name),
          additionalProperties: false,
        };

  const requestBody = buildRequestBody(input, typeExpression, typeBaseName, client.group);
  const responses = buildResponses(input, typeExpression, typeBaseName);
  const success = responses.find((r): r is ResponseModel & { status: number } => typeof r.status === 'number' && r.status >= 200 && r.status < 300);
  const successSchema = success?.schema ? input.schemaByName.get(success.schema.name)?.schema : undefined;
  // Kraken's `{ result }` envelope: only Embed specs are unwrapped.
  const resultProperty =
    embed && successSchema?.kind === 'object' && successSchema.properties.some((p) => p.name === 'result' && p.required) ? 'result' : undefined;
  const successType = success?.schema?.name ?? (success?.parseAs === 'text' ? 'string' : success?.parseAs === 'blob' ? 'Blob' : 'void');

  const security = requirements(opNode['security']) ?? requirements(doc['security']) ?? [];
  const signed = input.signature !== undefined && security.some((r) => r.includes(input.signature!.schemeName));

  const op: OperationModel = {
    operationId,
    typeBaseName,
    typeExpression,
    method,
    path,
    summary: str(opNode['summary']),
    description: str(opNode['description']),
    deprecated: opNode['deprecated'] === true,
    tags: Array.isArray(opNode['tags']) ? opNode['tags'].filter((t): t is string => typeof t === 'string') : [],
    client,
    pathParams,
    pathParamsTypeName: `${typeBaseName}PathParams`,
    pathParamsSchema,
    queryParams: params.query,
    headerParams: params.header,
    cookieParams: params.cookie,
    requestBody,
    responses,
    success,
    resultProperty,
    resultTypeName: `${typeBaseName}Result`,
    resultTypeExpression: resultProperty ? `${successType}[${JSON.stringify(resultProperty)}]` : successType,
    errorBodyTypeName: `${typeBaseName}ErrorBody`,
    signed,
    security,
  };
  return embed ? checkEmbedShape(input, op) : op;
}

/**
 * What the Embed client (built on the runtime's signing core) needs of an operation: path
 * parameters that are strings, no query, cookie or header parameters besides the version header,
 * a JSON or multipart body, and exactly one 2xx response with a JSON body.
 */
function checkEmbedShape(input: OperationInput, op: OperationModel): OperationModel | undefined {
  const { pointer, problems } = input;
  const before = problems.list.length;
  for (const p of op.pathParams) {
    if (resolveSchemaKind(p.schema, input.schemaByName) !== 'string') problems.report(p.schema.pointer, 'path parameters must be strings');
  }
  for (const p of [...op.queryParams, ...op.cookieParams]) {
    problems.report(p.schema.pointer, `"${p.in}" parameters are not supported by the Embed client (a spec with x-embed-signature)`);
  }
  for (const p of op.headerParams) {
    if (!(p.schema.kind === 'string' && (p.schema.enum ?? [p.schema.const]).length === 1 && (p.schema.enum?.[0] ?? p.schema.const) === input.apiVersion)) {
      problems.report(
        p.schema.pointer,
        `header parameter "${p.name}" is not supported: the only header the Embed client sets from the spec is the API version header (a string enum holding exactly "${input.apiVersion}")`,
      );
    }
  }
  if (op.requestBody && op.requestBody.encoding !== 'json' && op.requestBody.encoding !== 'multipart') {
    problems.report(childPointer(pointer, 'requestBody'), `request body media type ${op.requestBody.mediaType} is not supported by the Embed client (application/json or multipart/form-data)`);
  }
  const successes = op.responses.filter((r) => typeof r.status === 'number' && r.status >= 200 && r.status < 300 && r.schema !== undefined);
  if (successes.length !== 1) {
    problems.report(childPointer(pointer, 'responses'), `expected exactly one 2xx response with an application/json body, found ${successes.length}`);
  }
  return problems.list.length === before ? op : undefined;
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

/** JSON media types: `application/json` and `application/<something>+json`. */
function isJsonMediaType(mediaType: string): boolean {
  const base = mediaType.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || /^application\/[^/]*\+json$/.test(base);
}

/** How a body of this media type is encoded. */
function bodyEncoding(mediaType: string): RequestBodyModel['encoding'] {
  const base = mediaType.split(';')[0]!.trim().toLowerCase();
  if (isJsonMediaType(base)) return 'json';
  if (base === 'multipart/form-data') return 'multipart';
  if (base === 'application/x-www-form-urlencoded') return 'form';
  if (base.startsWith('text/')) return 'text';
  return 'binary';
}

function buildRequestBody(input: OperationInput, operationType: string, base: string, group: string): RequestBodyModel | undefined {
  const { opNode, pointer, problems } = input;
  if (!('requestBody' in opNode)) return undefined;
  const resolved = resolveComponent(input.doc, opNode['requestBody'], childPointer(pointer, 'requestBody'), 'requestBodies', problems);
  if (!resolved) return undefined;
  const content = isRecord(resolved.node['content']) ? resolved.node['content'] : {};
  const mediaTypes = Object.keys(content);
  const contentPointer = childPointer(resolved.pointer, 'content');
  // The one the client sends: JSON first, then multipart, then the first listed.
  const mediaType = mediaTypes.find(isJsonMediaType) ?? mediaTypes.find((m) => bodyEncoding(m) === 'multipart') ?? mediaTypes[0];
  if (mediaType === undefined) {
    problems.report(contentPointer, 'a request body needs at least one media type');
    return undefined;
  }
  if (input.signature !== undefined && mediaTypes.length !== 1) {
    problems.report(contentPointer, `a request body of the Embed client must have exactly one media type; got ${mediaTypes.join(', ')}`);
  }
  const encoding = bodyEncoding(mediaType);
  const media = content[mediaType];
  const mediaPointer = childPointer(contentPointer, mediaType);
  const schemaNode = isRecord(media) && 'schema' in media ? media['schema'] : encoding === 'binary' ? { type: 'string', format: 'binary' } : encoding === 'text' ? { type: 'string' } : {};
  const schema = asNamedRef(
    input,
    normalizeSchema(schemaNode, childPointer(mediaPointer, 'schema'), input.schemaCtx),
    `${base}RequestBody`,
    `NonNullable<${operationType}["requestBody"]>["content"][${JSON.stringify(mediaType)}]`,
  );
  let multipart: MultipartModel | undefined;
  if (encoding === 'multipart' && isRecord(media) && (input.signature !== undefined || input.schemaByName.get(schema.name)?.schema.kind === 'oneOf')) {
    multipart = buildMultipart(input, schema, media, mediaPointer, group);
  }
  // A multipart body's parts come from its variants as written (no readOnly view of them).
  const sent = multipart ? schema : input.views.ref(schema, 'request');
  return { required: resolved.node['required'] === true, mediaType, encoding, description: str(resolved.node['description']), schema: sent, multipart };
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
      // JSON when the encoding declares a JSON media type (any value, even a string, is then sent
      // as JSON text), and for structured values (OpenAPI's default for objects and arrays).
      const isJson =
        (declared[0] !== undefined && isJsonMediaType(declared[0])) ||
        resolved.kind === 'object' ||
        resolved.kind === 'any' ||
        resolved.kind === 'oneOf' ||
        resolved.kind === 'array' ||
        (resolved.kind === 'json' && (resolved.types === undefined || resolved.types.some((t) => t === 'object' || t === 'array')));
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
      filesTypeName: `${name}Files`,
      inputSchema: variantInputSchema(name, parts, propertyName),
      description: variant.schema.description,
      parts,
    };
  });
  for (const part of contentTypeOf.keys()) {
    if (!seenParts.has(part)) problems.report(childPointer(encodingPointer, part), `encoding names "${part}", which no variant has`);
  }
  const inputTypeName = `${schema.name.replace(/Request$/, '')}Input`;
  return {
    schemaName: schema.name,
    inputTypeName,
    propertyName,
    discriminatorTypeName: `${pascalCase(singular(group))}${pascalCase(propertyName)}`,
    inputByTypeName: `${inputTypeName}ByType`,
    inputSchema: {
      kind: 'oneOf',
      pointer: `#/components/schemas/${schema.name}`,
      propertyName,
      variants: variants.map((v) => ({ value: v.value, name: v.inputTypeName })),
    },
    variants,
  };
}

/** The schema of a multipart variant's client input (`{ type, metadata, files }`). */
function variantInputSchema(schemaName: string, parts: readonly MultipartPart[], propertyName: string): ObjectSchema {
  const pointer = `#/components/schemas/${schemaName}`;
  const files = parts.filter((p) => p.kind === 'file');
  const fields = parts.filter((p) => p.kind !== 'file');
  const properties = fields.map((p) => ({ name: p.name, schema: p.schema, required: p.required || p.name === propertyName }));
  if (files.length > 0) {
    const filesSchema: ObjectSchema = {
      kind: 'object',
      pointer,
      properties: files.map((f) => ({
        name: f.name,
        required: f.required,
        // A file part: checked as a non-empty Blob/Uint8Array/ArrayBuffer of an accepted media type.
        schema: { kind: 'string', format: 'binary', pointer: f.schema.pointer, acceptedMediaTypes: f.acceptedMediaTypes },
      })),
      required: files.filter((f) => f.required).map((f) => f.name),
      additionalProperties: false,
    };
    properties.push({ name: 'files', schema: filesSchema, required: files.some((f) => f.required) });
  }
  return {
    kind: 'object',
    pointer,
    properties,
    required: properties.filter((p) => p.required).map((p) => p.name),
    additionalProperties: false,
  };
}

function buildResponses(input: OperationInput, operationType: string, base: string): ResponseModel[] {
  const { opNode, pointer, problems } = input;
  const responsesPointer = childPointer(pointer, 'responses');
  const responses = isRecord(opNode['responses']) ? opNode['responses'] : {};
  const out: ResponseModel[] = [];
  for (const [code, node] of Object.entries(responses)) {
    const rp = childPointer(responsesPointer, code);
    // Ranges (`4XX`) are kept as `default`-like entries: they document error bodies.
    const status = code === 'default' || /^[1-5]XX$/i.test(code) ? 'default' : /^[1-5]\d\d$/.test(code) ? Number(code) : undefined;
    if (status === undefined) {
      problems.report(rp, `response code "${code}" is not a three-digit code, a range like "4XX" or "default"`);
      continue;
    }
    const resolved = resolveComponent(input.doc, node, rp, 'responses', problems);
    if (!resolved) continue;
    const content = isRecord(resolved.node['content']) ? resolved.node['content'] : {};
    const mediaTypes = Object.keys(content);
    const mediaType = mediaTypes.find(isJsonMediaType) ?? mediaTypes[0];
    let schema: RefSchema | undefined;
    let parseAs: ResponseModel['parseAs'];
    if (mediaType !== undefined) {
      const encoding = bodyEncoding(mediaType);
      parseAs = encoding === 'json' ? 'json' : encoding === 'text' ? 'text' : 'blob';
      const media = content[mediaType];
      if (input.signature !== undefined && (mediaTypes.length !== 1 || mediaType !== 'application/json')) {
        problems.report(childPointer(resolved.pointer, 'content'), `response media types ${mediaTypes.join(', ')} are not supported by the Embed client (only application/json)`);
      }
      if (encoding === 'json' && isRecord(media) && 'schema' in media) {
        const key = typeof status === 'number' ? code : JSON.stringify(code);
        const written = asNamedRef(
          input,
          normalizeSchema(media['schema'], childPointer(resolved.pointer, 'content', mediaType, 'schema'), input.schemaCtx),
          `${base}Response${code === 'default' ? 'Default' : code.toUpperCase()}`,
          `${operationType}["responses"][${key}]["content"][${JSON.stringify(mediaType)}]`,
        );
        schema = input.views.ref(written, 'response');
      }
    }
    const headers = isRecord(resolved.node['headers']) ? Object.keys(resolved.node['headers']) : [];
    out.push({ status, description: str(resolved.node['description']) ?? '', mediaType, parseAs, schema, headers });
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
    claim(op.errorBodyTypeName, `the error body type of ${op.operationId}`, '#/paths');
    if (op.pathParams.length > 0) claimExported(op.pathParamsTypeName, `the path parameters of ${op.operationId}`, '#/paths');
    const mp = op.requestBody?.multipart;
    if (mp) {
      claimExported(mp.inputTypeName, `the input type of ${op.operationId}`, '#/paths');
      claim(mp.discriminatorTypeName, `the discriminator type of ${op.operationId}`, '#/paths');
      for (const v of mp.variants) {
        claimExported(v.inputTypeName, `the input type of ${v.value}`, '#/paths');
        claim(v.filesTypeName, `the files type of ${v.value}`, '#/paths');
      }
      claim(mp.inputByTypeName, `the input map of ${op.operationId}`, '#/paths');
    }
  }
}
