/**
 * `@embedkit/nonce-redis`: one `API-Nonce` counter per API key in Redis, shared by every process
 * and host that signs with the key.
 *
 * Kraken accepts a nonce only if it is greater than the last one it accepted for the key. Sources
 * that count on their own (one per process) overlap, and the key's requests then fail with
 * `EAPI:Invalid nonce`; one atomic counter in Redis gives every signer a value above every value
 * handed out before.
 *
 * @example
 * ```ts
 * import { createEmbedClient } from '@embedkit/client-2025-04-15';
 * import { createRedisNonceSource } from '@embedkit/nonce-redis';
 *
 * const nonces = createRedisNonceSource({ url: process.env.REDIS_URL!, apiKey: process.env.EMBED_API_KEY! });
 * const embed = createEmbedClient({ apiKey: process.env.EMBED_API_KEY!, apiSecret: process.env.EMBED_API_SECRET!, nonces });
 * // ... on shutdown:
 * await nonces.close();
 * ```
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import {
  EmbedAbortError,
  EmbedConfigError,
  EmbedNetworkError,
  MAX_NONCE,
  type NonceSource,
  type NonceRequestOptions,
} from '@embedkit/runtime';
import { createClient } from 'redis';
import { NEXT_NONCE_SCRIPT } from './script.js';

/**
 * What this package needs of a Redis client: node-redis's `sendCommand` (a client from
 * `createClient()` of `redis` 5 or 6, connected). Its `abortSignal` and `timeout` options drop a
 * command that is still queued (for example while the client reconnects).
 */
export interface RedisCommandClient {
  sendCommand(args: ReadonlyArray<string>, options?: { abortSignal?: AbortSignal; timeout?: number }): Promise<unknown>;
}

/** Options of {@link createRedisNonceSource}. Give either `client` or `url`. */
export interface RedisNonceSourceOptions {
  /**
   * The API key whose requests these nonces sign (the public key, not the secret). The counter's
   * Redis key is derived from its SHA-256, so the API key itself is not written to Redis.
   */
  apiKey: string;
  /** A connected node-redis client (`createClient()` from `redis`). It is yours: {@link RedisNonceSource.close} leaves it open. */
  client?: RedisCommandClient;
  /**
   * A Redis URL (`redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS) to connect
   * to: the source opens its own connection on first use and reconnects after a failure.
   */
  url?: string | URL;
  /** Prefix of the counter's Redis key. Default `embedkit:nonce:`. */
  keyPrefix?: string;
  /**
   * How long one {@link RedisNonceSource.next} may wait for Redis (connecting included), in
   * milliseconds. Default 1000.
   */
  timeoutMs?: number;
}

/** A {@link NonceSource} backed by a Redis counter. */
export interface RedisNonceSource extends NonceSource {
  /**
   * Draws the next nonce. Rejects with an `EmbedNetworkError` (`sent: false`: nothing reached the
   * Embed API, so the runtime may retry) when Redis cannot be reached or does not answer within
   * `timeoutMs`, an `EmbedAbortError` when `signal` aborts first, and an `EmbedConfigError` when
   * Redis refuses the command (authentication, a key holding something else).
   */
  next(options?: NonceRequestOptions): Promise<bigint>;
  /** The counter's Redis key, e.g. `embedkit:nonce:3f0c…` (no secret, no API key). */
  readonly key: string;
  /** Closes the connection the source opened from `url`; a `client` you passed stays open. */
  close(): Promise<void>;
}

/** The default {@link RedisNonceSourceOptions.timeoutMs}. */
export const DEFAULT_REDIS_NONCE_TIMEOUT_MS = 1000;

/** The default {@link RedisNonceSourceOptions.keyPrefix}. */
export const DEFAULT_REDIS_NONCE_KEY_PREFIX = 'embedkit:nonce:';

/**
 * The counter's Redis key for an API key: the prefix, then the first 32 hex digits of the API
 * key's SHA-256. Every process that signs with the key must use the same prefix.
 */
export function redisNonceKey(apiKey: string, keyPrefix: string = DEFAULT_REDIS_NONCE_KEY_PREFIX): string {
  if (typeof apiKey !== 'string' || apiKey === '') throw new EmbedConfigError('apiKey must be a non-empty string', { option: 'apiKey' });
  if (typeof keyPrefix !== 'string') throw new EmbedConfigError('keyPrefix must be a string', { option: 'keyPrefix' });
  return keyPrefix + createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, 32);
}

const SCRIPT_SHA = createHash('sha1').update(NEXT_NONCE_SCRIPT, 'utf8').digest('hex');
const DIGITS = /^[1-9][0-9]{0,19}$/;
// Redis errors that pass (a replica being promoted, a dataset loading): worth retrying.
const TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|READONLY|CLUSTERDOWN)\b/;

