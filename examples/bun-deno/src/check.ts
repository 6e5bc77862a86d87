/**
 * The generated client on another runtime: run with `bun src/check.ts` or
 * `deno run --allow-net=127.0.0.1 --allow-read --allow-env src/check.ts`, pointed at a sandbox
 * started with fault injection (`EMBED_BASE_URL`, `EMBED_API_KEY`, `EMBED_API_SECRET`, optionally
 * `EMBED_CLOSED_URL`: a URL where nothing listens).
 *
 * It submits one verification of each type (one file streamed from disk), reads the user back,
 * then provokes each typed error. Prints one JSON report on stdout; exits 1 if a check failed.
 * Both runtimes resolve the packages from node_modules and pick the client's fetch transport
 * (the `bun` and `deno` conditions of `@embedkit/runtime`'s `#transport` import).
 */
import {
  createEmbedClient,
  EmbedApiError,
  EmbedConfigError,
  EmbedError,
  EmbedNetworkError,
  EmbedTimeoutError,
  EmbedValidationError,
  type SubmitVerificationInput,
} from '@embedkit/client-2025-04-15';
import { fileFromPath } from '@embedkit/runtime/node';

interface RuntimeGlobals {
  Bun?: { version: string };
  Deno?: { version: { deno: string }; env: { get(name: string): string | undefined } };
  process?: { env: Record<string, string | undefined>; exitCode?: number | string | undefined };
}
const globals = globalThis as unknown as RuntimeGlobals;
const runtime = globals.Bun ? `bun ${globals.Bun.version}` : globals.Deno ? `deno ${globals.Deno.version.deno}` : 'node';
const env = (name: string): string => {
  const value = globals.Deno?.env.get(name) ?? globals.process?.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};

const baseUrl = env('EMBED_BASE_URL');
const credentials = { apiKey: env('EMBED_API_KEY'), apiSecret: env('EMBED_API_SECRET') };
const user = 'AA95N84GRUNTIME01';
const verifiedAt = '2025-04-15T10:00:00Z';
const jpeg = () => new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9])], { type: 'image/jpeg' });
const pdf = () => new Blob(['%PDF-1.4\n%%EOF\n'], { type: 'application/pdf' });

const submissions: SubmitVerificationInput[] = [
  {
    type: 'identity_document',
    metadata: {
      verifier: runtime,
      verified_at: verifiedAt,
      identity: { full_name: { first_name: 'Jane', last_name: 'Example' }, date_of_birth: '1990-01-15' },
      document_type: 'passport',
      document_number: 'P123456789',
      issuing_country: 'GB',
    },
    // Streamed from disk through the runtime's Node file helper (node:fs on Bun and Deno).
    files: { front: await fileFromPath(new URL('../samples/id-front.jpg', import.meta.url).pathname, { type: 'image/jpeg' }) },
  },
  {
    type: 'residence_document',
    metadata: {
      verifier: runtime,
      verified_at: verifiedAt,
      address: { line1: '1 Example Street', city: 'London', postal_code: 'EC1A 1AA', country: 'GB' },
      document_type: 'utility_bill',
    },
    files: { document: pdf() },
  },
  {
    type: 'tax_id_document',
    metadata: { verifier: runtime, verified_at: verifiedAt, tax_id_type: 'national_insurance_number', document_type: 'tax_return', country: 'GB' },
    files: { tax_id: pdf() },
  },
  {
    type: 'selfie',
    metadata: { verifier: runtime, verified_at: verifiedAt, selfie_type: 'selfie' },
    files: { selfie: jpeg() },
  },
  {
    type: 'watchlists',
    metadata: {
      sanctions: { verifier: runtime, verified_at: verifiedAt, status: 'Cleared' },
      pep: { verifier: runtime, verified_at: verifiedAt, status: 'Cleared' },
      negative_news: { verifier: runtime, verified_at: verifiedAt, status: 'Cleared' },
    },
    files: { sanctions_verifier_response: pdf() },
  },
];

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}
const checks: Check[] = [];

async function check(name: string, run: () => Promise<string>): Promise<void> {
  try {
    checks.push({ name, ok: true, detail: await run() });
  } catch (error) {
    checks.push({ name, ok: false, detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}

/** Runs `call`, which must fail with an instance of `type`; returns a description of the error. */
async function expectError(type: abstract new (...args: never[]) => EmbedError, call: () => Promise<unknown>, test: (error: never) => boolean = () => true): Promise<string> {
  try {
    await call();
  } catch (error) {
    if (error instanceof type && error instanceof EmbedError && test(error as never)) return `${error.name} ${error.code}: ${error.message.split('\n')[0]}`;
    throw new Error(`wrong error: ${error instanceof Error ? `${error.name} ${error.message}` : String(error)}`);
  }
  throw new Error('no error');
}

const embed = createEmbedClient({ ...credentials, baseUrl, retry: { maxAttempts: 1 } });

for (const submission of submissions) {
  await check(`submit ${submission.type}`, async () => {
    const { verification_id } = await embed.verifications.submit(user, submission);
    return verification_id;
  });
}
await check('users.get', async () => {
  const { status } = await embed.users.get(user);
  return `state ${status.state}, ${status.required_actions?.length ?? 0} required actions left`;
});
await check('EmbedValidationError (nothing sent)', () =>
  expectError(
    EmbedValidationError,
    () => embed.verifications.submit(user, { ...submissions[3]!, metadata: { verifier: runtime, verified_at: 'yesterday', selfie_type: 'selfie' } } as SubmitVerificationInput),
    (error: EmbedValidationError) => error.issues.some((issue) => issue.path.includes('verified_at')),
  ),
);
await check('EmbedConfigError (secret not base64)', () =>
  expectError(EmbedConfigError, async () => createEmbedClient({ apiKey: credentials.apiKey, apiSecret: 'not base64!', baseUrl })),
);
await check('EmbedApiError 401 Invalid signature (wrong secret)', () => {
  const wrong = createEmbedClient({ apiKey: credentials.apiKey, apiSecret: btoa('x'.repeat(64)), baseUrl, retry: { maxAttempts: 1 } });
  return expectError(EmbedApiError, () => wrong.users.get(user), (error: EmbedApiError) => error.status === 401 && error.errors.some((e) => e.raw === 'EAPI:Invalid signature'));
});
await check('EmbedApiError 503 (fault)', () => {
  const faulty = createEmbedClient({ ...credentials, baseUrl, retry: { maxAttempts: 1 }, headers: { 'X-Sandbox-Fault': '503' } });
  return expectError(EmbedApiError, () => faulty.users.get(user), (error: EmbedApiError) => error.status === 503);
});
await check('EmbedTimeoutError (slow server)', () => {
  const slow = createEmbedClient({ ...credentials, baseUrl, timeoutMs: 300, retry: { maxAttempts: 1 }, headers: { 'X-Sandbox-Fault': 'delay;ms=3000' } });
  return expectError(EmbedTimeoutError, () => slow.users.get(user));
});
await check('EmbedNetworkError (nothing listening)', () => {
  const closed = createEmbedClient({ ...credentials, baseUrl: env('EMBED_CLOSED_URL'), retry: { maxAttempts: 1 } });
  return expectError(EmbedNetworkError, () => closed.users.get(user));
});

const failed = checks.filter((c) => !c.ok).length;
console.log(JSON.stringify({ runtime, checks }));
if (globals.process) globals.process.exitCode = failed === 0 ? 0 : 1;
else if (failed > 0) throw new Error(`${failed} checks failed`);
