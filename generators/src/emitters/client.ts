/**
 * Emits `@embedkit/client-<version>`: `createEmbedClient(...)` on the runtime's core, with one
 * helper per operation (`client.<group>.<method>(...)` from `x-embed-client`). Each helper
 * validates the request before any I/O, encodes the body (multipart in the spec's part order
 * and `encoding`, or JSON), sends it signed with the version header, validates the response and
 * resolves to its `result`.
 *
 * @module
 */
import { ModuleBuilder, sanitizeDocText, type Writer } from '../ast/index.js';
import type { GeneratorContext } from '../context.js';
import { packageNames, pascalCase, validatorNames } from '../model/names.js';
import type { ApiModel, MultipartModel, MultipartVariant, OperationModel, RefSchema, SecuritySchemeModel } from '../model/types.js';
import { fileHeader, type GeneratedFile, packageReadme, paragraphs, tsLiteral } from './common.js';

/**
 * The success response of an operation of the Embed client: one 2xx JSON response, which the
 * model guarantees for specs with x-embed-signature (see checkEmbedShape in model/build.ts).
 */
function embedSuccess(op: OperationModel): { status: number; schema: RefSchema } {
  const success = op.success;
  if (success?.schema === undefined) throw new Error(`${op.operationId}: the Embed client needs a 2xx JSON response`);
  return { status: success.status, schema: success.schema };
}

/** `o.name`, `o["odd name"]`; an object ending in `?` gives optional chaining (`o?.name`, `o?.["odd"]`). */
function propertyAccess(object: string, name: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) return `${object}.${name}`;
  return object.endsWith('?') ? `${object}.[${JSON.stringify(name)}]` : `${object}[${JSON.stringify(name)}]`;
}

/** The helper's parameters: path parameters in template order, the body, then options. */
function helperParams(op: OperationModel): { name: string; type: string; optional?: boolean }[] {
  const params: { name: string; type: string; optional?: boolean }[] = op.pathParams.map((p) => ({
    name: p.name,
    type: `T.${op.pathParamsTypeName}[${JSON.stringify(p.name)}]`,
  }));
  const body = op.requestBody;
  if (body) {
    const type = body.multipart ? `T.${body.multipart.inputTypeName}` : `T.${body.schema.name}`;
    params.push({ name: body.multipart ? 'input' : 'body', type, optional: !body.required });
  }
  params.push({ name: 'options', type: 'RequestOptions', optional: true });
  return params;
}

function helperDocs(op: OperationModel): string {
  const lines = [op.summary ? `${op.summary}: \`${op.method.toUpperCase()} ${op.path}\`.` : `\`${op.method.toUpperCase()} ${op.path}\`.`];
  lines.push(...paragraphs(op.description));
  const steps = ['Validates the request before sending anything (rejects with `EmbedValidationError`, nothing sent)'];
  if (op.requestBody?.multipart) steps.push('encodes it as `multipart/form-data` in the spec\'s part order (the JSON part as `application/json`, without filename)');
  else if (op.requestBody) steps.push('sends it as JSON');
  steps.push(`signs every attempt with a fresh nonce, validates the ${embedSuccess(op).status} response, and resolves to its ${op.resultProperty ? `\`${op.resultProperty}\`` : 'body'}`);
  lines.push(`${steps.join(', ')}. Failures reject with \`EmbedApiError\` (HTTP errors, with Kraken's error strings parsed), \`EmbedNetworkError\`, \`EmbedTimeoutError\` or \`EmbedAbortError\`.`);
  // The docs site's errors page (this path is relative to packages/<version>/client/src/).
  lines.push('Each HTTP status, its Kraken error strings, whether the client retries it and what to do: [Errors and retries](../../../../docs/guides/errors.md).');
  if (op.method !== 'get') {
    lines.push(
      'Not idempotent: retried only when the server cannot have processed it (429, 408, 503, `EAPI:Invalid nonce`, or a connection that failed before sending), unless `retry.retryAmbiguous` is set.',
    );
  }
  return lines.join('\n\n');
}

/**
 * The request checks of a helper (both clients): the path parameters' validator on `pathArg`,
 * the body's validator on `body.arg` (skipped when an optional body is absent), then one
 * `throwIfInvalid` (see {@link addThrowIfInvalid}) when request validation is on.
 */
function writeRequestValidation(w: Writer, op: OperationModel, pathArg: string | undefined, body: { arg: string; schemaName: string } | undefined): void {
  const checks: string[] = [];
  if (pathArg !== undefined) checks.push(`${validatorNames(op.pathParamsTypeName).validate}(${pathArg})`);
  if (body) {
    const validate = validatorNames(body.schemaName).validate;
    checks.push(op.requestBody?.required ? `${validate}(${body.arg})` : `${body.arg} === undefined ? ({ ok: true } as const) : ${validate}(${body.arg})`);
  }
  if (checks.length === 0) return;
  w.write('if (validateRequests)').block(() => {
    w.writeLine(`throwIfInvalid(${JSON.stringify(`${op.operationId} request`)}, ${checks.join(', ')});`);
  });
}

/** The helper {@link writeRequestValidation}'s checks end with (both clients). */
function addThrowIfInvalid(mod: ModuleBuilder): void {
  mod.function({
    name: 'throwIfInvalid',
    exported: false,
    params: [
      { name: 'subject', type: 'string' },
      { name: '...results', type: 'readonly ({ readonly ok: true } | { readonly ok: false; readonly issues: ValidationIssue[] })[]' },
    ],
    returnType: 'void',
    docs: { description: 'Throws one EmbedValidationError listing the issues of every failed validation.' },
    body: (w) => {
      // No allocation when every result is ok (the common case, on every request).
      w.writeLine('let issues: ValidationIssue[] | undefined;');
      w.write('for (const result of results)').block(() => {
        w.writeLine('if (result.ok) continue;');
        w.writeLine('issues ??= [];');
        w.writeLine('issues.push(...result.issues);');
      });
      w.writeLine('if (issues !== undefined) throw new EmbedValidationError(issues, { subject });');
    },
  });
}

function writeParts(w: Writer, mp: MultipartModel): void {
  w.write(`switch (input.${mp.propertyName})`).block(() => {
    for (const variant of mp.variants) {
      const filesOptional = !variant.parts.some((p) => p.kind === 'file' && p.required);
      w.write(`case ${JSON.stringify(variant.value)}:`).block(() => {
        w.writeLine('const parts: MultipartField[] = [];');
        for (const part of variant.parts) {
          const value =
            part.kind === 'file' ? propertyAccess(filesOptional ? 'input.files?' : 'input.files', part.name) : propertyAccess('input', part.name);
          if (part.required || part.kind === 'discriminator') w.writeLine(`parts.push(${partExpression(part, value)});`);
          else w.writeLine(`if (${value} !== undefined) parts.push(${partExpression(part, value)});`);
        }
        w.writeLine('return parts;');
      });
    }
    w.writeLine('default:');
    w.indent(() => {
      w.writeLine(
        `throw new EmbedValidationError([{ path: ${JSON.stringify(mp.propertyName)}, rule: 'discriminator', message: ${JSON.stringify(`must be one of ${mp.variants.map((v) => JSON.stringify(v.value)).join(', ')}`)} }], { subject: 'request' });`,
      );
    });
  });
}

