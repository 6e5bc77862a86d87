/**
 * Emits `@embedkit/signing-<version>`: the signature scheme read from the spec's
 * `x-embed-signature` extension, bound to the runtime's signer (`createSigningMiddleware`,
 * `createRequestSigner`, `signRequest`).
 *
 * @module
 */
import { ModuleBuilder } from '../ast/index.js';
import type { GeneratorContext } from '../context.js';
import { packageNames } from '../model/names.js';
import type { ApiModel, SignatureModel } from '../model/types.js';
import { fileHeader, type GeneratedFile, packageReadme, paragraphs } from './common.js';

/** Emits the signing package sources. */
export function emitSigning(model: ApiModel, ctx: GeneratorContext): GeneratedFile[] {
  const sig = model.signature;
  // Without x-embed-signature there is no signing package (see artifactsOf).
  if (sig === undefined) return [];
  const header = fileHeader(model, ctx);
  const mod = new ModuleBuilder('index.ts');
  mod.statements(
    [
      '/**',
      ` * Request signing for the Embed API ${model.apiVersion}, as declared by the spec's \`x-embed-signature\``,
      ` * extension (security scheme \`${sig.schemeName}\`):`,
      ' *',
      ` * \`${sig.signHeader} = base64(HMAC-${sig.hmac.replace('SHA-', 'SHA')}(base64decode(secret), ${sig.signedPath === 'path-with-query' ? 'pathWithQuery' : 'path'} + ${sig.bodyHash.replace('SHA-', 'SHA')}(nonce + body)))\``,
      ' *',
      ` * sent with \`${sig.keyHeader}\` (the API key) and \`${sig.nonceHeader}\` (a strictly increasing nonce). The`,
      " * algorithm itself is implemented once, in `@embedkit/runtime`; this package binds the spec's",
      ' * parameters to it.',
      ' *',
      ' * @packageDocumentation',
      ' */',
    ].join('\n'),
  );
  mod.import(
    '@embedkit/runtime',
    [
      'computeApiSign',
      { name: 'createRequestSigner', alias: 'createRuntimeRequestSigner' },
      { name: 'createSigningMiddleware', alias: 'createRuntimeSigningMiddleware' },
      'defaultNonceSource',
    ],
    false,
  );
  mod.import(
    '@embedkit/runtime',
    ['CredentialsInput', 'NonceSource', 'RequestSigner', 'SignableBody', 'SignatureScheme'],
    true,
  );
  mod.import('@embedkit/runtime', ['EmbedConfigError']);
  mod.reexport('@embedkit/runtime', ['computeApiSign', 'createNonceSource']);
  mod.reexport('@embedkit/runtime', ['NonceRequestOptions', 'NonceSource', 'RequestSigner', 'SignatureScheme', 'SignInput'], true);

  const schemeDescription = paragraphs(sig.description).join('\n\n');
  mod.declaration(
    {
      description: `The request-signing scheme of API version \`${model.apiVersion}\`, read from \`x-embed-signature\` on the \`${sig.schemeName}\` security scheme.${schemeDescription ? `\n\n${schemeDescription}` : ''}`,
    },
    [
      'export const signatureScheme = Object.freeze({',
      `  keyHeader: ${JSON.stringify(sig.keyHeader)},`,
      `  nonceHeader: ${JSON.stringify(sig.nonceHeader)},`,
      `  signHeader: ${JSON.stringify(sig.signHeader)},`,
      `  secretEncoding: ${JSON.stringify(sig.secretEncoding)},`,
      `  hmac: ${JSON.stringify(sig.hmac)},`,
      `  bodyHash: ${JSON.stringify(sig.bodyHash)},`,
      `  signedPath: ${JSON.stringify(sig.signedPath)},`,
      '} as const satisfies SignatureScheme);',
    ].join('\n'),
  );
  mod.typeAlias({
    name: 'SignatureHeaders',
    type: `{ readonly [name in ${[sig.keyHeader, sig.nonceHeader, sig.signHeader].map((h) => JSON.stringify(h)).join(' | ')}]: string }`,
    docs: { description: `The headers that authenticate one request: \`${sig.keyHeader}\`, \`${sig.nonceHeader}\` and \`${sig.signHeader}\`.` },
  });
  mod.typeAlias({
    name: 'SigningOptions',
    type: 'CredentialsInput & { nonces?: NonceSource }',
    docs: {
      description:
        'Credentials (`{ apiKey, apiSecret }` or `{ credentials }`) and an optional nonce source. Share one nonce source among every signer of the same API key (the default is process-wide).',
    },
  });
  mod.function({
    name: 'createSigningMiddleware',
    params: [{ name: 'options', type: 'SigningOptions' }],
    returnType: 'ReturnType<typeof createRuntimeSigningMiddleware>',
    docs: {
      description: `An openapi-fetch middleware that signs every request with this API version's scheme (a new \`${sig.nonceHeader}\` each time openapi-fetch sends, so retries are signed afresh). The generated client sends every request through it; it works as well on a plain \`createClient<paths>()\` (which buffers a request body once to hash it). Register it last, so it signs the bytes actually sent.`,
      tags: [
        {
          name: 'example',
          text: [
            '```ts',
            "import createClient from 'openapi-fetch';",
            `import type { paths } from '${packageNames(model.apiVersion).types}';`,
            `import { createSigningMiddleware } from '${packageNames(model.apiVersion).signing}';`,
            '',
            `const http = createClient<paths>({ baseUrl: '${model.servers[0]?.url ?? 'https://api.example.com'}' });`,
            'http.use(createSigningMiddleware({ apiKey, apiSecret }));',
            '```',
          ].join('\n'),
        },
      ],
    },
    body: 'return createRuntimeSigningMiddleware({ ...options, scheme: signatureScheme });',
  });
  mod.function({
    name: 'createRequestSigner',
    params: [{ name: 'options', type: 'SigningOptions' }],
    returnType: 'RequestSigner',
    docs: {
      description:
        'A signer bound to one key and this API version\'s scheme: `signer.sign({ pathWithQuery, body })` returns the three auth headers, drawing a new nonce each call.',
    },
    body: 'return createRuntimeRequestSigner({ ...options, scheme: signatureScheme });',
  });
  mod.function({
    name: 'signRequest',
    isAsync: true,
    params: [
      {
        name: 'input',
        type: '{ apiKey: string; apiSecret: string; pathWithQuery: string; body?: SignableBody | null | undefined; nonce?: string | bigint | undefined }',
      },
    ],
    returnType: 'Promise<SignatureHeaders>',
    docs: {
      description: `Signs one request and returns its \`${sig.keyHeader}\`, \`${sig.nonceHeader}\` and \`${sig.signHeader}\` headers. \`pathWithQuery\` is the URL path and query exactly as sent (e.g. \`/b2b/users/AA95N84GTESTXXXX\`); \`body\` is the exact body bytes (omit for none). Without \`nonce\`, one is drawn from the process-wide nonce source. To sign many requests, prefer {@link createRequestSigner}, which decodes the secret once.`,
      tags: [
        {
          name: 'example',
          text: [
            '```ts',
            "const headers = await signRequest({ apiKey, apiSecret, pathWithQuery: '/b2b/users/AA95N84GTESTXXXX' });",
            "await fetch('https://nexus.kraken.com/b2b/users/AA95N84GTESTXXXX', { headers });",
            '```',
          ].join('\n'),
        },
      ],
    },
    body: (w) => {
      w.writeLine("if (input === null || typeof input !== 'object') throw new EmbedConfigError('signRequest needs { apiKey, apiSecret, pathWithQuery }');");
      w.writeLine('const drawn = input.nonce ?? defaultNonceSource.next();');
      w.writeLine("const nonce = typeof drawn === 'string' || typeof drawn === 'bigint' ? drawn : await drawn;");
      w.writeLine('const sign = await computeApiSign(input.apiSecret, input.pathWithQuery, nonce, input.body ?? null);');
      w.writeLine('return {');
      w.indent(() => {
        w.writeLine(`${JSON.stringify(sig.keyHeader)}: input.apiKey,`);
        w.writeLine(`${JSON.stringify(sig.nonceHeader)}: String(nonce),`);
        w.writeLine(`${JSON.stringify(sig.signHeader)}: sign,`);
      });
      w.writeLine('};');
    },
  });

  return [
    { path: 'signing/src/index.ts', contents: mod.toString(header) },
    { path: 'signing/README.md', contents: packageReadme(model, ctx, 'signing', signingReadme(model, sig)) },
  ];
}

