// Free variables of the `@example` blocks in @embedkit/runtime's TSDoc (see scripts/examples.mjs).
// This text is placed above each example of the package; __API_VERSION__ becomes the newest API
// version. Only `import type` with `__` aliases, so nothing here collides with an example's names.
import type * as __client from '@embedkit/client-__API_VERSION__';
import type * as __runtime from '@embedkit/runtime';
import type * as __validators from '@embedkit/validators-__API_VERSION__';
import type { Client as __OpenApiFetchClient } from 'openapi-fetch';

type paths = __client.paths;
declare const apiKey: string;
declare const apiSecret: string;
declare const secret: string;
declare const user: string;
declare const body: __client.SubmitVerificationInput;
declare const input: unknown;
declare const metadata: __client.IdentityDocumentMetadata;
declare const fields: __runtime.MultipartField[];
declare const config: __runtime.EmbedCoreOptions;
declare const core: __runtime.EmbedCore<paths>;
declare const http: __OpenApiFetchClient<paths>;
declare const client: __client.EmbedClient;
declare const validateIdentityDocumentMetadata: typeof __validators.validateIdentityDocumentMetadata;
declare const bytes: Uint8Array;
declare const fakeNs: bigint;
declare const lastPersisted: bigint;
declare function redisIncrAsString(key: string): Promise<string>;
