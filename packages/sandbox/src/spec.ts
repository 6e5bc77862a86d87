/**
 * Loads one OpenAPI document and turns it into what the sandbox needs: a route table, Ajv
 * validators compiled from the document itself (not from generated code), and the multipart part
 * layout (which parts are files, which hold JSON).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

type Node = Record<string, unknown>;

/** Keywords of an OpenAPI document (and of OpenAPI schemas) that Ajv should treat as annotations. */
const ANNOTATIONS = [
  'discriminator',
  'example',
  'xml',
  'externalDocs',
  // Top-level OpenAPI fields: the whole document is registered with Ajv so `$ref`s resolve.
  'openapi',
  'info',
  'jsonSchemaDialect',
  'servers',
  'security',
  'tags',
  'paths',
  'webhooks',
  'components',
];

/** The body of one operation and how to validate it. */
export interface BodySpec {
  /** The request media type the operation accepts. */
  mediaType: 'multipart/form-data' | 'application/json';
  /** Validates the (mapped) body; returns error details (`path rule`), empty when valid. */
  validate(value: unknown): string[];
  /** Multipart only: the part names declared with `format: binary` (or a non-JSON `contentMediaType`). */
  fileParts: ReadonlySet<string>;
  /** Multipart only: the non-file parts whose content is JSON (`encoding.<part>.contentType: application/json`, or an object schema). */
  jsonParts: ReadonlySet<string>;
  /** Multipart only: every part name any variant declares. */
  allParts: ReadonlySet<string>;
  /** The values of the body's discriminator (the verification types), empty without one. */
  variants: readonly string[];
}

/** One operation of the spec, with a matcher for its path template. */
export interface OperationSpec {
  /** `operationId` from the spec. */
  operationId: string;
  /** Lower-case HTTP method. */
  method: string;
  /** The path template, e.g. `/b2b/verifications/{user}`. */
  pathTemplate: string;
  /** Path parameter validators by name. */
  pathParams: ReadonlyMap<string, (value: string) => string[]>;
  /** Header parameter validators by lower-case header name. */
  headerParams: ReadonlyMap<string, { name: string; validate: (value: string) => string[] }>;
  /** The request body, if the operation takes one. */
  body?: BodySpec;
}