function partExpression(part: MultipartModel['variants'][number]['parts'][number], value: string): string {
  const name = JSON.stringify(part.name);
  switch (part.kind) {
    case 'discriminator':
      return `{ name: ${name}, value: ${value} }`;
    case 'json':
      return `{ name: ${name}, value: JSON.stringify(${value}), contentType: ${JSON.stringify(part.contentType)} }`;
    case 'text':
      return `{ name: ${name}, value: String(${value})${part.contentType !== 'text/plain' ? `, contentType: ${JSON.stringify(part.contentType)}` : ''} }`;
    case 'file':
      return `filePart(${name}, ${value}${part.acceptedMediaTypes.length > 0 ? `, ${JSON.stringify(part.contentType)}` : ''})`;
  }
}

/** Emits the client package sources: the Embed client for signed specs, else a plain one. */
export function emitClient(model: ApiModel, ctx: GeneratorContext): GeneratedFile[] {
  return model.signature === undefined ? emitPlainClient(model, ctx) : emitEmbedClient(model, ctx);
}

/** The Embed client: on the runtime's signing core, helpers named by `x-embed-client`. */
function emitEmbedClient(model: ApiModel, ctx: GeneratorContext): GeneratedFile[] {
  const names = packageNames(model.apiVersion);
  const header = fileHeader(model, ctx);
  const mod = new ModuleBuilder('index.ts');
  const defaultBaseUrl = model.servers[0]?.url;

  mod.statements(
    [
      '/**',
      ` * The client of the ${model.info.title} version \`${model.apiVersion}\`, generated from its OpenAPI spec.`,
      ' *',
      ' * `createEmbedClient({ apiKey, apiSecret })` returns one helper per operation:',
      ...model.operations.map((op) => ` * - \`client.${op.client.group}.${op.client.method}(...)\`: ${op.summary ?? op.operationId} (\`${op.method.toUpperCase()} ${op.path}\`)`),
      ' *',
      ' * Requests are validated before anything is sent, signed per attempt, retried when safe,',
      ' * and answered with typed results or typed errors. Built on `@embedkit/runtime` (which wraps',
      ' * openapi-fetch).',
      ' *',
      ' * @packageDocumentation',
      ' */',
    ].join('\n'),
  );
  mod.import('@embedkit/runtime', ['createEmbedCore', 'EmbedConfigError', 'EmbedError', 'EmbedValidationError', 'encodeMultipart']);
  mod.import(
    '@embedkit/runtime',
    [
      'CredentialsInput',
      'EmbedCore',
      'EmbedRequestOptions',
      'FetchLike',
      'FileInput',
      'MultipartField',
      'NonceSource',
      'RequestEvent',
      'ResponseEvent',
      'RetryEvent',
      'RetryOptions',
      'ValidationIssue',
    ],
    true,
  );
  mod.import(names.signing, ['createSigningMiddleware']);
  mod.importNamespace(names.types, 'T');
  const validatorImports = new Set<string>();
  for (const op of model.operations) {
    if (op.pathParams.length > 0) validatorImports.add(validatorNames(op.pathParamsTypeName).validate);
    if (op.requestBody) validatorImports.add(validatorNames(op.requestBody.multipart?.inputTypeName ?? op.requestBody.schema.name).validate);
    validatorImports.add(validatorNames(embedSuccess(op).schema.name).validate);
  }
  mod.import(names.validators, [...validatorImports].sort());

  mod.reexport('@embedkit/runtime', [
    'EmbedAbortError',
    'EmbedApiError',
    'EmbedConfigError',
    'EmbedError',
    'EmbedNetworkError',
    'EmbedResponseTooLargeError',
    'EmbedTimeoutError',
    'EmbedValidationError',
    'createNonceSource',
  ]);
  mod.reexport(
    '@embedkit/runtime',
    ['FetchLike', 'KrakenError', 'NonceSource', 'RequestEvent', 'ResponseEvent', 'RetryEvent', 'RetryOptions', 'ValidationIssue'],
    true,
  );
  mod.reexport(names.signing, ['signatureScheme']);
  mod.statements(`export type * from '${names.types}';`);

  mod.const({ name: 'API_VERSION', initializer: `${JSON.stringify(model.apiVersion)} as const`, docs: { description: 'The Embed API version this client speaks.' } });
  if (defaultBaseUrl !== undefined) {
    mod.const({
      name: 'DEFAULT_BASE_URL',
      initializer: JSON.stringify(defaultBaseUrl),
      docs: { description: `The spec's server${model.servers[0]?.description ? `: ${model.servers[0].description}` : ''}` },
    });
  }
  if (model.versionHeader) {
    mod.const({
      name: 'VERSION_HEADER',
      initializer: `Object.freeze({ name: ${JSON.stringify(model.versionHeader.name)}, value: ${JSON.stringify(model.versionHeader.value)} } as const)`,
      docs: { description: `Sent with every request: \`${model.versionHeader.name}: ${model.versionHeader.value}\`.` },
    });
  }

  mod.interface({
    name: 'EmbedClientSettings',
    docs: { description: 'The options of {@link createEmbedClient} besides the credentials.' },
    properties: [
      {
        name: 'baseUrl',
        type: 'string',
        optional: defaultBaseUrl !== undefined,
        docs: {
          description:
            defaultBaseUrl !== undefined
              ? `API origin. Default: \`${defaultBaseUrl}\` (the spec's server); sandbox hosts are issued by Kraken.`
              : 'API origin.',
        },
      },
      {
        name: 'fetch',
        type: 'FetchLike',
        optional: true,
        docs: {
          description:
            'Transport. Default: on Node, a streaming transport over undici (its dispatcher API); elsewhere `globalThis.fetch`. Any `(request: Request) => Promise<Response>` works (a test double, a proxy-aware fetch...).',
        },
      },
      { name: 'retry', type: 'RetryOptions', optional: true, docs: { description: 'Retry policy: attempts, backoff, `Retry-After` cap, nonce retries (see `RetryOptions`).' } },
      {
        name: 'timeoutMs',
        type: 'number',
        optional: true,
        docs: {
          description:
            'Per-attempt timeout in milliseconds, covering every phase (nonce, hashing, connecting, sending, reading). Default 60000.',
        },
      },
      {
        name: 'maxResponseBytes',
        type: 'number',
        optional: true,
        docs: { description: 'Largest response body accepted (larger ones reject with `EmbedResponseTooLargeError`). Default 4 MiB.' },
      },
      {
        name: 'validate',
        type: 'boolean | { request?: boolean; response?: boolean }',
        optional: true,
        docs: {
          description:
            'Validate requests before sending and responses after receiving. Default `true` (both); `false` turns both off, or pick one with `{ request, response }`.',
        },
      },
      {
        name: 'nonces',
        type: 'NonceSource',
        optional: true,
        docs: {
          description:
            'Nonce source; default: the process-wide one. Share one source among all clients of one API key (for several processes, a shared store).',
        },
      },
      { name: 'nonce', type: 'NonceSource', optional: true, docs: { description: 'Alias of `nonces`.' } },
      { name: 'headers', type: 'Record<string, string>', optional: true, docs: { description: 'Extra headers sent with every request.' } },
      {
        name: 'onRequest',
        type: '(event: RequestEvent) => void',
        optional: true,
        docs: { description: 'Called before each attempt (method, path template, attempt), for logging and metrics.' },
      },
      {
        name: 'onResponse',
        type: '(event: ResponseEvent) => void',
        optional: true,
        docs: { description: 'Called after each attempt (status, duration, request id or error code; never secrets or bodies).' },
      },
      { name: 'onRetry', type: '(event: RetryEvent) => void', optional: true, docs: { description: 'Called before each retry, for logging and metrics.' } },
      {
        name: 'debug',
        type: 'boolean | ((line: string) => void)',
        optional: true,
        docs: { description: 'Logs one line per attempt (never secrets, headers or bodies): `true` to `console.error`, or your function.' },
      },
    ],
  });
  mod.typeAlias({
    name: 'EmbedClientOptions',
    type: 'CredentialsInput & EmbedClientSettings',
    docs: {
      description:
        'Options of {@link createEmbedClient}: `{ apiKey, apiSecret }` (or `{ credentials }`, an `ApiCredentials`) and the settings.',
    },
  });
  mod.interface({
    name: 'RequestOptions',
    docs: { description: 'Per-call options of every helper.' },
    properties: [
      { name: 'signal', type: 'AbortSignal', optional: true, docs: { description: 'Aborts the call, including retries and waits (rejects with `EmbedAbortError`).' } },
      { name: 'timeoutMs', type: 'number', optional: true, docs: { description: "Overrides the client's per-attempt timeout." } },
      { name: 'retry', type: 'RetryOptions', optional: true, docs: { description: "Overrides the client's retry options for this call." } },
      { name: 'headers', type: 'Record<string, string>', optional: true, docs: { description: 'Extra headers for this call.' } },
    ],
  });

  // The client interface, grouped as in x-embed-client.
  const groups = new Map<string, OperationModel[]>();
  for (const op of model.operations) groups.set(op.client.group, [...(groups.get(op.client.group) ?? []), op]);
  const signature = (op: OperationModel) =>
    `(${helperParams(op)
      .map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`)
      .join(', ')}) => Promise<T.${op.resultTypeName}>`;
  const groupTypeName = (group: string) => `${group[0]!.toUpperCase()}${group.slice(1)}Api`;
  for (const [group, ops] of groups) {
    mod.interface({
      name: groupTypeName(group),
      docs: { description: `The \`client.${group}\` helpers.` },
      properties: ops.map((op) => ({ name: op.client.method, type: signature(op), readonly: true, docs: { description: helperDocs(op) } })),
    });
  }
  mod.interface({
    name: 'EmbedClient',
    docs: { description: `A client of the Embed API \`${model.apiVersion}\`, from {@link createEmbedClient}.` },
    properties: [
      ...[...groups.keys()].map((group) => ({
        name: group,
        type: groupTypeName(group),
        readonly: true,
        docs: { description: `Operations of the \`${group}\` group (\`x-embed-client.group\` in the spec).` },
      })),
      {
        name: 'core',
        type: 'EmbedCore<T.paths>',
        readonly: true,
        docs: {
          description:
            'The underlying runtime core (signing, retries, typed errors) for requests the helpers do not cover. `core.http` is the openapi-fetch client every request goes through: it signs but does not retry or validate.',
        },
      },
    ],
  });

  addThrowIfInvalid(mod);
  mod.function({
    name: 'typed',
    exported: false,
    params: [
      { name: 'error', type: 'unknown' },
      { name: 'operation', type: 'string' },
    ],
    returnType: 'EmbedError',
    docs: { description: 'Any failure as a typed error: an EmbedError as it is, anything else (a throwing getter, a value JSON cannot encode...) as an EmbedConfigError.' },
    body: (w) => {
      w.writeLine('if (error instanceof EmbedError) return error;');
      w.writeLine("const kind = error instanceof Error ? error.name : typeof error;");
      w.writeLine('return new EmbedConfigError(`${operation}: the arguments cannot be used (${kind})`, { cause: error });');
    },
  });
  mod.function({
    name: 'filePart',
    exported: false,
    params: [
      { name: 'name', type: 'string' },
      { name: 'value', type: 'FileInput' },
      { name: 'declaredType', type: 'string', optional: true },
    ],
    returnType: 'MultipartField',
    docs: {
      description:
        "A file part. Its Content-Type is the file's own type, else the media type the spec declares for the part, else application/octet-stream; its filename is File.name or the part name.",
    },
    body: (w) => {
      w.writeLine("if (declaredType === undefined || (value instanceof Blob && value.type !== '')) return { name, value };");
      w.writeLine("const filename = typeof File !== 'undefined' && value instanceof File && value.name !== '' ? value.name : name;");
      w.writeLine('return { name, value, contentType: declaredType, filename };');
    },
  });
  mod.function({
    name: 'callOptions',
    exported: false,
    typeParameters: ['R'],
    params: [{ name: 'options', type: 'RequestOptions | undefined' }],
    returnType: "Pick<EmbedRequestOptions<R>, 'signal' | 'timeoutMs' | 'retry' | 'headers'>",
    docs: { description: 'Copies the defined per-call options (exactOptionalPropertyTypes-safe).' },
    body: (w) => {
      w.writeLine("const out: Pick<EmbedRequestOptions<R>, 'signal' | 'timeoutMs' | 'retry' | 'headers'> = {};");
      w.writeLine('if (options === undefined) return out;');
      for (const key of ['signal', 'timeoutMs', 'retry', 'headers']) {
        w.writeLine(`if (options.${key} !== undefined) out.${key} = options.${key};`);
      }
      w.writeLine('return out;');
    },
  });

  for (const op of model.operations) {
    const mp = op.requestBody?.multipart;
    if (mp) {
      mod.function({
        name: `${op.operationId}Parts`,
        exported: false,
        params: [{ name: 'input', type: `T.${mp.inputTypeName}` }],
        returnType: 'MultipartField[]',
        docs: { description: `The multipart parts of \`${op.operationId}\`, in the spec's property order, optional parts only when given.` },
        body: (w) => writeParts(w, mp),
      });
    }
  }

  mod.function({
    name: 'createEmbedClient',
    params: [{ name: 'options', type: 'EmbedClientOptions' }],
    returnType: 'EmbedClient',
    docs: {
      description: `Creates a client of the Embed API \`${model.apiVersion}\`. The options are checked at once (a secret that is not base64, a bad \`baseUrl\`... throw \`EmbedConfigError\`, never echoing the secret).`,
      tags: [
        {
          name: 'example',
          text: exampleCode(model),
        },
      ],
    },
    body: (w) => {
      w.writeLine('try {');
      w.indent(() => writeCreateClient(w, model, groups, defaultBaseUrl));
      w.writeLine('} catch (error) {');
      w.indent(() => w.writeLine("throw typed(error, 'createEmbedClient');"));
      w.writeLine('}');
    },
  });

  return [
    { path: 'client/src/index.ts', contents: mod.toString(header) },
    { path: 'client/README.md', contents: packageReadme(model, ctx, 'client', clientReadme(model)) },
  ];
}