/**
 * Creates a nonce source that draws each nonce from one Redis counter per API key:
 * `max(counter + 1, Redis's clock in epoch nanoseconds)`, atomically, in a Lua script.
 *
 * Every process and host that signs with the API key must use a source with the same Redis and
 * key prefix (and nothing else may sign with that key). Values are read as decimal strings, so
 * they stay exact above 2^53.
 *
 * @throws {@link EmbedConfigError} for missing or invalid options (naming the option, never its value).
 */
export function createRedisNonceSource(options: RedisNonceSourceOptions): RedisNonceSource {
  const { apiKey, client, url, keyPrefix, timeoutMs } = readOptions(options);
  const connection = client === undefined ? ownConnection(url, timeoutMs) : { client, ready: () => Promise.resolve(), close: () => Promise.resolve() };
  const key = redisNonceKey(apiKey, keyPrefix);
  const args = (command: 'EVALSHA' | 'EVAL') => [command, command === 'EVAL' ? NEXT_NONCE_SCRIPT : SCRIPT_SHA, '1', key];

  async function draw(signal: AbortSignal): Promise<unknown> {
    await connection.ready();
    const commandOptions = { abortSignal: signal };
    try {
      return await connection.client.sendCommand(args('EVALSHA'), commandOptions);
    } catch (error) {
      // First use of the script on this server (or after SCRIPT FLUSH): send its text once.
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return await connection.client.sendCommand(args('EVAL'), commandOptions);
    }
  }

  return {
    key,
    async next(nextOptions?: NonceRequestOptions): Promise<bigint> {
      const callerSignal = readSignal(nextOptions);
      if (callerSignal?.aborted) throw new EmbedAbortError({ cause: callerSignal.reason });
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = callerSignal === undefined ? timeout : AbortSignal.any([callerSignal, timeout]);
      let reply: unknown;
      try {
        // The race settles on time even when a command was already written and Redis hangs
        // (node-redis drops a command on abort only while it is still queued).
        reply = await settleBy(draw(signal), signal);
      } catch (error) {
        throw toEmbedError(error, callerSignal, timeout, timeoutMs);
      }
      const text = typeof reply === 'string' ? reply : reply instanceof Uint8Array ? new TextDecoder().decode(reply) : undefined;
      if (text === undefined || !DIGITS.test(text) || BigInt(text) > MAX_NONCE) {
        throw new EmbedConfigError('Redis nonce source: Redis answered something that is not a nonce', { option: 'client' });
      }
      return BigInt(text);
    },
    close: connection.close,
  };
}

/** Reads and checks the options once (a getter that throws is reported as a config error too). */
function readOptions(options: RedisNonceSourceOptions): Required<Pick<RedisNonceSourceOptions, 'apiKey' | 'keyPrefix' | 'timeoutMs'>> &
  Pick<RedisNonceSourceOptions, 'client' | 'url'> {
  let read: Record<string, unknown>;
  try {
    if (options === null || typeof options !== 'object') throw new TypeError('not an object');
    read = { apiKey: options.apiKey, client: options.client, url: options.url, keyPrefix: options.keyPrefix, timeoutMs: options.timeoutMs };
  } catch {
    throw new EmbedConfigError('nonce-redis options must be an object with apiKey and client or url', { option: 'options' });
  }
  const { apiKey, client, url } = read;
  const keyPrefix = read['keyPrefix'] ?? DEFAULT_REDIS_NONCE_KEY_PREFIX;
  const timeoutMs = read['timeoutMs'] ?? DEFAULT_REDIS_NONCE_TIMEOUT_MS;
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new EmbedConfigError('apiKey must be a non-empty string', { option: 'apiKey' });
  }
  if (typeof keyPrefix !== 'string') throw new EmbedConfigError('keyPrefix must be a string', { option: 'keyPrefix' });
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2_147_483_647) {
    throw new EmbedConfigError('timeoutMs must be an integer from 1 to 2147483647', { option: 'timeoutMs' });
  }
  if ((client === undefined) === (url === undefined)) {
    throw new EmbedConfigError('give exactly one of client (a connected node-redis client) and url', { option: 'client' });
  }
  if (client !== undefined && !hasSendCommand(client)) {
    throw new EmbedConfigError('client must be a node-redis client (with sendCommand)', { option: 'client' });
  }
  const out: ReturnType<typeof readOptions> = { apiKey, keyPrefix, timeoutMs };
  if (client !== undefined) out.client = client;
  if (url !== undefined) out.url = url as string | URL;
  return out;
}

function hasSendCommand(client: unknown): client is RedisCommandClient {
  try {
    return client !== null && typeof client === 'object' && typeof (client as RedisCommandClient).sendCommand === 'function';
  } catch {
    return false;
  }
}

/** The `signal` of `next()`'s options, checked. */
function readSignal(options: unknown): AbortSignal | undefined {
  let signal: unknown;
  try {
    signal = options === undefined || options === null ? undefined : (options as NonceRequestOptions).signal;
  } catch {
    throw new EmbedConfigError('the options of next() could not be read', { option: 'signal' });
  }
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw new EmbedConfigError('signal must be an AbortSignal', { option: 'signal' });
}

