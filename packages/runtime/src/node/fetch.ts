/**
 * A fetch-compatible transport over undici's dispatcher API.
 *
 * Node 20's global fetch buffers a whole upload and costs several times the CPU of a plain
 * HTTP request; `node:http` costs about twice what undici's dispatcher does per request. This
 * transport hands the exact body a core Request was built from to an undici `Agent` (one write
 * for small bodies; file-backed Blobs streamed with backpressure), with an exact
 * `Content-Length`, over keep-alive connections with a bounded number per origin.
 *
 * @module
 */
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { EmbedNetworkError } from '../errors.js';
import { type SignableBody, bodyChunks, bodySize, smallBodyBytes } from '../internal/body.js';
import { bufferedResponse } from '../internal/buffered-response.js';
import { isNotSentCode } from '../internal/network-error.js';
import { bodySourceOf } from '../internal/signable-request.js';

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /**
   * Connections per origin. Bounded so that concurrent requests queue in order (nonces arrive
   * in the order they were drawn) instead of opening hundreds of connections. Default 32.
   */
  maxSockets?: number;
  /** Close idle keep-alive connections after this many ms (keep it below the server's keep-alive). Default 4000. */
  freeSocketTimeoutMs?: number;
  /**
   * Send through this undici dispatcher instead (a `ProxyAgent`, an `Agent` with TLS options, a
   * `MockAgent` in tests...). `maxSockets`, `freeSocketTimeoutMs` and the proxy environment
   * variables then do not apply, and {@link NodeFetch.close} leaves it open.
   */
  dispatcher?: Dispatcher;
  /**
   * Responses with a `Content-Length` up to this size are read completely before the promise
   * resolves (fastest for API JSON); others are streamed. Default 1 MiB.
   */
  maxBufferedResponseBytes?: number;
}

