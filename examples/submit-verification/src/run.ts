/**
 * The demo's logic (`src/demo.ts` is the entry point): submits one verification of each of the five types through the generated
 * client, signed and as multipart, and prints each `verification_id`.
 *
 * By default it starts `@embedkit/sandbox` on a free loopback port and talks to it. Set
 * `EMBED_BASE_URL` (with `EMBED_API_KEY` and `EMBED_API_SECRET`) to run the very same demo against
 * Kraken's sandbox or any compatible server; `EMBED_USER` picks the user (IIBAN).
 */
import { createEmbedClient, EmbedApiError, EmbedError, EmbedValidationError } from '@embedkit/client-2025-04-15';
import { type Sandbox, startSandbox } from '@embedkit/sandbox';
import { buildSubmissions, DEMO_USER } from './submissions.js';

/** Where to send the submissions: a server given by the environment, or a local sandbox. */
async function target(env: NodeJS.ProcessEnv): Promise<{ baseUrl: string; apiKey: string; apiSecret: string; sandbox?: Sandbox }> {
  const baseUrl = env['EMBED_BASE_URL'];
  if (baseUrl === undefined || baseUrl === '') {
    const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
    return { baseUrl: sandbox.url, apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret, sandbox };
  }
  const missing = ['EMBED_API_KEY', 'EMBED_API_SECRET'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new DemoError(`EMBED_BASE_URL is set (${baseUrl}), so ${missing.join(' and ')} must be set too (the API key and its base64 secret).`);
  }
  return { baseUrl, apiKey: env['EMBED_API_KEY']!, apiSecret: env['EMBED_API_SECRET']! };
}

class DemoError extends Error {}

/** Describes a failure with what the server said (Kraken error strings), never the secret. */
function describe(error: unknown): string {
  if (error instanceof EmbedApiError) {
    const errors = error.errors.map((e) => e.raw).join(', ');
    return `HTTP ${error.status}${errors ? `: ${errors}` : ''}${error.requestId ? ` (request id ${error.requestId})` : ''}`;
  }
  if (error instanceof EmbedValidationError) return `rejected before sending: ${error.message}`;
  if (error instanceof EmbedError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** Runs the demo; resolves to the process exit code. */
export async function run(env: NodeJS.ProcessEnv = process.env, out: (line: string) => void = console.log): Promise<number> {
  let server: Awaited<ReturnType<typeof target>>;
  try {
    server = await target(env);
  } catch (error) {
    out(`demo: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const user = env['EMBED_USER'] || DEMO_USER;
  try {
    out(
      server.sandbox
        ? `Started the embedkit sandbox at ${server.baseUrl} (Embed API ${server.sandbox.apiVersion}).`
        : `Using the Embed API at ${server.baseUrl}.`,
    );
    const client = createEmbedClient({ apiKey: server.apiKey, apiSecret: server.apiSecret, baseUrl: server.baseUrl });
    const submissions = await buildSubmissions();
    const failures: string[] = [];
    for (const submission of submissions) {
      try {
        const { verification_id } = await client.verifications.submit(user, submission);
        out(`  ${submission.type.padEnd(20)} verification_id ${verification_id}`);
      } catch (error) {
        const reason = describe(error);
        failures.push(`${submission.type}: ${reason}`);
        out(`  ${submission.type.padEnd(20)} FAILED ${reason}`);
      }
    }
    const accepted = submissions.length - failures.length;
    out(`${accepted} of ${submissions.length} verifications submitted for user ${user}.`);
    if (server.sandbox && failures.length === 0) {
      const { status } = await client.users.get(user);
      const remaining = (status.required_actions ?? []).map((action) => action.verification_type ?? action.action_type);
      out(`The sandbox recorded ${server.sandbox.submissions().length} submissions; required actions left for the user: ${remaining.length > 0 ? remaining.join(', ') : 'none'}.`);
    }
    if (failures.length > 0) {
      out(`demo failed: ${failures.length} submission(s) rejected:`);
      for (const failure of failures) out(`  ${failure}`);
      return 1;
    }
    return 0;
  } catch (error) {
    out(`demo failed: ${describe(error)}`);
    return 1;
  } finally {
    await server.sandbox?.close();
  }
}
