/**
 * The `embedkit-sandbox` command: starts a sandbox and prints where it listens and the credentials
 * it accepts. It is a local test server, so printing its own generated test secret is intended.
 */
import { parseArgs } from 'node:util';
import type { SandboxLimits, SandboxOptions } from './options.js';
import { startSandbox } from './server.js';

const HELP = `Usage: embedkit-sandbox [options]

A local Embed API server that verifies API-Key/API-Nonce/API-Sign and validates requests
against the OpenAPI spec. It serves every API version it ships, chosen per request by the
Payward-Version or Kraken-Version header. Prints its URL and the API key and secret it accepts;
logs one JSON line per request to stderr.

Options (each can also be set in the environment variable shown; a flag wins):
  --port <n>              TCP port (default 8787; 0 picks a free port)        EMBED_SANDBOX_PORT
  --host <addr>           interface (default 127.0.0.1)                       EMBED_SANDBOX_HOST
  --api-key <key>         API key to accept (default: generated)              EMBED_SANDBOX_API_KEY
  --api-secret <base64>   API secret to verify with (default: generated)      EMBED_SANDBOX_API_SECRET
  --api-version <v>       version for requests without a version header       EMBED_SANDBOX_API_VERSION
                          (default: the latest served)
  --spec <path>           an OpenAPI document to serve (replaces the shipped spec of its version)
  --extra-spec <path>     one more OpenAPI document to serve (repeatable)
  --nonce-window <n>      accept nonces up to n below the highest seen, once each  EMBED_SANDBOX_NONCE_WINDOW
                          (default 0: strictly increasing)
  --store-files <dir>     write accepted files to <dir>/<verification_id>/     EMBED_SANDBOX_STORE_FILES
  --faults                honour the X-Sandbox-Fault request header           EMBED_SANDBOX_FAULTS=1
  --fault <spec>          queue a fault for the next request (repeatable), e.g. "503;retry-after=1"
  --max-file-size <b>     limits.fileSize in bytes
  --max-body-size <b>     limits.totalSize in bytes
  --max-json-size <b>     limits.jsonSize in bytes
  --max-parts <n>         limits.parts
  --max-field-size <b>    limits.fieldSize in bytes
  --max-header-size <b>   limits.headerSize in bytes
  --headers-timeout <ms>  time allowed for the request headers
  --request-timeout <ms>  time allowed for the whole request
  --quiet                 do not log requests                                 EMBED_SANDBOX_QUIET=1
  -h, --help              show this help

Sandbox endpoints (unsigned): GET /_sandbox/ready, GET /_sandbox/submissions,
POST /_sandbox/reset, POST /_sandbox/faults {"fault":"503;retry-after=1","times":1}.
`;

/** Flags that may come from the environment instead: EMBED_SANDBOX_<FLAG_IN_UPPER_SNAKE_CASE>. */
const FROM_ENV = ['port', 'host', 'api-key', 'api-secret', 'api-version', 'nonce-window', 'store-files', 'faults', 'quiet'] as const;

/** The environment variable of a flag, e.g. `api-key` -> `EMBED_SANDBOX_API_KEY`. */
export function envName(flag: string): string {
  return `EMBED_SANDBOX_${flag.toUpperCase().replaceAll('-', '_')}`;
}

const LIMIT_FLAGS: Record<string, keyof SandboxLimits> = {
  'max-file-size': 'fileSize',
  'max-body-size': 'totalSize',
  'max-json-size': 'jsonSize',
  'max-parts': 'parts',
  'max-field-size': 'fieldSize',
  'max-header-size': 'headerSize',
};

function integer(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} needs a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * Runs the CLI with the given arguments (without `node` and the script path).
 * @returns A promise that settles once the sandbox is listening.
 */
export async function main(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { values: flags } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-version': { type: 'string' },
      spec: { type: 'string' },
      'extra-spec': { type: 'string', multiple: true },
      'api-key': { type: 'string' },
      'api-secret': { type: 'string' },
      'nonce-window': { type: 'string' },
      'store-files': { type: 'string' },
      faults: { type: 'boolean' },
      fault: { type: 'string', multiple: true },
      'max-file-size': { type: 'string' },
      'max-body-size': { type: 'string' },
      'max-json-size': { type: 'string' },
      'max-parts': { type: 'string' },
      'max-field-size': { type: 'string' },
      'max-header-size': { type: 'string' },
      'headers-timeout': { type: 'string' },
      'request-timeout': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const values: typeof flags = { ...flags };
  for (const flag of FROM_ENV) {
    const value = env[envName(flag)];
    if (value === undefined || value === '' || values[flag] !== undefined) continue;
    if (flag === 'faults' || flag === 'quiet') {
      if (!/^(1|true|0|false)$/.test(value)) throw new Error(`${envName(flag)} must be 1, true, 0 or false`);
      values[flag] = value === '1' || value === 'true';
    } else {
      values[flag] = value;
    }
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const limits: Partial<SandboxLimits> = {};
  for (const [flag, key] of Object.entries(LIMIT_FLAGS)) {
    const value = values[flag as keyof typeof values];
    if (typeof value === 'string') limits[key] = integer(flag, value);
  }
  const options: SandboxOptions = {
    port: values.port === undefined ? 8787 : integer('port', values.port),
    host: values.host ?? '127.0.0.1',
    limits,
  };
  if (values['api-version'] !== undefined) options.apiVersion = values['api-version'];
  if (values.spec !== undefined) options.specPath = values.spec;
  if (values['extra-spec'] !== undefined) options.extraSpecs = values['extra-spec'];
  if (values['api-key'] !== undefined) options.apiKey = values['api-key'];
  if (values['api-secret'] !== undefined) options.apiSecret = values['api-secret'];
  if (values['nonce-window'] !== undefined) options.nonceWindow = integer('nonce-window', values['nonce-window']);
  if (values['store-files'] !== undefined) options.storeFilesDir = values['store-files'];
  if (values.faults || values.fault) options.faults = { header: values.faults === true, queue: values.fault ?? [] };
  const timeouts: NonNullable<SandboxOptions['timeouts']> = {};
  if (values['headers-timeout'] !== undefined) timeouts.headers = integer('headers-timeout', values['headers-timeout']);
  if (values['request-timeout'] !== undefined) timeouts.request = integer('request-timeout', values['request-timeout']);
  options.timeouts = timeouts;
  if (!values.quiet) {
    options.logger = {
      info: (message) => process.stderr.write(`${message}\n`),
      error: (message) => process.stderr.write(`${message}\n`),
    };
  }

  const sandbox = await startSandbox(options);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${JSON.stringify({ event: 'shutdown', time: new Date().toISOString(), signal })}\n`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  // Printed last, once the signal handlers are in place: whoever reads this may stop us right away.
  process.stdout.write(
    [
      `embedkit sandbox: Embed API ${sandbox.apiVersions.join(', ')} (default ${sandbox.apiVersion}) at ${sandbox.url}`,
      `EMBED_BASE_URL=${sandbox.url}`,
      `EMBED_API_KEY=${sandbox.apiKey}`,
      `EMBED_API_SECRET=${sandbox.apiSecret}`,
      `(test credentials of this local sandbox; ready: GET ${sandbox.url}/_sandbox/ready; submissions: GET ${sandbox.url}/_sandbox/submissions)`,
      '',
    ].join('\n'),
  );
}
