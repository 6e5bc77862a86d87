/**
 * Emits `@embedkit/types-<version>`: openapi-typescript's output (`src/openapi.ts`, binary parts
 * typed `Blob`) plus friendly named aliases written with ts-morph (`src/index.ts`): one per
 * schema, the client input type of each multipart variant and their union, the discriminator
 * union, path parameters, results and error bodies. TSDoc comes from the spec's descriptions.
 *
 * @module
 */
import { createConfig } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import { ModuleBuilder, sanitizeDocText, typeReferenceNode } from '../ast/index.js';
import type { GeneratorContext } from '../context.js';
import { packageNames } from '../model/names.js';
import type { ApiModel, MultipartModel, MultipartPart, MultipartVariant, OperationModel } from '../model/types.js';
import { fileHeader, type GeneratedFile, packageReadme, paragraphs, tsLiteral } from './common.js';

/** Runs openapi-typescript on the bundled document; `format: binary` becomes `Blob`. */
export async function openapiTypes(model: ApiModel): Promise<string> {
  const ast = await openapiTS(structuredClone(model.document) as unknown as Parameters<typeof openapiTS>[0], {
    silent: true,
    // The loader already linted the spec (struct, references) and bundled it: no second lint,
    // which on a large spec costs as much as the rest of openapi-typescript.
    redocly: await createConfig({ extends: [], rules: {} }),
    transform(schemaObject) {
      if ('format' in schemaObject && schemaObject.format === 'binary') {
        return typeReferenceNode('Blob');
      }
      return undefined;
    },
  });
  return astToString(ast);
}

function describe(text: string | undefined): string | undefined {
  const ps = paragraphs(text);
  return ps.length > 0 ? ps.join('\n\n') : undefined;
}

/** The TypeScript type of one multipart part in the client input. */
function partType(variant: MultipartVariant, part: MultipartPart): string {
  if (part.kind === 'discriminator') return JSON.stringify((part.schema.kind === 'string' && part.schema.const) || '');
  if (part.kind === 'file') return 'FileInput';
  if (part.schema.kind === 'ref') return part.schema.name;
  return `Exclude<${variant.schemaName}[${JSON.stringify(part.name)}], undefined>`;
}