function writeCreateClient(w: Writer, model: ApiModel, groups: Map<string, OperationModel[]>, defaultBaseUrl: string | undefined): void {
      w.writeLine("if (options === null || typeof options !== 'object') throw new EmbedConfigError('createEmbedClient needs an options object');");
      w.writeLine('const validate = options.validate ?? true;');
      w.writeLine("const validateRequests = typeof validate === 'boolean' ? validate : validate.request ?? true;");
      w.writeLine("const validateResponses = typeof validate === 'boolean' ? validate : validate.response ?? true;");
      w.writeLine(
        "const credentials: CredentialsInput = 'credentials' in options && options.credentials !== undefined ? { credentials: options.credentials } : { apiKey: (options as { apiKey: string }).apiKey, apiSecret: (options as { apiSecret: string }).apiSecret };",
      );
      w.writeLine('const nonces = options.nonces ?? options.nonce;');
      w.writeLine('const core = createEmbedCore<T.paths>({');
      w.indent(() => {
        w.writeLine('signing: createSigningMiddleware({ ...credentials, ...(nonces !== undefined ? { nonces } : {}) }),');
        w.writeLine(`baseUrl: options.baseUrl${defaultBaseUrl !== undefined ? ' ?? DEFAULT_BASE_URL' : ''},`);
        if (model.versionHeader) w.writeLine('versionHeader: VERSION_HEADER,');
        for (const key of ['fetch', 'retry', 'timeoutMs', 'maxResponseBytes', 'headers', 'onRequest', 'onResponse', 'onRetry', 'debug']) {
          w.writeLine(`...(options.${key} !== undefined ? { ${key}: options.${key} } : {}),`);
        }
      });
      w.writeLine('});');
      w.blankLine();
      w.writeLine('return {');
      w.indent(() => {
        for (const [group, ops] of groups) {
          w.writeLine(`${group}: Object.freeze({`);
          w.indent(() => {
            for (const op of ops) writeHelper(w, op);
          });
          w.writeLine('}),');
        }
        w.writeLine('core,');
      });
      w.writeLine('};');
}