/** A fetch function backed by an undici dispatcher (usable wherever a `FetchLike` transport is). */
export interface NodeFetch {
  (input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** Closes the connections of the dispatcher this transport created (idle keep-alive connections would otherwise linger until their timeout). */
  close(): Promise<void>;
}

type AgentClass = typeof import('undici').Agent;

// undici is loaded with the first request, not at import, and only the dispatcher module needed:
// the whole package (fetch, WebSocket, caches, mocks...) takes 130-150 ms to load on a small
// machine, the Agent module about 40 ms. The specifier is a variable so that bundlers leave
// undici out of a bundled service (it is most of its size); undici has no "exports" map, so
// these are its own module paths (a test checks they are the classes undici exports). If
// undici cannot be loaded (a bundle deployed without node_modules), requests go through the
// global fetch instead.
// With a proxy, the whole package: the proxy agent tunnels with `Dispatcher.connect`, which
// undici's API module adds to every dispatcher.
const UNDICI_AGENT = 'undici/lib/dispatcher/agent.js';
const UNDICI = 'undici';

function loadDispatcherClass(proxied: boolean): Promise<AgentClass | undefined> {
  const specifier = proxied ? UNDICI : UNDICI_AGENT;
  return import(/* @vite-ignore */ specifier).then(
    (module: { default: AgentClass; EnvHttpProxyAgent?: AgentClass }) => (proxied ? module.EnvHttpProxyAgent : module.default),
    () => undefined,
  );
}

/** True if the environment asks for a proxy (`HTTP_PROXY`, `HTTPS_PROXY`, either case). */
function proxyConfigured(): boolean {
  const env = typeof process === 'object' ? process.env : {};
  return Boolean(env['HTTP_PROXY'] || env['http_proxy'] || env['HTTPS_PROXY'] || env['https_proxy']);
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
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

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Creates a fetch-compatible function that sends through an undici `Agent` (keep-alive,
 * `maxSockets` connections per origin), or through the `dispatcher` you pass.
 *
 * - Body: for a Request built by the embedkit core, the exact body it was built from (the
 *   Request's own stream is never read or teed), with an exact `Content-Length`; else
 *   `request.body` streamed with chunked encoding.
 * - Abort: `request.signal`. A request still waiting for a connection is never written once
 *   aborted.
 * - Proxies: `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` (either case) are honoured, through
 *   undici's `EnvHttpProxyAgent`, read when the first request is sent.
 * - Small responses with a `Content-Length` are read fully and returned as a `Response` that
 *   serves the bytes without a web-stream round trip; others are streamed with backpressure.
 * - Errors: connection failures reject with `EmbedNetworkError`, whose `sent` is `false`
 *   when the request was never written to a connected socket (e.g. `ECONNREFUSED`, DNS), so
 *   nothing can have been received. An aborted signal rejects with the signal's reason, like fetch.
 * - Redirects are not followed (a signed request must be re-signed for a new URL); the 3xx
 *   response is returned as is. `gzip`/`deflate`/`br` responses are decompressed.
 * - No transport-level timeouts: the client's per-attempt `timeoutMs` (an abort signal) bounds
 *   each request, including long uploads.
 *
 * @example
 * ```ts
 * import { createNodeFetch } from '@embedkit/runtime/node';
 * const fetch = createNodeFetch({ maxSockets: 16 });
 * const client = createEmbedCore({ ...config, fetch });
 * // on shutdown:
 * await fetch.close();
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const maxSockets = options.maxSockets ?? 32;
  const freeSocketTimeoutMs = options.freeSocketTimeoutMs ?? 4000;
  const maxBuffered = options.maxBufferedResponseBytes ?? 1024 * 1024;
  // The caller's dispatcher, ours once created, or null when undici could not be loaded.
  let dispatcher: Dispatcher | null | undefined = options.dispatcher;
  let ownDispatcher: Dispatcher | undefined;
  let loading: Promise<Dispatcher | null> | undefined;

  function loadDispatcher(): Promise<Dispatcher | null> {
    loading ??= loadDispatcherClass(proxyConfigured()).then((DispatcherClass) => {
      if (DispatcherClass === undefined) {
        dispatcher = null;
        return null;
      }
      ownDispatcher = new DispatcherClass({
        connections: maxSockets,
        keepAliveTimeout: freeSocketTimeoutMs,
        pipelining: 1,
        // The caller's signal bounds each request (the core's timeoutMs): a long upload must not
        // hit a fixed transport timeout.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      dispatcher = ownDispatcher;
      return ownDispatcher;
    });
    return loading;
  }

  const nodeFetch = (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    let request: Request;
    try {
      request = input instanceof Request && init === undefined ? input : new Request(input, init);
    } catch (error) {
      return Promise.reject(error);
    }
    const { signal } = request;
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (dispatcher === undefined) return loadDispatcher().then(() => send(request));
    return send(request);
  };

  function send(request: Request): Promise<Response> {
    if (dispatcher === null) return globalThis.fetch(request);
    const url = new URL(request.url);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return Promise.reject(new TypeError(`createNodeFetch: unsupported protocol ${url.protocol}`));
    }
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    // A core Request's exact body: its own stream stays unread.
    const source = bodySourceOf(request);
    const stream = source === undefined ? request.body : null;
    if (source !== undefined) headers['content-length'] = String(bodySize(source));
    else if (stream === null && (request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH')) {
      headers['content-length'] = '0';
    }
    return dispatch(dispatcher!, url, request.url, request.method, headers, source, stream, request.signal);
  }

  function dispatch(
    dispatcher: Dispatcher,
    url: URL,
    href: string,
    method: string,
    headers: Record<string, string>,
    side: SignableBody | undefined,
    stream: ReadableStream<Uint8Array> | null,
    signal: AbortSignal,
  ): Promise<Response> {
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      // True once undici hands the request to a connected socket: from then on bytes may have left.
      let started = false;
      let bodyError: unknown;
      let controller: Dispatcher.DispatchController | undefined;
      // Set once the response is handed over as a stream: later failures go to the stream.
      let failStream: ((error: unknown) => void) | undefined;

      const cleanup = (): void => signal.removeEventListener('abort', onAbort);
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
      const where = `${method} ${url.origin}${url.pathname}`;
      const lost = (): EmbedNetworkError => new EmbedNetworkError(`${where}: connection lost while reading the response`, { sent: true });
      function onAbort(): void {
        const reason = abortReason(signal);
        // Before the request is started there is no controller yet; onRequestStart aborts it
        // then, before anything is written.
        controller?.abort(asError(reason));
        if (failStream !== undefined) {
          failStream(reason);
          cleanup();
        } else fail(reason);
      }

      // What undici writes: the exact bytes when small, else the body streamed in order.
      let body: Uint8Array | AsyncIterable<Uint8Array> | null = null;
      if (side !== undefined) {
        const small = smallBodyBytes(side);
        if (small instanceof Uint8Array) body = small;
        else {
          // A small body whose Blob parts are still being read goes as one chunk; a large one streams.
          const chunks: AsyncIterable<Uint8Array> =
            small !== undefined
              ? (async function* () {
                  yield await small;
                })()
              : bodyChunks(side);
          body = (async function* () {
            try {
              yield* chunks;
            } catch (error) {
              // A body that cannot be read (e.g. a file removed mid-upload) is not a network error.
              bodyError = error;
              throw error;
            }
          })();
        }
      } else if (stream !== null) {
        body = Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>);
      }

      let collect: Buffer[] | undefined;
      let collected = 0;
      let decoder: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined;
      let streamController: ReadableStreamDefaultController<Uint8Array> | undefined;
      let streamDone = false;
      let responseInit: ResponseInit | undefined;

      const make = (payload: Uint8Array | ReadableStream<Uint8Array> | null): Response | undefined => {
        try {
          if (payload instanceof ReadableStream) {
            const response = new Response(payload, responseInit);
            Object.defineProperty(response, 'url', { value: href });
            return response;
          }
          return bufferedResponse(payload, responseInit!, href);
        } catch (error) {
          controller?.abort(asError(error));
          fail(new EmbedNetworkError(`${where}: invalid HTTP response`, { sent: true, cause: error }));
          return undefined;
        }
      };
      // Hands a response chunk to the stream; pauses undici (and the decoder) while the stream is full.
      const enqueue = (chunk: Buffer): void => {
        if (streamDone || streamController === undefined) return;
        streamController.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((streamController.desiredSize ?? 0) <= 0) {
          decoder?.pause();
          controller?.pause();
        }
      };
      const endStream = (error?: unknown): void => {
        if (streamDone) return;
        streamDone = true;
        cleanup();
        if (error === undefined) streamController?.close();
        else streamController?.error(error);
      };

      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          if (signal.aborted) {
            c.abort(asError(abortReason(signal)));
            return;
          }
          started = true;
        },
        onResponseStart(c, statusCode, responseHeaders, statusMessage) {
          if (settled) {
            c.abort(new Error('response no longer wanted'));
            return;
          }
          const headersObject = new Headers();
          try {
            for (const name in responseHeaders) {
              const value = responseHeaders[name];
              if (Array.isArray(value)) for (const v of value) headersObject.append(name, v);
              else if (value !== undefined) headersObject.append(name, value);
            }
          } catch (error) {
            c.abort(asError(error));
            fail(new EmbedNetworkError(`${where}: invalid response headers`, { sent: true, cause: error }));
            return;
          }
          responseInit = { status: statusCode, statusText: statusMessage ?? '', headers: headersObject };

          if (NULL_BODY_STATUS.has(statusCode) || method === 'HEAD') {
            const response = make(null);
            if (response !== undefined) succeed(response, false);
            return;
          }
          decoder = decompressorFor(headerValue(responseHeaders['content-encoding']));
          const length = Number(headerValue(responseHeaders['content-length']) ?? Number.NaN);
          if (decoder === undefined && length <= maxBuffered) {
            // Small, known-length response: read it all, then hand over a ready Response.
            collect = [];
            return;
          }
          // Unknown length, large, or compressed: stream it with backpressure.
          const output = new ReadableStream<Uint8Array>({
            start(sc) {
              streamController = sc;
            },
            pull() {
              if (decoder !== undefined) decoder.resume();
              c.resume();
            },
            cancel() {
              streamDone = true;
              cleanup();
              c.abort(new Error('response body cancelled'));
            },
          });
          if (decoder !== undefined) {
            decoder.on('data', enqueue);
            decoder.on('end', () => endStream());
            decoder.on('error', (error) => endStream(error));
            decoder.on('drain', () => {
              if ((streamController!.desiredSize ?? 0) > 0) c.resume();
            });
          }
          failStream = (error) => endStream(error);
          const response = make(output);
          if (response !== undefined) succeed(response, true);
        },
        onResponseData(c, chunk) {
          // undici may hand over empty chunks around a pause; pausing on one would never end.
          if (chunk.length === 0) return;
          if (collect !== undefined) {
            collect.push(chunk);
            collected += chunk.length;
          } else if (decoder !== undefined) {
            if (!decoder.write(chunk)) c.pause();
          } else enqueue(chunk);
        },
        onResponseEnd() {
          if (collect !== undefined) {
            const bytes = collected === 0 ? null : collect.length === 1 ? collect[0]! : Buffer.concat(collect, collected);
            const response = make(bytes);
            if (response !== undefined) succeed(response, false);
          } else if (decoder !== undefined) decoder.end();
          else endStream();
        },
        onResponseError(_c, error) {
          if (failStream !== undefined) {
            // The response was handed over: the failure belongs to its body stream.
            decoder?.destroy();
            endStream(signal.aborted ? abortReason(signal) : lost());
            return;
          }
          if (signal.aborted) return fail(abortReason(signal));
          if (bodyError !== undefined) return fail(bodyError);
          if (responseInit !== undefined) return fail(lost());
          const code = (error as NodeJS.ErrnoException).code;
          fail(
            new EmbedNetworkError(`${where} failed: ${code ?? error.message}`, {
              // Not started: the request waited for a connection that never came; nothing left the machine.
              sent: started && !isNotSentCode(code),
              systemCode: code,
              cause: error,
            }),
          );
        },
      };

      signal.addEventListener('abort', onAbort, { once: true });
      try {
        dispatcher.dispatch(
          { origin: url.origin, path: url.pathname + url.search, method: method as Dispatcher.HttpMethod, headers, body: body as NonNullable<Dispatcher.DispatchOptions['body']> | null },
          handler,
        );
      } catch (error) {
        // Invalid request options (e.g. a header value undici refuses): nothing was sent.
        fail(new EmbedNetworkError(`${where} failed: ${asError(error).message}`, { sent: false, cause: error }));
      }
    });
  }

  return Object.assign(nodeFetch, {
    async close(): Promise<void> {
      const own = ownDispatcher;
      ownDispatcher = undefined;
      if (own !== undefined) {
        dispatcher = undefined;
        loading = undefined;
        await own.destroy();
      }
    },
  });
}
