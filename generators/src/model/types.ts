/**
 * The normalized model of one spec. Emitters read only this: never the raw document (except
 * the types emitter, which hands the bundled document to openapi-typescript).
 *
 * @module
 */
import type { SpecProblem } from '../errors.js';

/** A primitive JSON value allowed in `enum` and `const`. */
export type JsonPrimitive = string | number | boolean | null;

/** Fields every schema node carries. */
interface SchemaBase {
  /** JSON Pointer of the schema in the spec, for error messages and comments. */
  readonly pointer: string;
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  /** The schema's `example` (an annotation, used in generated docs). */
  readonly example?: unknown;
  /** `deprecated: true` (for TSDoc `@deprecated`). */
  readonly deprecated?: boolean | undefined;
  /** `readOnly: true`: sent by the server only (belongs to response shapes). */
  readonly readOnly?: boolean | undefined;
  /** `writeOnly: true`: sent by the client only (belongs to request shapes). */
  readonly writeOnly?: boolean | undefined;
}

/** `$ref` to a named schema (`#/components/schemas/<name>`), possibly with a sibling description. */
export interface RefSchema extends SchemaBase {
  readonly kind: 'ref';
  readonly name: string;
}

/** `{}`: any JSON value. */
export interface AnySchema extends SchemaBase {
  readonly kind: 'any';
}

/** The string formats the validators emitter implements. */
export type StringFormat = 'date' | 'date-time' | 'uri' | 'binary';

export interface StringSchema extends SchemaBase {
  readonly kind: 'string';
  readonly format?: StringFormat | undefined;
  readonly minLength?: number | undefined;
  readonly maxLength?: number | undefined;
  readonly enum?: readonly string[] | undefined;
  readonly const?: string | undefined;
  /**
   * For `format: binary` values checked as files: the media types a file's own type must match
   * (set for multipart file parts whose `encoding` declares a content type).
   */
  readonly acceptedMediaTypes?: readonly string[] | undefined;
}

/** `type: number | integer | boolean | null` with an optional `enum`/`const`. */
export interface ScalarSchema extends SchemaBase {
  readonly kind: 'number' | 'integer' | 'boolean' | 'null';
  readonly enum?: readonly JsonPrimitive[] | undefined;
  readonly const?: JsonPrimitive | undefined;
}

/** `enum`/`const` without a `type`. */
export interface EnumSchema extends SchemaBase {
  readonly kind: 'enum';
  readonly values: readonly JsonPrimitive[];
  /** True when the schema used `const` (one value) rather than `enum`. */
  readonly isConst: boolean;
}

export interface ObjectProperty {
  readonly name: string;
  readonly schema: Schema;
  readonly required: boolean;
}

export interface ObjectSchema extends SchemaBase {
  readonly kind: 'object';
  /** Declared properties, in spec order. */
  readonly properties: readonly ObjectProperty[];
  /** `required` names, in spec order (may name properties that are not declared). */
  readonly required: readonly string[];
  /** False when the schema says `additionalProperties: false`. */
  readonly additionalProperties: boolean;
  readonly minProperties?: number | undefined;
}

export interface ArraySchema extends SchemaBase {
  readonly kind: 'array';
  readonly items?: Schema | undefined;
  readonly maxItems?: number | undefined;
}

/** `oneOf` of named object schemas told apart by a discriminator property. */
export interface OneOfSchema extends SchemaBase {
  readonly kind: 'oneOf';
  readonly propertyName: string;
  /** One entry per variant, in `oneOf` order: the discriminator value and the variant schema. */
  readonly variants: readonly { readonly value: string; readonly name: string }[];
}

/** A JSON Schema instance type (`integer` is a number with no fraction). */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';

/** A subschema applied to the values of the properties whose names match a pattern. */
export interface PatternProperty {
  /** ECMAScript regular expression source, compiled with the `u` flag. */
  readonly pattern: string;
  readonly schema: Schema;
}

/**
 * Any JSON Schema 2020-12 node beyond the simple kinds above: type arrays, keywords without a
 * `type` (each applies only to its instance type), keywords beside `$ref`, the applicators
 * (`allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`, `dependentSchemas`), every validation
 * keyword, and `unevaluatedProperties`/`unevaluatedItems`. The boolean schema `false` is
 * `{ kind: 'json', not: { kind: 'any' } }`. Each field is one keyword, already checked for form.
 */