function emitMultipart(mod: ModuleBuilder, op: OperationModel, mp: MultipartModel): void {
  mod.typeAlias({
    name: mp.discriminatorTypeName,
    type: mp.variants.map((v) => JSON.stringify(v.value)).join(' | '),
    docs: {
      description: `The values of \`${mp.propertyName}\` accepted by \`${op.operationId}\` (the discriminator of \`${mp.schemaName}\`); each selects the metadata schema and the file parts of the request.`,
    },
  });
  for (const variant of mp.variants) {
    const fields = variant.parts.filter((p) => p.kind !== 'file');
    const files = variant.parts.filter((p) => p.kind === 'file');
    const properties = fields.map((p) => ({
      name: p.name,
      type: partType(variant, p),
      optional: !p.required && p.kind !== 'discriminator',
      docs: { description: describe(p.description), ...(p.schema.deprecated ? { tags: [{ name: 'deprecated', text: `\`${p.name}\` is deprecated in the spec.` }] } : {}) },
    }));
    if (files.length > 0) {
      const filesTypeName = variant.filesTypeName;
      mod.interface({
        name: filesTypeName,
        docs: { description: `The file parts of \`${mp.propertyName}: ${variant.value}\`, each sent as a multipart file part.` },
        properties: files.map((f) => ({
          name: f.name,
          type: 'FileInput',
          optional: !f.required,
          docs: {
            description: [describe(f.description), f.acceptedMediaTypes.length > 0 ? `Media type: ${f.acceptedMediaTypes.join(' or ')}.` : undefined]
              .filter(Boolean)
              .join('\n\n'),
          },
        })),
      });
      properties.push({
        name: 'files',
        type: filesTypeName,
        optional: !files.some((f) => f.required),
        docs: {
          description: `The file parts: ${files.map((f) => `\`${f.name}\`${f.required ? ' (required)' : ''}`).join(', ')}.`,
        },
      });
    }
    const partsDoc = variant.parts
      .map((p) =>
        p.kind === 'file' ? `\`${p.name}\` (file)` : p.kind === 'json' ? `\`${p.name}\` (${p.contentType}, no filename)` : `\`${p.name}\` (text field)`,
      )
      .join(', ');
    mod.interface({
      name: variant.inputTypeName,
      docs: {
        description: `${describe(variant.description) ?? variant.schemaName}\n\nThe client input for \`${mp.propertyName}: ${variant.value}\`. Sent as \`multipart/form-data\` with the parts, in this order: ${partsDoc}.`,
        tags: [{ name: 'see', text: `{@link ${variant.schemaName}} for the wire schema.` }],
      },
      properties,
    });
  }
  mod.typeAlias({
    name: mp.inputTypeName,
    type: mp.variants.map((v) => v.inputTypeName).join(' | '),
    docs: {
      description: `What \`client.${op.client.group}.${op.client.method}(...)\` takes: one of the inputs below, told apart by \`${mp.propertyName}\`. TypeScript checks the metadata and the required files of the chosen \`${mp.propertyName}\`.`,
    },
  });
  mod.interface({
    name: mp.inputByTypeName,
    docs: { description: `The input type of each \`${mp.propertyName}\`, e.g. \`${mp.inputByTypeName}['${mp.variants[0]?.value ?? ''}']\`.` },
    properties: mp.variants.map((v) => ({ name: v.value, type: v.inputTypeName })),
  });
}

/** Emits the types package sources. */
export async function emitTypes(model: ApiModel, ctx: GeneratorContext): Promise<GeneratedFile[]> {
  const header = fileHeader(model, ctx);
  const openapi = await openapiTypes(model);

  const mod = new ModuleBuilder('index.ts');
  mod.statements(
    [
      '/**',
      ` * Types of the ${sanitizeDocText(model.info.title)} version \`${model.apiVersion}\`, generated from its OpenAPI spec.`,
      ' *',
      ' * Named aliases for every schema (snake_case fields, as on the wire), the client input of each',
      ' * request, and what each operation resolves to. `paths`, `components` and `operations` are',
      " * openapi-typescript's output, for openapi-fetch-style consumers.",
      ' *',
      ' * @packageDocumentation',
      ' */',
    ].join('\n'),
  );
  const needsPaths = model.operations.some((op) => op.typeExpression.startsWith('paths['));
  mod.import('./openapi.js', needsPaths ? ['components', 'operations', 'paths'] : ['components', 'operations'], true);
  mod.reexport('./openapi.js', ['$defs', 'components', 'operations', 'paths', 'webhooks'], true);
  mod.typeAlias({
    name: 'FileInput',
    type: 'Blob | Uint8Array | ArrayBuffer',
    docs: {
      description:
        'A file to upload: a `Blob` (a `File`, or a file-backed Blob such as `fs.openAsBlob(path)` or the runtime\'s `fileFromPath`), a `Uint8Array` (a `Buffer`) or an `ArrayBuffer`.',
    },
  });
  for (const s of model.schemas) {
    const title = s.schema.title && s.schema.title !== s.name ? s.schema.title : undefined;
    const description = describe(s.schema.description) ?? title;
    mod.typeAlias({
      name: s.name,
      type: s.typeExpression,
      docs: {
        description: description ?? `The \`${s.name}\` schema.`,
        tags: [
          ...(s.schema.deprecated ? [{ name: 'deprecated', text: `\`${s.name}\` is deprecated in the spec.` }] : []),
          { name: 'see', text: `The spec, \`${s.schema.pointer}\`.` },
        ],
      },
    });
  }
  for (const op of model.operations) {
    if (op.pathParams.length > 0) {
      mod.typeAlias({
        name: op.pathParamsTypeName,
        type: `${op.typeExpression}["parameters"]["path"]`,
        docs: {
          description: `The path parameters of \`${op.operationId}\` (\`${op.method.toUpperCase()} ${op.path}\`): ${op.pathParams.map((p) => `\`${p.name}\``).join(', ')}.`,
        },
      });
    }
    const mp = op.requestBody?.multipart;
    if (mp) emitMultipart(mod, op, mp);
    const success = op.success;
    mod.typeAlias({
      name: op.resultTypeName,
      type: op.resultTypeExpression,
      docs: {
        description: `What \`client.${op.client.group}.${op.client.method}(...)\` resolves to: ${
          success === undefined
            ? 'nothing (the operation declares no 2xx response).'
            : `${op.resultProperty ? `the \`${op.resultProperty}\` of ` : ''}the ${success.status} response body${success.schema ? ` (\`${success.schema.name}\`)` : success.mediaType ? ` (\`${success.mediaType}\`)` : ' (none)'}.`
        }`,
        ...(op.deprecated ? { tags: [{ name: 'deprecated', text: `\`${op.operationId}\` is deprecated in the spec.` }] } : {}),
      },
    });
    const errors = op.responses.filter((r) => r.schema && r !== success && (r.status === 'default' || r.status >= 400));
    const errorNames = [...new Set(errors.map((r) => r.schema!.name))];
    if (errorNames.length > 0) {
      mod.typeAlias({
        name: op.errorBodyTypeName,
        type: errorNames.join(' | '),
        docs: {
          description: `The body of an error response of \`${op.operationId}\` (statuses ${errors.map((r) => r.status).join(', ')}).${model.signature ? ' The client throws `EmbedApiError` with it parsed.' : ''}`,
        },
      });
    }
  }

  return [
    { path: 'types/src/openapi.ts', contents: `${header}\n${openapi}` },
    { path: 'types/src/index.ts', contents: mod.toString(header) },
    { path: 'types/README.md', contents: packageReadme(model, ctx, 'types', typesReadmeBody(model)) },
  ];
}