/** A connection the source owns, opened on first use. */
function ownConnection(url: unknown, timeoutMs: number): { client: RedisCommandClient; ready(): Promise<void>; close(): Promise<void> } {
  let href: string;
  try {
    href = url instanceof URL ? url.href : String(url);
    const protocol = new URL(href).protocol;
    if (typeof url !== 'string' && !(url instanceof URL)) throw new TypeError('not a string');
    if (protocol !== 'redis:' && protocol !== 'rediss:') throw new TypeError('not a Redis URL');
  } catch {
    // Never echo the URL: it may hold the Redis password.
    throw new EmbedConfigError('url must be a redis:// or rediss:// URL', { option: 'url' });
  }
  const client = createClient({
    url: href,
    // Fail fast while disconnected instead of queueing: the caller gets a typed error within
    // its timeout, and the runtime decides whether to retry.
    disableOfflineQueue: true,
    socket: { connectTimeout: timeoutMs, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
  });
  // node-redis reports connection failures as 'error' events; without a listener they would
  // crash the process. Each call reports its own failure as a typed error instead.
  let lastError: unknown;
  client.on('error', (error: unknown) => {
    lastError = error;
  });
  let connecting: Promise<unknown> | undefined;
  let firstConnection: Promise<void> | undefined;
  let connectedOnce = false;
  let closed = false;
  return {
    client: {
      async sendCommand(args, commandOptions) {
        try {
          return await client.sendCommand(args, commandOptions);
        } catch (error) {
          // While reconnecting, node-redis says only "offline": report why the socket failed.
          throw !client.isReady && lastError !== undefined ? lastError : error;
        }
      },
    },
    ready(): Promise<void> {
      if (closed) return Promise.reject(new EmbedConfigError('Redis nonce source: closed', { option: 'close' }));
      // Once connected, node-redis reconnects by itself and fails commands fast while offline.
      if (client.isReady || connectedOnce) return Promise.resolve();
      // Until the first connection: wait for it, or fail at the first connection error (not
      // after the whole timeout). One waiter for all calls; a new one after each failure.
      firstConnection ??= new Promise<void>((resolve, reject) => {
        const onError = (error: unknown) => {
          firstConnection = undefined;
          reject(error);
        };
        client.once('error', onError);
        connecting ??= client.connect();
        connecting.then(
          () => {
            connectedOnce = true;
            client.off('error', onError);
            resolve();
          },
          (error: unknown) => {
            client.off('error', onError);
            onError(error);
          },
        );
      });
      return firstConnection;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (client.isOpen) client.destroy();
    },
  };
}

/** Resolves or rejects like `promise`, or rejects with `signal.reason` as soon as `signal` aborts. */
function settleBy<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // After an event loop stall, timers run before pending socket reads: let a reply that has
    // already arrived win over a timeout that fired in the same turn.
    const onAbort = () => setImmediate(() => reject(signal.reason));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Maps whatever went wrong to a typed error: caller abort, own timeout, Redis refusal, or unreachable. */
function toEmbedError(error: unknown, callerSignal: AbortSignal | undefined, timeout: AbortSignal, timeoutMs: number): Error {
  if (callerSignal?.aborted) return new EmbedAbortError({ cause: callerSignal.reason });
  if (timeout.aborted) {
    return new EmbedNetworkError(`Redis nonce source: no answer from Redis within ${timeoutMs} ms`, { sent: false, systemCode: 'ETIMEDOUT' });
  }
  if (error instanceof EmbedConfigError) return error;
  // Redis answered with an error reply (its text names the rule, never a key or a password).
  if (isErrorReply(error)) {
    const message = (error as Error).message;
    const firstLine = message.split('\n', 1)[0]!.replace(/ script: [0-9a-f]{40}.*$/, '');
    if (TRANSIENT_REPLY.test(firstLine)) {
      return new EmbedNetworkError(`Redis nonce source: Redis is not available (${firstLine})`, { sent: false, systemCode: firstLine.split(' ', 1)[0] });
    }
    return new EmbedConfigError(`Redis nonce source: Redis refused the nonce script (${firstLine})`, { option: 'client' });
  }
  const systemCode = systemCodeOf(error);
  return new EmbedNetworkError(`Redis nonce source: Redis is unreachable (${systemCode})`, { sent: false, systemCode });
}

/** Whether `error` is node-redis's `ErrorReply` (by class name: a client you pass may come from another copy of node-redis). */
function isErrorReply(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  for (let proto = Object.getPrototypeOf(error); proto !== null && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: unknown } }).constructor?.name === 'ErrorReply') return true;
  }
  return false;
}

/** A short, secret-free code for a connection failure: `ECONNREFUSED`, or node-redis's error class name. */
function systemCodeOf(error: unknown): string {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return code;
  const name = error instanceof Error ? error.name : '';
  if (name !== '' && name !== 'Error' && /^[A-Za-z]+$/.test(name)) return name;
  const constructorName = error instanceof Error ? error.constructor.name : '';
  return /^[A-Za-z]+$/.test(constructorName) && constructorName !== 'Error' ? constructorName : 'UNKNOWN';
}
