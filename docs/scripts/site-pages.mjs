// Pages of the site that are generated, not written: built from spec/<version>/openapi.yaml and
// from the changesets / CHANGELOG.md files, so they cannot drift from what they describe. Written
// into docs/.tmp/site-pages/ before TypeDoc runs (build-site.mjs adds them as project documents)
// and compiled like the guides (examples.mjs).
//
// Per API version (found by listing spec/*/openapi.yaml, no list to keep up to date):
// - "Verification types (<version>)": the metadata fields and file parts each verification type
//   requires and allows, with each field's description, constraints and example;
// - "Operations (<version>)": each operation as a TypeScript call, the equivalent raw request
//   (curl) and the response, from the spec's examples;
// - "OpenAPI spec (<version>)": the spec itself (downloadable), one section per schema, which the
//   "See: The spec, `#/components/schemas/X`" lines of the generated packages link to.
// And once: "Changelog", from the packages' CHANGELOG.md files and the pending changesets.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

// Not imported from packages.mjs, which imports this module (its staleness hash covers these pages' inputs).
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const docsRoot = fileURLToPath(new URL('../', import.meta.url));

export const sitePagesDir = join(docsRoot, '.tmp', 'site-pages');
const DATE_VERSION = /^\d{4}-\d{2}-\d{2}$/;

/** Every API version with a spec (`spec/<YYYY-MM-DD>/openapi.yaml`), newest first. */
export function specVersions(root = repoRoot) {
  const specDir = join(root, 'spec');
  if (!existsSync(specDir)) return [];
  return readdirSync(specDir)
    .filter((name) => DATE_VERSION.test(name) && existsSync(join(specDir, name, 'openapi.yaml')))
    .sort()
    .reverse()
    .map((version) => ({ version, specPath: join(specDir, version, 'openapi.yaml') }));
}

/** The spec of one version, parsed. */
export function loadSpec(specPath) {
  return parse(readFileSync(specPath, 'utf8'));
}

/** Follows a local `$ref` (`#/components/schemas/X`); other values are returned as they are. */
export function deref(spec, node) {
  let current = node;
  for (let depth = 0; current && typeof current === 'object' && typeof current.$ref === 'string' && depth < 16; depth++) {
    const { $ref, ...siblings } = current;
    if (!$ref.startsWith('#/')) break;
    const target = $ref
      .slice(2)
      .split('/')
      .reduce((value, key) => value?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
    // OpenAPI 3.1 lets `description` (and friends) sit next to a `$ref`: they win.
    current = { ...target, ...siblings };
  }
  return current;
}

/** `#/components/schemas/X` -> `X`, for a schema that is a `$ref`. */
function refName(node) {
  return typeof node?.$ref === 'string' && node.$ref.startsWith('#/components/schemas/') ? node.$ref.slice('#/components/schemas/'.length) : undefined;
}

function isFile(schema) {
  return schema?.type === 'string' && (schema.format === 'binary' || typeof schema.contentMediaType === 'string');
}

/** The markdown anchor id of a schema's section on the spec page. */
export function schemaAnchor(name) {
  return `schema-${name}`;
}

/** One line of markdown-safe text from a spec description. */
function oneLine(text) {
  return (text ?? '').replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

function code(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `\`${text.replace(/`/g, "'")}\``;
}

const LONG_ENUM = 12;

/**
 * The constraints of a schema in words: type and format, length, pattern, range, enum values
 * (a link to the named type when the list is long), const.
 */