/** A route match: the operation (or the methods the path allows) and the decoded path parameters. */
export type RouteMatch =
  | { kind: 'operation'; operation: OperationSpec; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

/** A loaded spec: the route table and its validators. */
export interface LoadedSpec {
  /** The API version (`info.version`). */
  version: string;
  /** Where the document was read from. */
  path: string;
  /** The parsed document. */
  document: Record<string, unknown>;
  /** Every operation, in document order. */
  operations: readonly OperationSpec[];
  /** Matches a method and a raw (undecoded, query-less) path against the spec's paths. */
  match(method: string, rawPath: string): RouteMatch;
  /** Validates a value against any schema in the document, by JSON pointer (`#/components/schemas/X`). */
  validator(pointer: string): (value: unknown) => string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The folders the shipped specs are looked up in: `dist/spec/` (copied at build time), else the monorepo's `spec/`. */
function specRoots(): string[] {
  return [new URL('./spec/', import.meta.url), new URL('../../../spec/', import.meta.url)].map((url) => fileURLToPath(url));
}

const VERSION_FOLDER = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Every API version whose spec the sandbox ships, oldest first, with the path of its document:
 * each `<version>/openapi.yaml` of `dist/spec/` (the build copies `spec/<version>/openapi.yaml`
 * there), or of the monorepo's `spec/` when running from the sources.
 */
export function shippedSpecs(): Map<string, string> {
  for (const root of specRoots()) {
    if (!existsSync(root)) continue;
    const found = new Map<string, string>();
    for (const version of readdirSync(root).filter((name) => VERSION_FOLDER.test(name)).sort()) {
      const path = `${root}${version}/openapi.yaml`;
      if (existsSync(path)) found.set(version, path);
    }
    if (found.size > 0) return found;
  }
  return new Map();
}

/**
 * Finds the spec for an API version: an explicit path, else the shipped copy (see {@link shippedSpecs}).
 */
export function resolveSpecPath(apiVersion: string, specPath?: string): string {
  if (specPath !== undefined) return specPath;
  const found = shippedSpecs().get(apiVersion);
  if (!found) {
    throw new Error(`No spec for Embed API version ${apiVersion}: looked in ${specRoots().join(', ')}; pass specPath`);
  }
  return found;
}

const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** Turns an Ajv instance path (`/metadata/identity/0`) into a field path (`metadata.identity[0]`). */
export function fieldPath(instancePath: string, child?: string): string {
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/');
  if (child !== undefined) segments.push(escapePointer(child));
  let out = '';
  for (const raw of segments) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** Formats one Ajv error as `<field path> <rule>`, naming the field. */
export function formatError(error: ErrorObject, root: string): string {
  const params = error.params as Record<string, unknown>;
  const at = (child?: string) => fieldPath(error.instancePath, child) || root;
  switch (error.keyword) {
    case 'required':
      return `${at(String(params['missingProperty']))} is required`;
    case 'additionalProperties':
      return `${at(String(params['additionalProperty']))} is not allowed`;
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[] | undefined) ?? [];
      const list = allowed.length <= 20 ? `: ${allowed.map(String).join(', ')}` : ` (${allowed.length} values)`;
      return `${at()} must be one of the allowed values${list}`;
    }
    case 'const':
      return `${at()} must be ${JSON.stringify(params['allowedValue'])}`;
    default:
      return `${at()} ${error.message ?? 'is invalid'}`;
  }
}

function errorsOf(validate: ValidateFunction, value: unknown, root: string): string[] {
  if (validate(value)) return [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    // `if`/`then` and composition keywords only repeat what their sub-errors say.
    if (error.keyword === 'if' || error.keyword === 'oneOf' || error.keyword === 'anyOf') continue;
    seen.add(formatError(error, root));
  }
  if (seen.size === 0) seen.add(`${root} is invalid`);
  return [...seen];
}

/**
 * Loads and compiles one spec: the one shipped for `apiVersion`, or the document at `specPath`
 * (whose `info.version` must then equal `apiVersion`, when given).
 */
export function loadSpec(options: { apiVersion?: string; specPath?: string }): LoadedSpec {
  if (options.apiVersion === undefined && options.specPath === undefined) throw new Error('loadSpec needs apiVersion or specPath');
  const path = options.specPath ?? resolveSpecPath(options.apiVersion!);
  const document = parse(readFileSync(path, 'utf8')) as Node;
  const info = document['info'] as Node | undefined;
  const version = String(info?.['version'] ?? '');
  if (!VERSION_FOLDER.test(version)) throw new Error(`${path}: info.version must be an API version (YYYY-MM-DD), got ${JSON.stringify(version)}`);
  if (options.apiVersion !== undefined && version !== options.apiVersion) {
    throw new Error(`${path} describes API version ${JSON.stringify(version)}, not ${options.apiVersion}`);
  }

  const id = `https://embedkit.invalid/sandbox/spec/${version}`;
  const ajv = new Ajv2020({ strict: true, allErrors: true, validateSchema: false });
  addFormats.default(ajv);
  // File parts are mapped to a placeholder string once the sandbox has checked them (present, non-empty).
  ajv.addFormat('binary', true);
  for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword });
  ajv.addSchema({ ...document, $id: id });

  const compiled = new Map<string, ValidateFunction>();
  const compile = (pointer: string): ValidateFunction => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.getSchema(`${id}${pointer}`);
      if (!validate) throw new Error(`No schema at ${pointer} in ${path}`);
      compiled.set(pointer, validate);
    }
    return validate;
  };

  /** Follows local `$ref`s; returns the target node and its pointer. */
  const deref = (node: unknown, pointer: string): { node: Node; pointer: string } => {
    let current = node as Node;
    let at = pointer;
    for (let hops = 0; hops < 32 && current && typeof current['$ref'] === 'string'; hops++) {
      const ref = current['$ref'] as string;
      if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported, got ${ref}`);
      at = ref;
      current = ref
        .slice(2)
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce<unknown>((acc, key) => (acc as Node | undefined)?.[key], document) as Node;
    }
    if (!current || typeof current !== 'object') throw new Error(`Unresolvable schema at ${pointer}`);
    return { node: current, pointer: at };
  };

  const bodyValidator = (schemaPointer: string): Pick<BodySpec, 'validate' | 'variants'> => {
    const { node: schema, pointer } = deref({ $ref: schemaPointer }, schemaPointer);
    const discriminator = schema['discriminator'] as Node | undefined;
    const oneOf = schema['oneOf'] as Node[] | undefined;
    if (!discriminator || !Array.isArray(oneOf)) {
      const validate = compile(pointer);
      return { validate: (value) => errorsOf(validate, value, 'body'), variants: [] };
    }
    // OpenAPI's discriminator is an annotation for Ajv; the sandbox uses it to pick the variant,
    // which gives one precise error list instead of every variant's complaints.
    const property = String(discriminator['propertyName']);
    const variants = new Map<string, string>();
    const mapping = discriminator['mapping'] as Record<string, string> | undefined;
    if (mapping) {
      for (const [value, ref] of Object.entries(mapping)) variants.set(value, ref);
    } else {
      oneOf.forEach((variant, index) => {
        const target = deref(variant, `${pointer}/oneOf/${index}`);
        const constValue = ((target.node['properties'] as Node | undefined)?.[property] as Node | undefined)?.['const'];
        if (typeof constValue === 'string') variants.set(constValue, target.pointer);
      });
    }
    const validators = new Map([...variants].map(([value, ref]) => [value, compile(ref)] as const));
    const allowed = [...variants.keys()];
    const validate = (value: unknown) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['body must be an object'];
      const tag = (value as Node)[property];
      if (tag === undefined) return [`${property} is required`];
      const check = typeof tag === 'string' ? validators.get(tag) : undefined;
      if (!check) return [`${property} must be one of the allowed values: ${allowed.join(', ')}`];
      return errorsOf(check, value, 'body');
    };
    return { validate, variants: allowed };
  };

  const partsOf = (schemaPointer: string, encoding: Node | undefined) => {
    const fileParts = new Set<string>();
    const jsonParts = new Set<string>();
    const allParts = new Set<string>();
    const visit = (node: unknown, at: string, depth: number) => {
      if (depth > 8) return;
      const { node: schema, pointer } = deref(node, at);
      for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
        const list = schema[key];
        if (!Array.isArray(list)) continue;
        for (const [i, item] of list.entries()) visit(item, `${pointer}/${key}/${i}`, depth + 1);
      }
      const properties = schema['properties'] as Node | undefined;
      for (const [name, property] of Object.entries(properties ?? {})) {
        allParts.add(name);
        const target = deref(property, `${pointer}/properties/${escapePointer(name)}`).node;
        const media = target['contentMediaType'];
        const partType = ((encoding?.[name] as Node | undefined)?.['contentType'] as string | undefined) ?? '';
        if (target['format'] === 'binary' || (typeof media === 'string' && !/json/.test(media))) fileParts.add(name);
        else if (/json/.test(partType) || target['type'] === 'object') jsonParts.add(name);
      }
    };
    visit({ $ref: schemaPointer }, schemaPointer, 0);
    return { fileParts, jsonParts, allParts };
  };

  const operations: OperationSpec[] = [];
  const routes: { regex: RegExp; names: string[]; template: string; byMethod: Map<string, OperationSpec> }[] = [];
  for (const [template, item] of Object.entries((document['paths'] as Node | undefined) ?? {})) {
    const pathItem = item as Node;
    const pathPointer = `#/paths/${escapePointer(template)}`;
    const names: string[] = [];
    const source = template
      .split(/(\{[^}]+\})/)
      .map((piece) => {
        const param = /^\{([^}]+)\}$/.exec(piece);
        if (param) {
          names.push(param[1]!);
          return '([^/]+)';
        }
        return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    const byMethod = new Map<string, OperationSpec>();
    for (const method of METHODS) {
      const op = pathItem[method] as Node | undefined;
      if (!op) continue;
      const opPointer = `${pathPointer}/${method}`;
      const pathParams = new Map<string, (value: string) => string[]>();
      const headerParams = new Map<string, { name: string; validate: (value: string) => string[] }>();
      const params = [
        ...((pathItem['parameters'] as unknown[]) ?? []).map((p, i) => [p, `${pathPointer}/parameters/${i}`] as const),
        ...((op['parameters'] as unknown[]) ?? []).map((p, i) => [p, `${opPointer}/parameters/${i}`] as const),
      ];
      for (const [param, at] of params) {
        const { node, pointer } = deref(param, at);
        const name = String(node['name']);
        if (!node['schema']) continue;
        const validate = compile(`${pointer}/schema`);
        const check = (value: string) => errorsOf(validate, value, name).map((e) => (e.startsWith(name) ? e : `${name} ${e}`));
        if (node['in'] === 'path') pathParams.set(name, check);
        else if (node['in'] === 'header') headerParams.set(name.toLowerCase(), { name, validate: check });
      }
      const operation: OperationSpec = {
        operationId: String(op['operationId'] ?? `${method} ${template}`),
        method,
        pathTemplate: template,
        pathParams,
        headerParams,
      };
      const requestBody = op['requestBody'] ? deref(op['requestBody'], `${opPointer}/requestBody`) : undefined;
      const content = requestBody?.node['content'] as Node | undefined;
      if (content?.['multipart/form-data']) {
        const media = content['multipart/form-data'] as Node;
        const schemaPointer = `${requestBody!.pointer}/content/multipart~1form-data/schema`;
        operation.body = {
          mediaType: 'multipart/form-data',
          ...bodyValidator(schemaPointer),
          ...partsOf(schemaPointer, media['encoding'] as Node | undefined),
        };
      } else if (content?.['application/json']) {
        const schemaPointer = `${requestBody!.pointer}/content/application~1json/schema`;
        operation.body = {
          mediaType: 'application/json',
          ...bodyValidator(schemaPointer),
          fileParts: new Set(),
          jsonParts: new Set(),
          allParts: new Set(),
        };
      }
      operations.push(operation);
      byMethod.set(method, operation);
    }
    routes.push({ regex: new RegExp(`^${source}$`), names, template, byMethod });
  }

  return {
    version,
    path,
    document,
    operations,
    validator: (pointer) => {
      const validate = compile(pointer);
      return (value) => errorsOf(validate, value, 'value');
    },
    match(method, rawPath) {
      for (const route of routes) {
        const m = route.regex.exec(rawPath);
        if (!m) continue;
        const operation = route.byMethod.get(method.toLowerCase());
        if (!operation) return { kind: 'method-not-allowed', allow: [...route.byMethod.keys()].map((k) => k.toUpperCase()) };
        const params: Record<string, string> = {};
        route.names.forEach((name, i) => {
          params[name] = m[i + 1]!;
        });
        return { kind: 'operation', operation, params };
      }
      return { kind: 'not-found' };
    },
  };
}