function typesReadmeBody(model: ApiModel): string {
  const names = packageNames(model.apiVersion);
  const mp = model.operations.find((o) => o.requestBody?.multipart)?.requestBody?.multipart;
  const lines = [
    '## Usage',
    '',
    'The types have no runtime code. Field names are exactly the spec\'s (snake_case), with no renaming layer.',
    '',
  ];
  if (mp) {
    const v = mp.variants[0]!;
    const meta = v.parts.find((p) => p.kind === 'json' && p.schema.kind === 'ref');
    const metaName = meta?.schema.kind === 'ref' ? meta.schema.name : undefined;
    const metaSchema = model.schemas.find((s) => s.name === metaName)?.schema;
    const field = metaSchema?.kind === 'object' ? metaSchema.properties.find((p) => p.required)?.name : undefined;
    lines.push(
      '```ts',
      `import type { ${[metaName, mp.inputTypeName, mp.discriminatorTypeName].filter(Boolean).join(', ')} } from '${names.types}';`,
      '',
    );
    if (metaName && metaSchema?.example !== undefined) {
      lines.push(`const metadata: ${metaName} = ${tsLiteral(metaSchema.example, '')};`, '');
    }
    lines.push(
      `const types: ${mp.discriminatorTypeName}[] = [${mp.variants.map((x) => `'${x.value}'`).join(', ')}];`,
      '',
      `function describe(input: ${mp.inputTypeName}): string {`,
      `  switch (input.${mp.propertyName}) {`,
      `    case '${v.value}':`,
      `      // Narrowed: input.${meta?.name ?? 'metadata'} and input.files are those of ${v.inputTypeName}.`,
      field && meta ? `      return String(input.${meta.name}.${field});` : `      return input.${mp.propertyName};`,
      '    default:',
      `      return input.${mp.propertyName};`,
      '  }',
      '}',
      '```',
      '',
    );
  }
  lines.push(
    '## What is exported',
    '',
    '- One alias per schema of the spec, e.g. ' +
      model.schemas
        .slice(0, 6)
        .map((s) => `\`${s.name}\``)
        .join(', ') +
      '.',
    '- `FileInput`: what a file part accepts (`Blob | Uint8Array | ArrayBuffer`).',
  );
  for (const op of model.operations) {
    const parts = [`\`${op.resultTypeName}\``];
    if (op.pathParams.length > 0) parts.unshift(`\`${op.pathParamsTypeName}\``);
    const m = op.requestBody?.multipart;
    if (m) parts.unshift(`\`${m.inputTypeName}\` (one interface per \`${m.propertyName}\`: ${m.variants.map((v) => `\`${v.inputTypeName}\``).join(', ')}), \`${m.discriminatorTypeName}\``);
    lines.push(`- \`${op.operationId}\` (\`${op.method.toUpperCase()} ${op.path}\`): ${parts.join(', ')}.`);
  }
  lines.push('- `paths`, `components`, `operations`: the raw openapi-typescript output.', '');
  return lines.join('\n');
}
