/**
 * A fetch-compatible transport over `node:http` / `node:https`.
 *
 * Node 20's global fetch buffers a whole upload and costs several times the CPU of a plain
 * HTTP request. This transport sends the `embedkitBody` side channel directly (one write for
 * small bodies; file-backed Blobs streamed with backpressure), with an exact `Content-Length`,
 * over keep-alive agents with a bounded number of sockets.
 *
 * @module
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { type SignableBody, bodyChunks, bodySize, smallBodyBytes } from '../body.js';
import { type AbortLike, type DirectRequest, setDirectSend } from '../direct.js';
import { EmbedNetworkError } from '../errors.js';
import type { FetchLike } from '../fetch-transport.js';
import { getEmbedkitBody, getEmbedkitSignal, markEmbedkitTransport } from '../side-channel.js';
import { BufferedResponse } from './response.js';

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /**
   * Sockets per origin. Bounded so that concurrent requests queue in order (nonces arrive in
   * the order they were drawn) instead of opening hundreds of connections. Default 32.
   */
  maxSockets?: number;
  /** Close idle keep-alive sockets after this many ms (keep it below the server's keep-alive). Default 4000. */
  freeSocketTimeoutMs?: number;
  /** Use this agent for `http:` URLs (the options above are then ignored for it). */
  agent?: http.Agent;
  /** Use this agent for `https:` URLs. */
  httpsAgent?: https.Agent;
  /**
   * Responses with a `Content-Length` up to this size are read completely before the promise
   * resolves (fastest for API JSON); others are streamed. Default 1 MiB.
   */
  maxBufferedResponseBytes?: number;
}

/** A fetch function backed by node:http, plus its agents. */
export interface NodeFetch extends FetchLike {
  (input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** The agent used for `http:` URLs. */
  readonly agent: http.Agent;
  /** The agent used for `https:` URLs. */
  readonly httpsAgent: https.Agent;
  /** Destroys the agents' sockets (idle keep-alive sockets would otherwise linger until their timeout). */
  close(): void;
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function abortReason(signal: AbortLike): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function decompressorFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return undefined;
  }
}

// Resolves on 'drain'; rejects if the request closes first (so a pump never hangs).
function drained(req: http.ClientRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      req.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      req.off('drain', onDrain);
      reject(new Error('request closed while sending the body'));
    };
    req.once('drain', onDrain);
    req.once('close', onClose);
  });
}