export interface GeneralSchema extends SchemaBase {
  readonly kind: 'json';
  readonly types?: readonly JsonType[] | undefined;
  /**
   * `$ref` beside other keywords, applied in place like one more `allOf` member: a named schema,
   * or the normalized target of a ref into one (`#/components/schemas/A/$defs/B`).
   */
  readonly ref?: Schema | undefined;
  /** `const` (any JSON value; boxed so that `const: null` is distinguishable from absent). */
  readonly const?: { readonly value: unknown } | undefined;
  readonly enum?: readonly unknown[] | undefined;
  readonly minimum?: number | undefined;
  readonly maximum?: number | undefined;
  readonly exclusiveMinimum?: number | undefined;
  readonly exclusiveMaximum?: number | undefined;
  readonly multipleOf?: number | undefined;
  readonly minLength?: number | undefined;
  readonly maxLength?: number | undefined;
  readonly pattern?: string | undefined;
  /** A format the validators check (unknown formats are annotations and not kept). */
  readonly format?: string | undefined;
  readonly prefixItems?: readonly Schema[] | undefined;
  readonly items?: Schema | undefined;
  readonly contains?: Schema | undefined;
  readonly minContains?: number | undefined;
  readonly maxContains?: number | undefined;
  readonly minItems?: number | undefined;
  readonly maxItems?: number | undefined;
  readonly uniqueItems?: boolean | undefined;
  readonly unevaluatedItems?: Schema | undefined;
  /** `properties` (with `required` folded in as each property's flag). */
  readonly properties?: readonly ObjectProperty[] | undefined;
  readonly patternProperties?: readonly PatternProperty[] | undefined;
  readonly additionalProperties?: Schema | undefined;
  readonly propertyNames?: Schema | undefined;
  readonly required?: readonly string[] | undefined;
  readonly dependentRequired?: readonly { readonly name: string; readonly required: readonly string[] }[] | undefined;
  readonly dependentSchemas?: readonly { readonly name: string; readonly schema: Schema }[] | undefined;
  readonly minProperties?: number | undefined;
  readonly maxProperties?: number | undefined;
  readonly unevaluatedProperties?: Schema | undefined;
  readonly allOf?: readonly Schema[] | undefined;
  readonly anyOf?: readonly Schema[] | undefined;
  readonly oneOf?: readonly Schema[] | undefined;
  /** With `oneOf`/`anyOf`: the property that names the branch, and which branch each value selects (for issues). */
  readonly discriminator?: { readonly propertyName: string; readonly mapping: readonly { readonly value: string; readonly branch: number }[] } | undefined;
  readonly not?: Schema | undefined;
  readonly if?: Schema | undefined;
  readonly then?: Schema | undefined;
  readonly else?: Schema | undefined;
}

/** A normalized JSON Schema node. */
export type Schema =
  | RefSchema
  | AnySchema
  | StringSchema
  | ScalarSchema
  | EnumSchema
  | ObjectSchema
  | ArraySchema
  | OneOfSchema
  | GeneralSchema;

/** A schema the validators and types emitters expose by name. */
export interface NamedSchema {
  /** The exported name, e.g. `IdentityDocumentMetadata`. */
  readonly name: string;
  readonly schema: Schema;
  /**
   * The TypeScript type of the schema, as an expression over openapi-typescript's output, e.g.
   * `components['schemas']['IdentityDocumentMetadata']`.
   */
  readonly typeExpression: string;
  /**
   * Set on a request or response view of another named schema (see model/views.ts): the schema
   * it is a view of, and which view (`readOnly` properties dropped from requests, `writeOnly`
   * ones from responses).
   */
  readonly viewOf?: { readonly name: string; readonly view: 'request' | 'response' } | undefined;
}

/** The `x-embed-signature` extension, resolved against the security schemes. */
export interface SignatureModel {
  /** The security scheme that carries the extension (the signature header's scheme). */
  readonly schemeName: string;
  readonly keyHeader: string;
  readonly nonceHeader: string;
  readonly signHeader: string;
  readonly secretEncoding: 'base64';
  readonly hmac: 'SHA-512';
  readonly bodyHash: 'SHA-256';
  readonly signedPath: 'path-with-query';
  /** The human-readable message formula from the extension, if given. */
  readonly message?: string | undefined;
  readonly description?: string | undefined;
}

export interface ParameterModel {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly schema: Schema;
  readonly description?: string | undefined;
}