function writeHelper(w: Writer, op: OperationModel): void {
  const params = helperParams(op)
    .map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`)
    .join(', ');
  w.writeLine(`async ${op.client.method}(${params}): Promise<T.${op.resultTypeName}> {`);
  w.indent(() => {
    w.writeLine('try {');
    w.indent(() => writeHelperBody(w, op));
    w.writeLine('} catch (error) {');
    w.indent(() => w.writeLine(`throw typed(error, ${JSON.stringify(`${op.client.group}.${op.client.method}`)});`));
    w.writeLine('}');
  });
  w.writeLine('},');
}

function writeHelperBody(w: Writer, op: OperationModel): void {
  {
    const body = op.requestBody;
    writeRequestValidation(
      w,
      op,
      op.pathParams.length > 0 ? `{ ${op.pathParams.map((p) => p.name).join(', ')} }` : undefined,
      body && (body.multipart ? { arg: 'input', schemaName: body.multipart.inputTypeName } : { arg: 'body', schemaName: body.schema.name }),
    );
    const responseType = `T.${embedSuccess(op).schema.name}`;
    w.writeLine(`const { data } = await core.request<${responseType}>({`);
    w.indent(() => {
      w.writeLine(`method: ${JSON.stringify(op.method.toUpperCase())},`);
      w.writeLine(`path: ${JSON.stringify(op.path)},`);
      if (op.pathParams.length > 0) w.writeLine(`params: { path: { ${op.pathParams.map((p) => p.name).join(', ')} } },`);
      const body = op.requestBody;
      if (body?.multipart) w.writeLine(`body: { kind: 'multipart', value: encodeMultipart(${op.operationId}Parts(input)) },`);
      else if (body) {
        w.writeLine(body.required ? "body: { kind: 'json', value: body }," : "...(body !== undefined ? { body: { kind: 'json' as const, value: body } } : {}),");
      }
      w.writeLine(`...callOptions<${responseType}>(options),`);
      w.writeLine(`...(validateResponses ? { validateResponse: ${validatorNames(embedSuccess(op).schema.name).validate} } : {}),`);
    });
    w.writeLine('});');
    // With response validation off the body is unchecked: avoid a TypeError on an empty body.
    w.writeLine(
      op.resultProperty
        ? `return (data as ${responseType} | undefined)?.${op.resultProperty} as T.${op.resultTypeName};`
        : 'return data;',
    );
  }
}

/** The variant's JSON part filled with the spec's example for it (so doc examples compile), if any. */
function metadataExampleLines(model: ApiModel, variant: MultipartVariant, indent: string): string[] {
  const part = variant.parts.find((p) => p.kind === 'json');
  if (!part) return [];
  const schema = part.schema.kind === 'ref' ? model.schemas.find((s) => s.name === (part.schema as { name: string }).name)?.schema : part.schema;
  if (schema?.example === undefined) return [`${indent}${part.name}: {},`];
  return `${part.name}: ${tsLiteral(schema.example, indent)},`.split('\n').map((line, i) => (i === 0 ? `${indent}${line}` : line));
}

function exampleCode(model: ApiModel): string {
  const names = packageNames(model.apiVersion);
  const submit = model.operations.find((o) => o.requestBody?.multipart);
  const lines = ['```ts', `import { createEmbedClient } from '${names.client}';`];
  if (submit) lines.push("import { fileFromPath } from '@embedkit/runtime/node';");
  lines.push('', 'const client = createEmbedClient({', '  apiKey: process.env.EMBED_API_KEY!,', '  apiSecret: process.env.EMBED_API_SECRET!,', '});');
  const mp = submit?.requestBody?.multipart;
  const v = mp?.variants[0];
  if (submit && mp && v) {
    const firstFile = v.parts.find((p) => p.kind === 'file' && p.required);
    lines.push(
      '',
      `const result = await client.${submit.client.group}.${submit.client.method}('AA95N84GTESTXXXX', {`,
      `  ${mp.propertyName}: '${v.value}',`,
      ...metadataExampleLines(model, v, '  '),
      ...(firstFile ? [`  files: { ${firstFile.name}: await fileFromPath('./${firstFile.name}.jpg', { type: 'image/jpeg' }) },`] : []),
      '});',
    );
  }
  lines.push('```');
  return lines.join('\n');
}

function clientReadme(model: ApiModel): string {
  const names = packageNames(model.apiVersion);
  const submit = model.operations.find((o) => o.requestBody?.multipart);
  const mp = submit?.requestBody?.multipart;
  const identity = mp?.variants[0];
  const lines: string[] = [
    '## Quick start',
    '',
    '```ts',
    `import { createEmbedClient, EmbedApiError, EmbedValidationError } from '${names.client}';`,
    "import { fileFromPath } from '@embedkit/runtime/node';",
    '',
    'const client = createEmbedClient({',
    '  apiKey: process.env.EMBED_API_KEY!,',
    '  apiSecret: process.env.EMBED_API_SECRET!, // base64, as issued by Kraken',
    model.servers[0] ? `  // baseUrl defaults to ${model.servers[0].url}` : '  baseUrl: "https://...",',
    '});',
    '',
  ];
  if (submit && mp && identity) {
    const files = identity.parts.filter((p) => p.kind === 'file');
    const resultField = model.schemas.find((s) => s.name === embedSuccess(submit).schema.name)?.schema;
    const resultSchema = resultField?.kind === 'object' ? resultField.properties.find((p) => p.name === submit.resultProperty)?.schema : undefined;
    const firstResultKey = resultSchema?.kind === 'object' ? resultSchema.properties[0]?.name : undefined;
    lines.push(
      'try {',
      `  const result = await client.${submit.client.group}.${submit.client.method}('AA95N84GTESTXXXX', {`,
      `    ${mp.propertyName}: '${identity.value}',`,
      ...metadataExampleLines(model, identity, '    '),
      `    files: { ${files
        .filter((f) => f.required)
        .map((f) => `${f.name}: await fileFromPath('./${f.name}.jpg', { type: 'image/jpeg' })`)
        .join(', ')} },`,
      '  });',
      firstResultKey ? `  console.log(result.${firstResultKey});` : '  console.log(result);',
      '} catch (error) {',
      '  if (error instanceof EmbedValidationError) console.error(error.issues); // nothing was sent',
      '  else if (error instanceof EmbedApiError) console.error(error.status, error.errors); // e.g. [{ category: "EAPI", message: "Invalid nonce" }]',
      '  else throw error;',
      '}',
      '```',
      '',
      '(The metadata is the spec\'s example; TypeScript checks yours against this version\'s types.)',
      '',
    );
  } else {
    lines.push('```', '');
  }
  lines.push('## Operations', '', '| helper | request | resolves to |', '|---|---|---|');
  for (const op of model.operations) {
    const args = [...op.pathParams.map((p) => p.name), ...(op.requestBody ? [op.requestBody.multipart ? 'input' : 'body'] : []), 'options?'];
    lines.push(
      `| \`client.${op.client.group}.${op.client.method}(${args.join(', ')})\` | \`${op.method.toUpperCase()} ${op.path}\` | \`${op.resultTypeName}\` (${op.resultProperty ? `the \`${op.resultProperty}\` of ` : ''}\`${embedSuccess(op).schema.name}\`) |`,
    );
  }
  lines.push(
    '',
    'Field names are the spec\'s (snake_case), in requests and results alike.',
    '',
  );
  if (mp) {
    lines.push(
      '## Submitting files',
      '',
      `\`${submit!.client.group}.${submit!.client.method}\` takes \`{ ${mp.propertyName}, metadata, files }\`. The input type depends on \`${mp.propertyName}\`, so TypeScript rejects a`,
      `request without the files that type requires (for example \`${mp.variants.find((v) => v.value === 'selfie')?.value ?? mp.variants[0]!.value}\` without its file).`,
      '',
      '| type | required files | optional files |',
      '|---|---|---|',
      ...mp.variants.map((v) => {
        const files = v.parts.filter((p) => p.kind === 'file');
        const req = files.filter((f) => f.required).map((f) => `\`${f.name}\``);
        const opt = files.filter((f) => !f.required).map((f) => `\`${f.name}\``);
        return `| \`${v.value}\` | ${req.join(', ') || '-'} | ${opt.join(', ') || '-'} |`;
      }),
      '',
      'A file is a `Blob`/`File`, a `Uint8Array`/`Buffer` or an `ArrayBuffer`. On Node, use `fileFromPath(path, { type })` from',
      '`@embedkit/runtime/node`: it returns a file-backed `File` that is streamed when the request is signed and sent, so large',
      'uploads are never held in memory. Give the media type (`image/jpeg`, `application/pdf`...): it becomes the part\'s',
      '`Content-Type` (default `application/octet-stream`), and the filename defaults to the file\'s basename.',
      '',
      'The body is encoded by the runtime\'s deterministic encoder, in the spec\'s part order: the type as a plain field, the',
      'metadata as an `application/json` part without filename, then each file as a file part. The signature covers those',
      'exact bytes.',
      '',
    );
  }
  lines.push(
    '## Errors',
    '',
    'Every helper rejects with a subclass of `EmbedError` (all re-exported here):',
    '',
    '- `EmbedValidationError`: the request failed validation (nothing was sent) or the response did not match the spec; `issues` lists every problem (`path`, `rule`, `message`).',
    '- `EmbedApiError`: the API answered with an error; `status`, `errors` (Kraken\'s `E<Category>:<message>` strings, parsed), `requestId`, `retryAfterMs`.',
    '- `EmbedNetworkError` (`sent` tells whether bytes may have reached the server), `EmbedTimeoutError`, `EmbedAbortError`, `EmbedConfigError`.',
    '',
    'No error, `toJSON()` or `util.inspect` output contains the API secret.',
    '',
    '## Retries, nonces and timeouts',
    '',
    'Each attempt is signed with a new nonce. 408, 429 (honouring `Retry-After`), 503, `EAPI:Invalid nonce` and connection',
    'failures before sending are retried with exponential backoff and jitter. A submission is not retried after an ambiguous',
    'failure (500, a timeout after sending) unless `retry: { retryAmbiguous: true }`. Pass `timeoutMs` and `signal` per call.',
    'Clients in one process that share an API key must share one nonce source (`nonces: createNonceSource()`); clients in',
    'several processes need a shared store: `nonces: createRedisNonceSource({ url, apiKey })` from `@embedkit/nonce-redis` (see',
    '[Nonces across processes](../../../docs/guides/nonces-across-processes.md)).',
    '',
    '## Options',
    '',
    '`createEmbedClient({ apiKey, apiSecret, baseUrl?, fetch?, retry?, timeoutMs?, maxResponseBytes?, validate?, nonces?, headers?, onRequest?, onResponse?, onRetry?, debug? })`;',
    `every request carries \`${model.versionHeader ? `${model.versionHeader.name}: ${model.versionHeader.value}` : 'the API version header'}\`.`,
    '`client.core` is the runtime core underneath, for requests the helpers do not cover.',
    '',
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The plain client: any spec without Kraken's signing. openapi-fetch with the spec's security
// schemes as one middleware, one helper per operation grouped by tag, request validation.
// ---------------------------------------------------------------------------------------------

/** The credential type of a security scheme in the client options. */
function credentialType(scheme: SecuritySchemeModel): string {
  return scheme.kind === 'basic' ? '{ readonly username: string; readonly password: string }' : 'string';
}

/** The plain helper's parameters: `params` when the operation has any, the body, then options. */
function plainHelperParams(op: OperationModel): { name: string; type: string; optional: boolean }[] {
  const out: { name: string; type: string; optional: boolean }[] = [];
  const all = [...op.pathParams, ...op.queryParams, ...op.headerParams, ...op.cookieParams];
  if (all.length > 0) {
    out.push({ name: 'params', type: `T.${op.typeExpression}["parameters"]`, optional: !all.some((p) => p.required) });
  }
  if (op.requestBody) out.push({ name: 'body', type: `T.${op.requestBody.schema.name}`, optional: !op.requestBody.required });
  out.push({ name: 'options', type: 'RequestOptions', optional: true });
  return out;
}

function plainHelperDocs(op: OperationModel): string {
  const lines = [op.summary ? `${op.summary}: \`${op.method.toUpperCase()} ${op.path}\`.` : `\`${op.method.toUpperCase()} ${op.path}\`.`];
  lines.push(...paragraphs(op.description));
  const steps: string[] = [];
  if (op.pathParams.length > 0 || op.requestBody?.encoding === 'json') steps.push('Validates the request before sending anything (rejects with `EmbedValidationError`, nothing sent)');
  if (op.requestBody) steps.push(`sends the body as \`${op.requestBody.mediaType}\``);
  steps.push(`resolves to the ${op.success ? `${op.success.status} response body` : 'response body'}; an HTTP error rejects with \`EmbedApiError\``);
  lines.push(`${steps.join(', ')}.`);
  if (op.deprecated) lines.push('@deprecated The spec marks this operation as deprecated.');
  return lines.join('\n\n');
}

/** How the helper hands the body to openapi-fetch: the serializer and the Content-Type. */
function bodyInit(op: OperationModel): string {
  const body = op.requestBody;
  if (!body) return '';
  const contentType = `headers: { 'Content-Type': ${JSON.stringify(body.mediaType)} }`;
  switch (body.encoding) {
    case 'json':
      return `body, ${contentType}`;
    case 'form':
      return `body, bodySerializer: formUrlEncoded, ${contentType}`;
    case 'multipart':
      // The runtime sets the boundary: no Content-Type here.
      return 'body, bodySerializer: formData';
    case 'text':
      return `body, bodySerializer: String, ${contentType}`;
    case 'binary':
      return `body, bodySerializer: identity, ${contentType}`;
  }
}

function writePlainHelper(w: Writer, op: OperationModel): void {
  const params = plainHelperParams(op);
  w.writeLine(`async ${op.client.method}(${params.map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`).join(', ')}): Promise<T.${op.resultTypeName}> {`);
  w.indent(() => {
    const body = op.requestBody;
    writeRequestValidation(
      w,
      op,
      op.pathParamsSchema ? `params${params[0]?.optional ? '?' : ''}.path ?? {}` : undefined,
      body?.encoding === 'json' ? { arg: 'body', schemaName: body.schema.name } : undefined,
    );
    const init = [
      params.some((p) => p.name === 'params') ? 'params' : undefined,
      bodyInit(op) || undefined,
      `parseAs: ${JSON.stringify(op.success?.parseAs ?? 'json')}`,
    ].filter(Boolean);
    const cookies = op.cookieParams.length > 0 ? ', cookieHeader(params?.cookie)' : '';
    w.writeLine(
      `return (await send(${JSON.stringify(op.method.toUpperCase())}, ${JSON.stringify(op.path)}, { ${init.join(', ')} }, options${cookies})) as T.${op.resultTypeName};`,
    );
  });
  w.writeLine('},');
}

/** Emits the plain client (see above). */
function emitPlainClient(model: ApiModel, ctx: GeneratorContext): GeneratedFile[] {
  const names = packageNames(model.apiVersion);
  const header = fileHeader(model, ctx);
  const mod = new ModuleBuilder('index.ts');
  const defaultBaseUrl = model.servers[0]?.url;
  const schemes = model.securitySchemes;

  mod.statements(
    [
      '/**',
      ` * A client of ${sanitizeDocText(model.info.title)} (API version \`${model.apiVersion}\`), generated from its OpenAPI spec.`,
      ' *',
      ' * `createClient(options)` returns one helper per operation, grouped by tag (`client.<tag>.<operation>(...)`).',
      ' * Requests are validated before anything is sent; HTTP errors reject with `EmbedApiError`. Built on',
      ' * openapi-fetch: `client.http` is the typed openapi-fetch client underneath.',
      ' *',
      ' * @packageDocumentation',
      ' */',
    ].join('\n'),
  );
  mod.import('openapi-fetch', [{ name: 'default', alias: 'createFetchClient' }]);
  mod.import('openapi-fetch', ['Client', 'Middleware'], true);
  mod.import('@embedkit/runtime', ['EmbedApiError', 'EmbedValidationError']);
  mod.import('@embedkit/runtime', ['ValidationIssue'], true);
  mod.importNamespace(names.types, 'T');
  const validatorImports = new Set<string>();
  for (const op of model.operations) {
    if (op.pathParamsSchema) validatorImports.add(validatorNames(op.pathParamsTypeName).validate);
    if (op.requestBody?.encoding === 'json') validatorImports.add(validatorNames(op.requestBody.schema.name).validate);
  }
  if (validatorImports.size > 0) mod.import(names.validators, [...validatorImports].sort());
  mod.reexport('@embedkit/runtime', ['EmbedApiError', 'EmbedError', 'EmbedValidationError']);
  mod.reexport('@embedkit/runtime', ['ValidationIssue'], true);
  mod.statements(`export type * from '${names.types}';`);

  mod.const({ name: 'API_VERSION', initializer: `${JSON.stringify(model.apiVersion)} as const`, docs: { description: 'The API version this client speaks.' } });
  if (defaultBaseUrl !== undefined) {
    mod.const({
      name: 'DEFAULT_BASE_URL',
      initializer: JSON.stringify(defaultBaseUrl),
      docs: { description: `The spec's first server${model.servers[0]?.description ? `: ${model.servers[0].description}` : ''}.` },
    });
  }

  mod.interface({
    name: 'Credentials',
    docs: { description: "Credentials for the spec's security schemes; each is sent only to operations that accept its scheme." },
    properties: schemes.map((scheme) => ({
      name: scheme.optionName,
      type: credentialType(scheme),
      optional: true,
      docs: {
        description: [
          scheme.kind === 'apiKey'
            ? `The \`${scheme.name}\` API key, sent as the ${scheme.in} ${scheme.in === 'header' ? 'header' : 'parameter'} \`${scheme.paramName}\`.`
            : scheme.kind === 'bearer'
              ? `The \`${scheme.name}\` token, sent as \`Authorization: Bearer <token>\`.`
              : `The \`${scheme.name}\` user name and password (HTTP basic authentication).`,
          ...paragraphs(scheme.description).slice(0, 1),
        ].join('\n\n'),
      },
    })),
  });
  mod.interface({
    name: 'ClientOptions',
    docs: { description: 'Options of {@link createClient}.' },
    properties: [
      {
        name: 'baseUrl',
        type: 'string',
        optional: defaultBaseUrl !== undefined,
        docs: { description: defaultBaseUrl !== undefined ? `API origin. Default: \`${defaultBaseUrl}\` (the spec's server).` : 'API origin.' },
      },
      { name: 'credentials', type: 'Credentials', optional: true, docs: { description: 'Credentials per security scheme.' } },
      { name: 'fetch', type: '(request: Request) => Promise<Response>', optional: true, docs: { description: 'Transport. Default: `globalThis.fetch`.' } },
      { name: 'headers', type: 'Record<string, string>', optional: true, docs: { description: 'Headers sent with every request.' } },
      { name: 'middleware', type: 'readonly Middleware[]', optional: true, docs: { description: 'openapi-fetch middleware, run before the credentials are added.' } },
      { name: 'validate', type: 'boolean', optional: true, docs: { description: 'Validate requests before sending them. Default `true`.' } },
    ],
  });
  mod.interface({
    name: 'RequestOptions',
    docs: { description: 'Per-call options of every helper.' },
    properties: [
      { name: 'signal', type: 'AbortSignal', optional: true, docs: { description: 'Aborts the call.' } },
      { name: 'headers', type: 'Record<string, string>', optional: true, docs: { description: 'Extra headers for this call.' } },
    ],
  });

  const groups = new Map<string, OperationModel[]>();
  for (const op of model.operations) groups.set(op.client.group, [...(groups.get(op.client.group) ?? []), op]);
  const groupTypeName = (group: string) => `${pascalCase(group)}Api`;
  for (const [group, ops] of groups) {
    mod.interface({
      name: groupTypeName(group),
      docs: { description: `The \`client.${group}\` helpers.` },
      properties: ops.map((op) => ({
        name: op.client.method,
        readonly: true,
        type: `(${plainHelperParams(op)
          .map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`)
          .join(', ')}) => Promise<T.${op.resultTypeName}>`,
        docs: { description: plainHelperDocs(op) },
      })),
    });
  }
  mod.interface({
    name: 'ApiClient',
    docs: { description: 'A client from {@link createClient}.' },
    properties: [
      ...[...groups.keys()].map((group) => ({
        name: group,
        type: groupTypeName(group),
        readonly: true,
        docs: { description: `Operations tagged \`${groups.get(group)![0]!.tags[0] ?? group}\`.` },
      })),
      {
        name: 'http',
        type: 'Client<T.paths>',
        readonly: true,
        docs: { description: 'The typed openapi-fetch client underneath (credentials applied, no validation), for anything the helpers do not cover.' },
      },
    ],
  });

  // Security: the document's requirements, and each operation's where it differs.
  const key = (op: OperationModel) => `${op.method.toUpperCase()} ${op.path}`;
  const sameSecurity = (a: readonly (readonly string[])[], b: readonly (readonly string[])[]) => JSON.stringify(a) === JSON.stringify(b);
  mod.const({
    name: 'SECURITY',
    exported: false,
    type: 'Readonly<Record<string, readonly (readonly (keyof Credentials)[])[]>>',
    initializer: (w) => {
      w.writeLine('{');
      w.indent(() => {
        const known = new Map(schemes.map((s) => [s.name, s.optionName]));
        const options = (reqs: readonly (readonly string[])[]) =>
          `[${reqs.map((r) => `[${r.filter((n) => known.has(n)).map((n) => JSON.stringify(known.get(n)))}]`).join(', ')}]`;
        w.writeLine(`'*': ${options(model.security)},`);
        for (const op of model.operations) if (!sameSecurity(op.security, model.security)) w.writeLine(`${JSON.stringify(key(op))}: ${options(op.security)},`);
      });
      w.write('}');
    },
    docs: { description: 'The credentials each operation accepts (`METHOD path`), one list per alternative; `*` for the rest.' },
  });
  mod.function({
    name: 'credentialsMiddleware',
    exported: false,
    params: [{ name: 'credentials', type: 'Credentials' }],
    returnType: 'Middleware',
    docs: { description: "Adds the credentials of the first alternative of the operation's security that the options can fill in." },
    body: (w) => {
      w.writeLine('return {');
      w.indent(() => {
        w.write('onRequest({ request, schemaPath })').block(() => {
          w.writeLine("const alternatives = SECURITY[`${request.method} ${schemaPath}`] ?? SECURITY['*'] ?? [];");
          w.writeLine('const chosen = alternatives.find((names) => names.every((name) => credentials[name] !== undefined));');
          w.writeLine('if (chosen === undefined || chosen.length === 0) return undefined;');
          w.writeLine('let url: URL | undefined;');
          w.write('for (const name of chosen)').block(() => {
            w.write('switch (name)').block(() => {
              for (const scheme of schemes) {
                w.write(`case ${JSON.stringify(scheme.optionName)}:`).block(() => {
                  const value = `credentials[${JSON.stringify(scheme.optionName)}]!`;
                  if (scheme.kind === 'bearer') w.writeLine(`request.headers.set('Authorization', \`Bearer \${${value}}\`);`);
                  else if (scheme.kind === 'basic') {
                    w.writeLine(`const { username, password } = ${value};`);
                    w.writeLine("request.headers.set('Authorization', `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)))}`);");
                  } else if (scheme.in === 'header') w.writeLine(`request.headers.set(${JSON.stringify(scheme.paramName)}, ${value});`);
                  else if (scheme.in === 'query') {
                    w.writeLine('url ??= new URL(request.url);');
                    w.writeLine(`url.searchParams.set(${JSON.stringify(scheme.paramName)}, ${value});`);
                  } else {
                    w.writeLine(`const cookie = \`${encodeURIComponent(scheme.paramName ?? '')}=\${encodeURIComponent(${value})}\`;`);
                    w.writeLine("const existing = request.headers.get('Cookie');");
                    w.writeLine("request.headers.set('Cookie', existing ? `${existing}; ${cookie}` : cookie);");
                  }
                  w.writeLine('break;');
                });
              }
            });
          });
          w.writeLine('return url === undefined ? request : new Request(url, request);');
        });
      });
      w.writeLine('};');
    },
  });
  addThrowIfInvalid(mod);
  const encodings = new Set(model.operations.map((op) => op.requestBody?.encoding));
  if (encodings.has('multipart')) {
    mod.function({
      name: 'formData',
      exported: false,
      params: [{ name: 'body', type: 'unknown' }],
      returnType: 'FormData',
      docs: { description: 'A multipart body: Blobs as file parts, objects as JSON, everything else as text; arrays as repeated parts.' },
      body: (w) => {
        w.writeLine('const form = new FormData();');
        w.writeLine('const add = (name: string, value: unknown): void => {');
        w.indent(() => {
          w.writeLine('if (value === undefined) return;');
          w.writeLine('if (value instanceof Blob) form.append(name, value);');
          w.writeLine("else if (value !== null && typeof value === 'object') form.append(name, new Blob([JSON.stringify(value)], { type: 'application/json' }));");
          w.writeLine('else form.append(name, String(value));');
        });
        w.writeLine('};');
        w.write("for (const [name, value] of Object.entries(body as Record<string, unknown>))").block(() => {
          w.writeLine('if (Array.isArray(value)) for (const item of value) add(name, item);');
          w.writeLine('else add(name, value);');
        });
        w.writeLine('return form;');
      },
    });
  }
  if (encodings.has('form')) {
    mod.function({
      name: 'formUrlEncoded',
      exported: false,
      params: [{ name: 'body', type: 'unknown' }],
      returnType: 'string',
      docs: { description: 'An `application/x-www-form-urlencoded` body: arrays as repeated fields, objects as JSON.' },
      body: (w) => {
        w.writeLine('const form = new URLSearchParams();');
        w.write('for (const [name, value] of Object.entries(body as Record<string, unknown>))').block(() => {
          w.writeLine('for (const item of Array.isArray(value) ? value : [value]) {');
          w.indent(() => {
            w.writeLine("if (item !== undefined) form.append(name, item !== null && typeof item === 'object' ? JSON.stringify(item) : String(item));");
          });
          w.writeLine('}');
        });
        w.writeLine('return form.toString();');
      },
    });
  }
  if (encodings.has('binary')) {
    mod.function({ name: 'identity', exported: false, params: [{ name: 'body', type: 'unknown' }], returnType: 'unknown', body: 'return body;', docs: { description: 'A body sent as given.' } });
  }
  if (model.operations.some((op) => op.cookieParams.length > 0)) {
    mod.function({
      name: 'cookieHeader',
      exported: false,
      params: [{ name: 'cookies', type: 'Record<string, unknown> | undefined' }],
      returnType: 'Record<string, string>',
      docs: { description: 'Cookie parameters as a `Cookie` header (openapi-fetch does not send them).' },
      body: (w) => {
        w.writeLine('const pairs = Object.entries(cookies ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);');
        w.writeLine("return pairs.length > 0 ? { Cookie: pairs.join('; ') } : {};");
      },
    });
  }

  mod.function({
    name: 'createClient',
    params: [{ name: 'options', type: 'ClientOptions', initializer: defaultBaseUrl !== undefined ? '{}' : undefined }],
    returnType: 'ApiClient',
    docs: { description: `Creates a client of ${sanitizeDocText(model.info.title)} \`${model.apiVersion}\`.` },
    body: (w) => {
      w.writeLine('const validateRequests = options.validate ?? true;');
      w.writeLine('const http = createFetchClient<T.paths>({');
      w.indent(() => {
        w.writeLine(`baseUrl: options.baseUrl${defaultBaseUrl !== undefined ? ' ?? DEFAULT_BASE_URL' : ''},`);
        w.writeLine('...(options.fetch !== undefined ? { fetch: options.fetch } : {}),');
        w.writeLine('...(options.headers !== undefined ? { headers: options.headers } : {}),');
      });
      w.writeLine('});');
      w.writeLine('if (options.middleware !== undefined) http.use(...options.middleware);');
      w.writeLine('if (options.credentials !== undefined) http.use(credentialsMiddleware(options.credentials));');
      w.writeLine('// The helpers declare their own result types: call openapi-fetch untyped (cheap to type-check).');
      w.writeLine('const loose = http as unknown as { request(method: string, path: string, init: Record<string, unknown>): Promise<{ data?: unknown; error?: unknown; response: Response }> };');
      w.writeLine(
        'const send = async (method: string, path: string, init: Record<string, unknown>, options: RequestOptions | undefined, extraHeaders?: Record<string, string>): Promise<unknown> => {',
      );
      w.indent(() => {
        w.writeLine('const headers = { ...(init.headers as Record<string, string> | undefined), ...extraHeaders, ...options?.headers };');
        w.writeLine('const { data, error, response } = await loose.request(method, path, { ...init, headers, ...(options?.signal !== undefined ? { signal: options.signal } : {}) });');
        w.writeLine('if (!response.ok) throw EmbedApiError.fromResponse(response, error);');
        w.writeLine('return data;');
      });
      w.writeLine('};');
      w.writeLine('return {');
      w.indent(() => {
        for (const [group, ops] of groups) {
          w.writeLine(`${group}: Object.freeze({`);
          w.indent(() => {
            for (const op of ops) writePlainHelper(w, op);
          });
          w.writeLine('}),');
        }
        w.writeLine('http,');
      });
      w.writeLine('};');
    },
  });

  const readme = [
    '## Usage',
    '',
    '```ts',
    `import { createClient } from '${names.client}';`,
    '',
    `const client = createClient({${defaultBaseUrl === undefined ? " baseUrl: 'https://...'," : ''}${schemes[0] ? ` credentials: { ${schemes[0].optionName}: ${schemes[0].kind === 'basic' ? "{ username: '...', password: '...' }" : 'process.env.API_TOKEN!'} }` : ''} });`,
    '```',
    '',
    '## Operations',
    '',
    '| helper | request | resolves to |',
    '|---|---|---|',
    ...model.operations.map((op) => `| \`client.${op.client.group}.${op.client.method}(${plainHelperParams(op).map((p) => `${p.name}${p.optional ? '?' : ''}`).join(', ')})\` | \`${op.method.toUpperCase()} ${op.path}\` | \`${op.resultTypeName}\` |`),
    '',
    'Requests are validated before anything is sent (`EmbedValidationError`, nothing sent); an HTTP error rejects with `EmbedApiError` (`status`, `body`).',
    '`client.http` is the openapi-fetch client underneath.',
    '',
  ].join('\n');
  return [
    { path: 'client/src/index.ts', contents: mod.toString(header) },
    { path: 'client/README.md', contents: packageReadme(model, ctx, 'client', readme) },
  ];
}