function signingReadme(model: ApiModel, sig: SignatureModel): string {
  const names = packageNames(model.apiVersion);
  return [
    '## The scheme',
    '',
    `From the spec's \`x-embed-signature\` extension on the \`${sig.schemeName}\` security scheme:`,
    '',
    '| | |',
    '|---|---|',
    `| key header | \`${sig.keyHeader}\` |`,
    `| nonce header | \`${sig.nonceHeader}\` (strictly increasing per key) |`,
    `| signature header | \`${sig.signHeader}\` |`,
    `| secret encoding | ${sig.secretEncoding} |`,
    `| HMAC | ${sig.hmac} |`,
    `| body hash | ${sig.bodyHash} of \`nonce + body\` |`,
    `| signed path | ${sig.signedPath} (the URL path and query exactly as sent) |`,
    ...(sig.message ? [`| message | \`${sig.message}\` |`] : []),
    '',
    'The algorithm is implemented once in `@embedkit/runtime`; this package binds these parameters to it',
    'as the constant `signatureScheme`.',
    '',
    '## Usage',
    '',
    'With openapi-fetch (each request, including each retry, gets a new nonce and signature):',
    '',
    '```ts',
    "import createClient from 'openapi-fetch';",
    `import type { paths } from '${names.types}';`,
    `import { createSigningMiddleware } from '${names.signing}';`,
    '',
    `const http = createClient<paths>({ baseUrl: '${model.servers[0]?.url ?? 'https://api.example.com'}' });`,
    'http.use(createSigningMiddleware({ apiKey: process.env.EMBED_API_KEY!, apiSecret: process.env.EMBED_API_SECRET! }));',
    '```',
    '',
    'By hand, for one request:',
    '',
    '```ts',
    `import { signRequest } from '${names.signing}';`,
    '',
    "const headers = await signRequest({ apiKey, apiSecret, pathWithQuery: '/b2b/users/AA95N84GTESTXXXX' });",
    '```',
    '',
    '`createRequestSigner({ apiKey, apiSecret, nonces? })` returns a reusable signer (`signer.sign({ pathWithQuery, body })`).',
    'Share one nonce source (`createNonceSource()`) among all signers of one API key: the server rejects a nonce',
    'that is not greater than the last one it accepted. The generated client',
    `(\`${names.client}\`) signs for you.`,
    '',
  ].join('\n');
}