/** How one property of a multipart variant travels. */
export interface MultipartPart {
  /** The form field name (the property name). */
  readonly name: string;
  /**
   * `discriminator`: the variant's `type` field, sent as a plain text field; `json`: an object or
   * any-JSON part (sent with its content type, no filename); `text`: a plain text field;
   * `file`: a binary part.
   */
  readonly kind: 'discriminator' | 'json' | 'text' | 'file';
  readonly required: boolean;
  readonly schema: Schema;
  /**
   * Content type to send, from the spec's `encoding` or the OpenAPI default for the kind
   * (`application/json`, `text/plain`, `application/octet-stream`). For files with several
   * declared types, the first one.
   */
  readonly contentType: string;
  /**
   * Media types the spec declares for a file part (`encoding.<part>.contentType`, split on
   * commas), which a file's own type must match; empty when the spec declares none.
   */
  readonly acceptedMediaTypes: readonly string[];
  readonly description?: string | undefined;
}

export interface MultipartVariant {
  /** The discriminator value, e.g. `identity_document`. */
  readonly value: string;
  /** The variant's schema name, e.g. `IdentityDocumentVerification`. */
  readonly schemaName: string;
  /** The client input type, e.g. `IdentityDocumentVerificationInput`. */
  readonly inputTypeName: string;
  /** The type of the input's `files` object, e.g. `IdentityDocumentVerificationFiles` (when it has file parts). */
  readonly filesTypeName: string;
  /**
   * The client input's shape (`{ type, metadata, files }`): the non-file parts, then `files` (an
   * object of the file parts, checked as non-empty files of an accepted media type); no other keys.
   */
  readonly inputSchema: ObjectSchema;
  readonly description?: string | undefined;
  /** Every property of the variant, in spec order (the encoder's part order). */
  readonly parts: readonly MultipartPart[];
}

/** A multipart request body that is a `oneOf` of variants told apart by a discriminator. */
export interface MultipartModel {
  /** The request schema, e.g. `SubmitVerificationRequest`. */
  readonly schemaName: string;
  /** The client input union, e.g. `SubmitVerificationInput`. */
  readonly inputTypeName: string;
  /** The discriminator property, e.g. `type`. */
  readonly propertyName: string;
  /** The union of discriminator values, e.g. `VerificationType`. */
  readonly discriminatorTypeName: string;
  /** The map from discriminator value to variant input type, e.g. `SubmitVerificationInputByType`. */
  readonly inputByTypeName: string;
  /** The client input union as a schema: a `oneOf` of the variants' {@link MultipartVariant.inputSchema}s. */
  readonly inputSchema: OneOfSchema;
  readonly variants: readonly MultipartVariant[];
}

/**
 * How a request body is sent: `json` (any JSON media type), `multipart` (`multipart/form-data`),
 * `form` (`application/x-www-form-urlencoded`), `text` (`text/*`), `binary` (anything else: the
 * bytes as given).
 */
export type BodyEncoding = 'json' | 'multipart' | 'form' | 'text' | 'binary';

export interface RequestBodyModel {
  readonly required: boolean;
  /** The media type sent (the first one the spec lists, JSON preferred). */
  readonly mediaType: string;
  readonly encoding: BodyEncoding;
  readonly description?: string | undefined;
  /** The body schema, always a reference to a named schema. */
  readonly schema: RefSchema;
  /** Present for `multipart/form-data`. */
  readonly multipart?: MultipartModel | undefined;
}

export interface ResponseModel {
  /** HTTP status code, or `default`. */
  readonly status: number | 'default';
  readonly description: string;
  /** The body's media type (JSON preferred when several are listed), if the response has a body. */
  readonly mediaType?: string | undefined;
  /** How the body is read: JSON, text, or bytes (a `Blob`). */
  readonly parseAs?: 'json' | 'text' | 'blob' | undefined;
  /** The JSON body's schema (a reference to a named schema), if the response has one. */
  readonly schema?: RefSchema | undefined;
  /** Response header names the spec declares. */
  readonly headers: readonly string[];
}