export function constraintsOf(spec, node, typesModule) {
  const name = refName(node);
  const schema = deref(spec, node) ?? {};
  const parts = [];
  // No `| label` in the link: these texts go into markdown table cells, where `|` splits cells.
  const typeLink = name && typesModule ? `{@link "${typesModule}".${name} ${name}}` : name && `\`${name}\``;
  if (schema.const !== undefined) parts.push(`always ${code(schema.const)}`);
  else if (Array.isArray(schema.enum)) {
    if (schema.enum.length > LONG_ENUM) parts.push(`one of ${schema.enum.length} values (${typeLink ?? 'see the spec'})`);
    else parts.push(`one of ${schema.enum.map(code).join(', ')}`);
  } else if (isFile(schema)) parts.push('file');
  else if (schema.type === 'object' && typeLink) parts.push(`object (${typeLink})`);
  else if (schema.type) {
    const type = Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type;
    parts.push(schema.format ? `${type} (${schema.format === 'date' ? 'date, `YYYY-MM-DD`' : schema.format === 'date-time' ? 'date-time, RFC 3339' : schema.format})` : type);
  } else if (!schema.properties && !schema.oneOf) parts.push('any JSON value');
  if (schema.minLength !== undefined && schema.maxLength !== undefined) parts.push(`${schema.minLength} to ${schema.maxLength} characters`);
  else if (schema.minLength !== undefined) parts.push(`at least ${schema.minLength} character${schema.minLength === 1 ? '' : 's'}`);
  else if (schema.maxLength !== undefined) parts.push(`at most ${schema.maxLength} characters`);
  if (schema.pattern) parts.push(`matches ${code(schema.pattern)}`);
  if (schema.minimum !== undefined) parts.push(`>= ${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`<= ${schema.maximum}`);
  if (schema.minProperties !== undefined) parts.push(`at least ${schema.minProperties} field${schema.minProperties === 1 ? '' : 's'}`);
  return parts.join('; ');
}

/**
 * The fields of an object schema, depth first, with their dotted path: `identity.full_name.first_name`.
 * A field is required when it and every object above it are required.
 * @returns {{ path: string, required: boolean, node: unknown, schema: any }[]}
 */
export function fieldsOf(spec, node, prefix = '', parentRequired = true, seen = new Set()) {
  const schema = deref(spec, node) ?? {};
  const out = [];
  const required = new Set(schema.required ?? []);
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const childSchema = deref(spec, child) ?? {};
    const isRequired = parentRequired && required.has(key);
    out.push({ path, required: isRequired, node: child, schema: childSchema });
    const name = refName(child);
    if (childSchema.type === 'object' && childSchema.properties && !(name && seen.has(name))) {
      out.push(...fieldsOf(spec, child, path, isRequired, new Set([...seen, ...(name ? [name] : [])])));
    }
  }
  return out;
}

function valueAt(example, path) {
  return path.split('.').reduce((value, key) => (value && typeof value === 'object' ? value[key] : undefined), example);
}

/**
 * The verification types of the version's multipart submission: the discriminator's values, each
 * with its metadata schema and its file parts (required and optional), and the URL fields of the
 * JSON variant when the spec has one.
 */
export function verificationTypes(spec) {
  const operations = Object.values(spec.paths ?? {}).flatMap((item) => ['get', 'put', 'post', 'patch', 'delete'].map((m) => item?.[m]).filter(Boolean));
  const requestSchema = (mediaType) => {
    const op = operations.find((o) => o.requestBody && deref(spec, o.requestBody).content?.[mediaType]);
    return op ? deref(spec, op.requestBody).content[mediaType].schema : undefined;
  };
  const variantsOf = (node) => {
    const schema = deref(spec, node);
    const property = schema?.discriminator?.propertyName;
    if (!property) return new Map();
    const map = new Map();
    for (const option of schema.oneOf ?? []) {
      const variant = deref(spec, option);
      const value = deref(spec, variant.properties?.[property])?.const ?? deref(spec, variant.properties?.[property])?.enum?.[0];
      if (value !== undefined) map.set(value, { name: refName(option), schema: variant, property });
    }
    return map;
  };
  const multipart = variantsOf(requestSchema('multipart/form-data'));
  const urls = variantsOf(requestSchema('application/json'));
  return [...multipart].map(([type, { name, schema, property }]) => {
    const required = new Set(schema.required ?? []);
    const props = Object.entries(schema.properties ?? {}).filter(([key]) => key !== property);
    const files = props.filter(([, node]) => isFile(deref(spec, node)));
    const metadataEntry = props.find(([key]) => key === 'metadata');
    const urlVariant = urls.get(type);
    const urlFields = urlVariant
      ? Object.entries(urlVariant.schema.properties ?? {})
          .filter(([key, node]) => key.endsWith('_url') && deref(spec, node)?.format === 'uri')
          .map(([key, node]) => ({ name: key, required: (urlVariant.schema.required ?? []).includes(key), description: deref(spec, node).description }))
      : [];
    return {
      type,
      schemaName: name,
      description: schema.description,
      metadata: metadataEntry ? { schemaName: refName(metadataEntry[1]), node: metadataEntry[1], required: required.has('metadata') } : undefined,
      files: files.map(([key, node]) => ({ name: key, required: required.has(key), description: deref(spec, node).description })),
      urlVariant: urlVariant ? { schemaName: urlVariant.name, fields: urlFields } : undefined,
    };
  });
}

function fieldTable(spec, node, typesModule) {
  const metadataSchema = deref(spec, node) ?? {};
  const example = metadataSchema.example;
  const rows = fieldsOf(spec, node).map((field) => {
    const exampleValue = valueAt(example, field.path) ?? field.schema.example;
    const shown = exampleValue !== undefined && (typeof exampleValue !== 'object' || exampleValue === null) ? code(exampleValue) : '';
    return `| \`${field.path}\` | ${field.required ? '**required**' : 'optional'} | ${constraintsOf(spec, field.node, typesModule)} | ${oneLine(field.schema.description)} | ${shown} |`;
  });
  return ['| Field | | Type and constraints | Description | Example |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The "Verification types (<version>)" page. */
export function verificationTypesPage(version, spec) {
  const typesModule = `@embedkit/types-${version}`;
  const types = verificationTypes(spec);
  const lines = [
    '---',
    `title: Verification types (${version})`,
    `category: API ${version}`,
    '---',
    '',
    `# Verification types (${version})`,
    '',
    `What each verification type needs in API version \`${version}\`: its \`metadata\` fields and its file parts. Generated from \`spec/${version}/openapi.yaml\` when the site is built, so it says what the spec says; the client validates exactly these rules before sending anything.`,
    '',
    '## Summary',
    '',
    '| `type` | Required metadata | Required files | Optional files |',
    '|---|---|---|---|',
  ];
  for (const t of types) {
    const requiredMetadata = t.metadata ? fieldsOf(spec, t.metadata.node).filter((f) => f.required && !f.path.includes('.')) : [];
    const requiredFiles = t.files.filter((f) => f.required);
    const optionalFiles = t.files.filter((f) => !f.required);
    const metadataSchema = deref(spec, t.metadata?.node) ?? {};
    const metadataText =
      requiredMetadata.length > 0
        ? requiredMetadata.map((f) => code(f.path)).join(', ')
        : metadataSchema.minProperties
          ? `at least ${metadataSchema.minProperties} of ${Object.keys(metadataSchema.properties ?? {}).map(code).join(', ')}`
          : 'none';
    lines.push(
      `| \`${t.type}\` | ${metadataText} | ${requiredFiles.map((f) => code(f.name)).join(', ') || 'none'} | ${optionalFiles.map((f) => code(f.name)).join(', ') || 'none'} |`,
    );
  }
  for (const t of types) {
    lines.push('', `## ${t.type}`, '', oneLine(t.description).replace(/\\\|/g, '|'), '');
    lines.push(`Request type: {@link "${typesModule}".${t.schemaName} ${t.schemaName}}. Metadata: {@link "${typesModule}".${t.metadata?.schemaName} ${t.metadata?.schemaName}}.`, '');
    lines.push('### Metadata', '', fieldTable(spec, t.metadata?.node, typesModule), '');
    lines.push('### Files', '');
    if (t.files.length === 0) lines.push('No file parts.');
    else {
      lines.push('| Part | | Description |', '|---|---|---|');
      for (const f of t.files) lines.push(`| \`${f.name}\` | ${f.required ? '**required**' : 'optional'} | ${oneLine(f.description)} |`);
    }
    if (t.urlVariant && t.urlVariant.fields.length > 0) {
      lines.push('', `With \`verifications.submitFromUrls\` ({@link "${typesModule}".${t.urlVariant.schemaName} ${t.urlVariant.schemaName}}), the files are URLs: ${t.urlVariant.fields.map((f) => `${code(f.name)}${f.required ? ' (required)' : ''}`).join(', ')}.`);
    }
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Operations

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

function operationsOf(spec) {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => deref(spec, p));
      out.push({ path, method, op, parameters });
    }
  }
  return out;
}