/**
 * Creates a fetch-compatible function that sends with `node:http` / `node:https`.
 *
 * - Body: `request.embedkitBody` when present (the Request's own stream is never read or
 *   teed), else `request.body` streamed with chunked encoding; `Content-Length` is exact.
 * - Abort: `request.embedkitSignal` when present, else `request.signal`.
 * - Small responses with a `Content-Length` are read fully and returned as a `Response` that
 *   serves the bytes without a web-stream round trip; others are streamed.
 * - Errors: connection failures reject with {@link EmbedNetworkError}, whose `sent` is `false`
 *   when the socket never connected (e.g. `ECONNREFUSED`), so nothing can have been received.
 *   An aborted `request.signal` rejects with the signal's reason, like fetch.
 * - Redirects are not followed (a signed request must be re-signed for a new URL); the 3xx
 *   response is returned as is. `gzip`/`deflate`/`br` responses are decompressed.
 *
 * @example
 * ```ts
 * import { createNodeFetch } from '@embedkit/runtime/node';
 * const fetch = createNodeFetch({ maxSockets: 16 });
 * const client = createEmbedCore({ ...config, fetch });
 * // on shutdown:
 * fetch.close();
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const maxSockets = options.maxSockets ?? 32;
  const freeSocketTimeoutMs = options.freeSocketTimeoutMs ?? 4000;
  const maxBuffered = options.maxBufferedResponseBytes ?? 1024 * 1024;
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    maxSockets,
    maxFreeSockets: maxSockets,
    timeout: freeSocketTimeoutMs,
    scheduling: 'lifo',
  };
  const agent = options.agent ?? new http.Agent(agentOptions);
  const httpsAgent = options.httpsAgent ?? new https.Agent(agentOptions);

  const nodeFetch = (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    let request: Request;
    try {
      request = input instanceof Request && init === undefined ? input : new Request(input, init);
    } catch (error) {
      return Promise.reject(error);
    }
    return send(request);
  };

  function send(request: Request): Promise<Response> {
    const signal = getEmbedkitSignal(request);
    if (signal.aborted) return Promise.reject(abortReason(signal));
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    // The side channel wins: the core may leave the Request without a body to save building its stream.
    const side: SignableBody | undefined = getEmbedkitBody(request);
    return transmit(url, request.url, request.method, headers, side, side === undefined ? request.body : null, signal);
  }

  function sendDirect(direct: DirectRequest): Promise<Response> {
    if (direct.signal.aborted) return Promise.reject(abortReason(direct.signal));
    return transmit(direct.url, direct.href, direct.method, direct.headers, direct.body, null, direct.signal);
  }

  function transmit(
    url: URL,
    href: string,
    method: string,
    headers: Record<string, string>,
    side: SignableBody | undefined,
    stream: ReadableStream<Uint8Array> | null,
    signal: AbortLike,
  ): Promise<Response> {
    const isHttps = url.protocol === 'https:';
    if (!isHttps && url.protocol !== 'http:') {
      return Promise.reject(new TypeError(`createNodeFetch: unsupported protocol ${url.protocol}`));
    }
    if (side !== undefined) headers['content-length'] = String(bodySize(side));
    else if (stream === null && (method === 'POST' || method === 'PUT' || method === 'PATCH')) {
      headers['content-length'] = '0';
    }

    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      let connected = false;
      let bodyError: unknown;
      let onAbortStream: ((reason: unknown) => void) | undefined;

      const cleanup = (): void => {
        signal.removeEventListener('abort', onAbort);
      };
      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        cleanup();
        reject(error);
      };
      const succeed = (response: Response, keepAbortListener: boolean): void => {
        if (settled) return;
        settled = true;
        if (!keepAbortListener) cleanup();
        resolve(response);
      };
      const networkError = (error: Error): EmbedNetworkError => {
        const code = (error as NodeJS.ErrnoException).code;
        return new EmbedNetworkError(`${method} ${url.origin}${url.pathname} failed: ${code ?? error.message}`, {
          // Until the socket connects, written bytes sit in Node's buffer: nothing left the machine.
          sent: connected,
          systemCode: code,
          cause: error,
        });
      };
      function onAbort(): void {
        const reason = abortReason(signal);
        req.destroy();
        if (onAbortStream !== undefined) {
          onAbortStream(reason);
          cleanup();
        } else fail(reason);
      }

      const req = (isHttps ? https : http).request({
        protocol: url.protocol,
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers,
        agent: isHttps ? httpsAgent : agent,
      });

      req.on('socket', (socket) => {
        if (req.reusedSocket || !socket.connecting) connected = true;
        else socket.once(isHttps ? 'secureConnect' : 'connect', () => (connected = true));
      });
      req.on('error', (error) => {
        if (signal.aborted) return fail(abortReason(signal));
        fail(bodyError ?? networkError(error));
      });
      req.on('response', (res) => {
        if (settled) {
          res.resume();
          return;
        }
        const status = res.statusCode ?? 0;
        const responseHeaders = new Headers();
        const raw = res.rawHeaders;
        try {
          for (let i = 0; i + 1 < raw.length; i += 2) responseHeaders.append(raw[i]!, raw[i + 1]!);
        } catch (error) {
          res.destroy();
          return fail(new EmbedNetworkError(`${method} ${url.origin}${url.pathname}: invalid response headers`, { sent: true, cause: error }));
        }
        const responseInit: ResponseInit = { status, statusText: res.statusMessage ?? '', headers: responseHeaders };
        const invalid = (error: unknown): void =>
          fail(new EmbedNetworkError(`${method} ${url.origin}${url.pathname}: invalid HTTP response (status ${status})`, { sent: true, cause: error }));
        const make = (body: Uint8Array | ReadableStream<Uint8Array> | null): Response | undefined => {
          try {
            if (body instanceof ReadableStream) {
              const r = new Response(body, responseInit);
              Object.defineProperty(r, 'url', { value: href });
              return r;
            }
            return new BufferedResponse(body, responseInit, href);
          } catch (error) {
            invalid(error);
            return undefined;
          }
        };

        if (NULL_BODY_STATUS.has(status) || method === 'HEAD') {
          res.resume();
          const r = make(null);
          if (r !== undefined) succeed(r, false);
          return;
        }
        const lost = (): EmbedNetworkError =>
          new EmbedNetworkError(`${method} ${url.origin}${url.pathname}: connection lost while reading the response`, { sent: true });
        const decoder = decompressorFor(res.headers['content-encoding']);
        const length = Number(res.headers['content-length'] ?? Number.NaN);

        if (decoder === undefined && length <= maxBuffered) {
          // Small, known-length response: read it all, then hand over a ready Response.
          const chunks: Buffer[] = [];
          let total = 0;
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            total += chunk.length;
          });
          res.on('end', () => {
            const body = total === 0 ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
            const r = make(body);
            if (r !== undefined) succeed(r, false);
          });
          res.on('error', () => fail(lost()));
          res.on('close', () => {
            if (!res.complete) fail(lost());
          });
          return;
        }

        // Unknown length, large, or compressed: stream it with backpressure.
        const source: Readable = decoder === undefined ? res : res.pipe(decoder);
        if (decoder !== undefined) res.on('error', (error) => decoder.destroy(error));
        let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;
        let done = false;
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controllerRef = controller;
            source.on('data', (chunk: Buffer) => {
              controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
              if ((controller.desiredSize ?? 0) <= 0) source.pause();
            });
            source.on('end', () => {
              done = true;
              cleanup();
              controller.close();
            });
            source.on('error', (error) => {
              if (done) return;
              done = true;
              cleanup();
              controller.error(decoder !== undefined && res.complete ? error : lost());
            });
            res.on('close', () => {
              if (!res.complete && !done) {
                done = true;
                cleanup();
                controller.error(lost());
              }
            });
          },
          pull() {
            source.resume();
          },
          cancel() {
            done = true;
            cleanup();
            res.destroy();
          },
        });
        onAbortStream = (reason) => {
          if (done) return;
          done = true;
          controllerRef?.error(reason);
        };
        const r = make(stream);
        if (r !== undefined) succeed(r, true);
      });

      signal.addEventListener('abort', onAbort, { once: true });

      const pump = async (chunks: AsyncIterable<Uint8Array>): Promise<void> => {
        try {
          for await (const chunk of chunks) {
            if (req.destroyed) return;
            if (!req.write(chunk)) await drained(req);
          }
          req.end();
        } catch (error) {
          if (req.destroyed) return;
          // A body that cannot be read (e.g. a file removed mid-upload) is not a network error.
          bodyError = error;
          req.destroy(error instanceof Error ? error : new Error(String(error)));
        }
      };

      if (side !== undefined) {
        const small = smallBodyBytes(side);
        if (small instanceof Uint8Array) req.end(small);
        else if (small !== undefined) {
          small.then(
            (bytes) => req.end(bytes),
            (error: unknown) => {
              bodyError = error;
              req.destroy(error instanceof Error ? error : new Error(String(error)));
            },
          );
        } else void pump(bodyChunks(side));
      } else if (stream !== null) {
        void pump(stream as unknown as AsyncIterable<Uint8Array>);
      } else {
        req.end();
      }
    });
  }

  return Object.assign(setDirectSend(markEmbedkitTransport(nodeFetch), sendDirect), {
    agent,
    httpsAgent,
    close(): void {
      agent.destroy();
      httpsAgent.destroy();
    },
  });
}