export interface OperationModel {
  /** The spec's `operationId`, or one made from the method and path when it has none. */
  readonly operationId: string;
  /** PascalCase of the operation id, e.g. `SubmitVerification`; every per-operation type name starts with it. */
  readonly typeBaseName: string;
  /**
   * openapi-typescript's type of the operation: `operations["<operationId>"]`, or
   * `paths["<path>"]["<method>"]` for an operation without an `operationId`.
   */
  readonly typeExpression: string;
  readonly method: 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options' | 'trace';
  readonly path: string;
  readonly summary?: string | undefined;
  readonly description?: string | undefined;
  readonly deprecated: boolean;
  readonly tags: readonly string[];
  /**
   * The helper is `client.<group>.<method>(...)`: from `x-embed-client`, else the first tag (or
   * `default`) and the camelCase operation id.
   */
  readonly client: { readonly group: string; readonly method: string };
  /** Path parameters, in the order they appear in the path template. */
  readonly pathParams: readonly ParameterModel[];
  /** The path parameters' type and validator name, e.g. `SubmitVerificationPathParams` (when there are any). */
  readonly pathParamsTypeName: string;
  /** The path parameters as one object schema (every parameter required, no other keys). */
  readonly pathParamsSchema?: ObjectSchema | undefined;
  readonly queryParams: readonly ParameterModel[];
  readonly headerParams: readonly ParameterModel[];
  readonly cookieParams: readonly ParameterModel[];
  readonly requestBody?: RequestBodyModel | undefined;
  readonly responses: readonly ResponseModel[];
  /** The first 2xx response (the client resolves to its body, or to its `result`: see `resultProperty`). */
  readonly success?: (ResponseModel & { readonly status: number }) | undefined;
  /** `result` when the success body is Kraken's `{ result }` envelope; otherwise undefined. */
  readonly resultProperty?: string | undefined;
  /** Name of the type of what the helper resolves to, e.g. `SubmitVerificationResult`. */
  readonly resultTypeName: string;
  /** The type expression of what the helper resolves to (over the types package's names). */
  readonly resultTypeExpression: string;
  /** Name of the union of the error bodies, e.g. `SubmitVerificationErrorBody`. */
  readonly errorBodyTypeName: string;
  /** True when the operation's security requires the signature scheme. */
  readonly signed: boolean;
  /**
   * The security schemes the operation accepts, one list per alternative requirement (`[]` for
   * none, or when the requirement list allows anonymous access with `{}`).
   */
  readonly security: readonly (readonly string[])[];
}

/** A security scheme the client can fill in from its options (non-Embed specs). */
export interface SecuritySchemeModel {
  /** The scheme's name in `components.securitySchemes`. */
  readonly name: string;
  /** The client option that carries its credential (a safe camelCase identifier). */
  readonly optionName: string;
  /**
   * `apiKey`: a key sent in a header, query parameter or cookie (`paramName`); `bearer`: an
   * `Authorization: Bearer` token (HTTP bearer, OAuth 2 and OpenID Connect access tokens);
   * `basic`: HTTP basic credentials.
   */
  readonly kind: 'apiKey' | 'bearer' | 'basic';
  readonly in?: 'header' | 'query' | 'cookie' | undefined;
  readonly paramName?: string | undefined;
  readonly description?: string | undefined;
}

export interface ServerModel {
  readonly url: string;
  readonly description?: string | undefined;
}

/** One spec, normalized: what every emitter reads. */
export interface ApiModel {
  /** The API version, e.g. `2025-04-15` (the spec's folder name and `info.version`). */
  readonly apiVersion: string;
  readonly spec: {
    /** The spec file as it should appear in messages and headers (relative, `/`-separated). */
    readonly displayPath: string;
    /** sha256 of the spec bytes, hex. */
    readonly hash: string;
    /** First 12 hex characters of {@link hash}. */
    readonly shortHash: string;
  };
  readonly info: {
    readonly title: string;
    readonly summary?: string | undefined;
    readonly description?: string | undefined;
  };
  /** The `openapi` version of the document as written (3.0.x documents are upgraded to 3.1 semantics). */
  readonly openapiVersion: string;
  readonly servers: readonly ServerModel[];
  /** Kraken's request signing, where a security scheme declares `x-embed-signature`. */
  readonly signature?: SignatureModel | undefined;
  /** The security schemes the client supports (apiKey, HTTP bearer/basic, OAuth 2/OIDC tokens). */
  readonly securitySchemes: readonly SecuritySchemeModel[];
  /** The document-level security requirements (see {@link OperationModel.security}). */
  readonly security: readonly (readonly string[])[];
  /** The header that pins the API version (e.g. `Payward-Version: 2025-04-15`), if the spec has one. */
  readonly versionHeader?: { readonly name: string; readonly value: string } | undefined;
  readonly operations: readonly OperationModel[];
  /** Component schemas in spec order, then any synthesized ones. */
  readonly schemas: readonly NamedSchema[];
  /**
   * The bundled, normalized document (external `$ref`s inlined, 3.0 constructs upgraded to 3.1,
   * names made safe), for openapi-typescript.
   */
  readonly document: Readonly<Record<string, unknown>>;
  /** Things worth saying that do not stop generation (the CLI prints them). */
  readonly warnings: readonly SpecProblem[];
}