function firstExample(media) {
  if (!media) return undefined;
  const named = Object.entries(media.examples ?? {})[0];
  if (named) return { name: named[0], summary: named[1].summary, value: named[1].value };
  if (media.example !== undefined) return { name: 'example', value: media.example };
  return undefined;
}

/** A TypeScript literal of a JSON value, indented. */
function tsLiteral(value, indent = '') {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[${value.map((v) => tsLiteral(v, inner)).join(', ')}]`;
  const entries = Object.entries(value).map(([k, v]) => `${inner}${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${tsLiteral(v, inner)},`);
  return `{\n${entries.join('\n')}\n${indent}}`;
}

const MEDIA_TYPES = { front: 'image/jpeg', back: 'image/jpeg', selfie: 'image/jpeg', document: 'application/pdf', tax_id: 'application/pdf' };

function fileNameFor(part) {
  const type = MEDIA_TYPES[part] ?? 'application/json';
  return { file: `${part}.${type === 'image/jpeg' ? 'jpg' : type === 'application/pdf' ? 'pdf' : 'json'}`, type };
}

function parameterExample(spec, parameter) {
  return parameter.example ?? deref(spec, parameter.schema)?.example ?? deref(spec, parameter.schema)?.default ?? `<${parameter.name}>`;
}

/** The "Operations (<version>)" page. */
export function operationsPage(version, spec) {
  const clientModule = `@embedkit/client-${version}`;
  const server = spec.servers?.[0]?.url ?? 'https://nexus.kraken.com';
  const lines = [
    '---',
    `title: Operations (${version})`,
    `category: API ${version}`,
    '---',
    '',
    `# Operations (${version})`,
    '',
    `Each operation of API version \`${version}\` three ways: the call with {@link "${clientModule}".createEmbedClient | the generated client}, the equivalent raw HTTP request, and the response. The examples are the spec's own (\`spec/${version}/openapi.yaml\`), rendered when the site is built. The client adds the three authentication headers itself; in the raw requests they are placeholders (\`API-Sign\` is computed as the [signing guide](../../guides/signing.md) shows). Error statuses are on the [errors page](../../guides/errors.md).`,
  ];
  for (const { path, method, op, parameters } of operationsOf(spec)) {
    const client = op['x-embed-client'];
    const pathParams = parameters.filter((p) => p.in === 'path');
    const headerParams = parameters.filter((p) => p.in === 'header');
    let urlPath = path;
    for (const p of pathParams) urlPath = urlPath.replace(`{${p.name}}`, encodeURIComponent(String(parameterExample(spec, p))));
    const body = op.requestBody ? deref(spec, op.requestBody) : undefined;
    const [mediaType, media] = body ? Object.entries(body.content ?? {})[0] ?? [] : [];
    const example = firstExample(media);
    const requestSchema = media ? deref(spec, media.schema) : undefined;
    lines.push('', `## ${op.summary ?? op.operationId}`, '', `\`${method.toUpperCase()} ${path}\`${client ? `: \`embed.${client.group}.${client.method}(...)\`` : ''}. ${oneLine(op.description).replace(/\\\|/g, '|')}`, '');

    // The TypeScript call.
    if (client) {
      const args = pathParams.map((p) => tsLiteral(parameterExample(spec, p)));
      const imports = [`import { createEmbedClient } from '${clientModule}';`];
      if (mediaType === 'multipart/form-data' && example) {
        const variantName = requestSchema?.discriminator?.mapping?.[example.value?.[requestSchema.discriminator.propertyName]];
        const variant = variantName ? deref(spec, { $ref: variantName }) : undefined;
        const fileKeys = Object.keys(example.value).filter((key) => isFile(deref(spec, variant?.properties?.[key])));
        const fields = Object.fromEntries(Object.entries(example.value).filter(([key]) => !fileKeys.includes(key)));
        const literal = tsLiteral(fields).replace(/\n}$/, '');
        const files = fileKeys.map((key) => {
          const { file, type } = fileNameFor(key);
          return `    ${key}: await fileFromPath('${file}', { type: '${type}' }),`;
        });
        imports.push("import { fileFromPath } from '@embedkit/runtime/node';");
        args.push(`${literal}\n  files: {\n${files.join('\n')}\n  },\n}`);
      } else if (example) {
        args.push(tsLiteral(example.value));
      }
      lines.push(
        '### TypeScript',
        '',
        '```ts',
        ...imports,
        '',
        'const embed = createEmbedClient({ apiKey: process.env.EMBED_API_KEY!, apiSecret: process.env.EMBED_API_SECRET! });',
        '',
        `const result = await embed.${client.group}.${client.method}(${args.join(', ')});`,
        'console.log(result);',
        '```',
        '',
      );
    }

    // The raw request.
    const curl = [`curl -X ${method.toUpperCase()} '${server}${urlPath}'`, "  -H 'API-Key: <your API key>'", "  -H 'API-Nonce: <nonce>'", "  -H 'API-Sign: <signature>'"];
    for (const h of headerParams) curl.push(`  -H '${h.name}: ${parameterExample(spec, h)}'`);
    if (mediaType === 'multipart/form-data' && example) {
      for (const [key, value] of Object.entries(example.value)) {
        const schema = deref(spec, requestSchema?.discriminator ? deref(spec, { $ref: requestSchema.discriminator.mapping[example.value[requestSchema.discriminator.propertyName]] })?.properties?.[key] : requestSchema?.properties?.[key]);
        if (isFile(schema)) {
          const { file, type } = fileNameFor(key);
          curl.push(`  -F '${key}=@${file};type=${type}'`);
        } else if (typeof value === 'object') {
          const contentType = media.encoding?.[key]?.contentType;
          curl.push(`  -F '${key}=${JSON.stringify(value)}${contentType ? `;type=${contentType}` : ''}'`);
        } else curl.push(`  -F '${key}=${value}'`);
      }
    } else if (mediaType && example) {
      curl.push(`  -H 'Content-Type: ${mediaType}'`, `  --data '${JSON.stringify(example.value)}'`);
    }
    lines.push('### Raw request', '', '```sh', curl.join(' \\\n'), '```', '');
    if (mediaType === 'multipart/form-data') {
      const typed = Object.entries(media.encoding ?? {}).map(([part, encoding]) => `\`${part}\` as \`${encoding.contentType}\``);
      lines.push(
        `curl chooses its own multipart boundary, and the signature covers the exact body bytes, so compute \`API-Sign\` over the body curl sends (or let the client build and sign it).${typed.length > 0 ? ` The spec sends ${typed.join(', ')} (see its \`encoding\`).` : ''}`,
        '',
      );
    }

    // The response.
    const [status, responseRef] = Object.entries(op.responses ?? {}).find(([code]) => code.startsWith('2')) ?? [];
    const response = responseRef ? deref(spec, responseRef) : undefined;
    const responseExample = firstExample(response?.content?.['application/json']);
    lines.push('### Response', '');
    if (responseExample) {
      lines.push(`\`${status}\`: ${oneLine(response.description)}`, '', '```json', JSON.stringify(responseExample.value, null, 2), '```', '');
      const resultProperty = client && responseExample.value && typeof responseExample.value === 'object' && 'result' in responseExample.value;
      if (resultProperty) lines.push(`The client resolves to the \`result\` member: \`${JSON.stringify(responseExample.value.result).slice(0, 120)}\`${JSON.stringify(responseExample.value.result).length > 120 ? '...' : ''}.`, '');
    } else lines.push(`\`${status}\`: ${oneLine(response?.description)}`, '');
    const errors = Object.keys(op.responses ?? {}).filter((code) => !code.startsWith('2'));
    if (errors.length > 0) lines.push(`Error statuses: ${errors.map((c) => `\`${c}\``).join(', ')}; see the [errors page](../../guides/errors.md).`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// The spec, published

/** The "OpenAPI spec (<version>)" page: the file to download, then one section per schema. */
export function specPage(version, specPath, spec) {
  const relativeSpec = relative(sitePagesDir, specPath).split('\\').join('/');
  const lines = [
    '---',
    `title: OpenAPI spec (${version})`,
    `category: API ${version}`,
    '---',
    '',
    `# OpenAPI spec (${version})`,
    '',
    `The contract the \`${version}\` packages are generated from: [\`openapi.yaml\`](${relativeSpec}) (${spec.openapi ? `OpenAPI ${spec.openapi}` : 'OpenAPI'}). Statements marked **[inferred]** or **[third-party]** are not Kraken's own; see its \`info.description\`.`,
    '',
    '## Schemas',
    '',
  ];
  for (const [name, schema] of Object.entries(spec.components?.schemas ?? {})) {
    lines.push(`<a id="${schemaAnchor(name)}"></a>`, '', `### ${name}`, '', `\`#/components/schemas/${name}\``, '', '```yaml', stringify({ [name]: schema }, { lineWidth: 0, flowCollectionPadding: false }).trimEnd(), '```', '');
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Changelog

function listChangelogs(root) {
  const out = [];
  const walk = (dir, depth) => {
    if (depth > 3 || !existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path, depth + 1);
      else if (entry === 'CHANGELOG.md') out.push(path);
    }
  };
  walk(join(root, 'packages'), 0);
  walk(join(root, 'generators'), 1);
  return out.sort();
}

/** The "Changelog" page: each package's released versions, then the changes not released yet. */
export function changelogPage(root = repoRoot) {
  const lines = ['---', 'title: Changelog', '---', '', '# Changelog', ''];
  const released = [];
  for (const file of listChangelogs(root)) {
    const text = readFileSync(file, 'utf8');
    const name = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? relative(root, file);
    const body = text.replace(/^#\s+.+\n/m, '').trim();
    if (/^##\s/m.test(body)) released.push({ name, body: body.replace(/^(#{2,5})\s/gm, '#$1 ') });
  }
  if (released.length === 0) lines.push('**No releases yet.** No package has been published, so there are no release notes; the changes waiting for the first release are listed below.', '');
  for (const { name, body } of released) lines.push(`## ${name}`, '', body, '');

  const changesetDir = join(root, '.changeset');
  const pending = existsSync(changesetDir)
    ? readdirSync(changesetDir)
        .filter((f) => f.endsWith('.md') && f !== 'README.md')
        .sort()
        .map((f) => {
          const text = readFileSync(join(changesetDir, f), 'utf8');
          const match = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
          const bumps = match ? parse(match[1]) ?? {} : {};
          return { bumps, summary: (match ? match[2] : text).trim() };
        })
    : [];
  lines.push('## Not released yet', '');
  if (pending.length === 0) lines.push('No pending changes (no changeset in `.changeset/`).');
  for (const { bumps, summary } of pending) {
    const packages = Object.entries(bumps)
      .map(([name, bump]) => `\`${name}\` (${bump})`)
      .join(', ');
    lines.push(`- ${packages || 'no package'}: ${summary.replace(/\n+/g, ' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes every generated page into docs/.tmp/site-pages/ and returns them, in site order, with
 * the spec files they publish.
 * @returns {{ file: string, version?: string }[]}
 */
export function writeSitePages(root = repoRoot) {
  mkdirSync(sitePagesDir, { recursive: true });
  const pages = [];
  // A file is rewritten only when its text changes: the site build and the examples test may run
  // at the same time, and each must read whole files.
  const write = (name, text, version) => {
    const file = join(sitePagesDir, name);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
    pages.push({ file, version });
  };
  for (const { version, specPath } of specVersions(root)) {
    const spec = loadSpec(specPath);
    write(`operations-${version}.md`, operationsPage(version, spec), version);
    write(`verification-types-${version}.md`, verificationTypesPage(version, spec), version);
    write(`spec-${version}.md`, specPage(version, specPath, spec), version);
  }
  write('changelog.md', changelogPage(root));
  // Pages of a version that no longer exists go.
  const current = new Set(pages.map((p) => p.file));
  for (const name of readdirSync(sitePagesDir)) if (!current.has(join(sitePagesDir, name))) rmSync(join(sitePagesDir, name), { force: true });
  return pages;
}

/** The files the generated pages are built from (for the site's staleness hash). */
export function sitePageInputs(root = repoRoot) {
  const changesetDir = join(root, '.changeset');
  return [
    ...specVersions(root).map((v) => v.specPath),
    ...listChangelogs(root),
    ...(existsSync(changesetDir) ? readdirSync(changesetDir).filter((f) => f.endsWith('.md')).map((f) => join(changesetDir, f)) : []),
  ];
}
