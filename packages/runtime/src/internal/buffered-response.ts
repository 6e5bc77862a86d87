/**
 * A `Response` whose body is already in memory.
 *
 * `new Response(bytes)` wraps the bytes in a web ReadableStream and `text()` reads them back
 * through it: about 40 us per small API response, as much as the rest of the round trip. This
 * subclass is constructed with a null body and serves the bytes directly; `body` (a stream) is
 * only created if someone asks for it. It is a real `Response` (`instanceof Response`).
 *
 * The class is defined on first use: reading the global `Response` makes Node load its bundled
 * undici (about 40 ms on a slow machine), which importing the runtime should not cost.
 *
 * @internal
 * @module
 */

const decoder = new TextDecoder();

function unusable(): TypeError {
  return new TypeError('Body is unusable: Body has already been read');
}

/** A `Response` over bytes already received (`bytes` may be null for no body). */
export function bufferedResponse(bytes: Uint8Array | null, init: ResponseInit, url: string): Response {
  bufferedResponseClass ??= defineBufferedResponse();
  return new bufferedResponseClass(bytes, init, url);
}

/** The size of a response from {@link bufferedResponse} (its bytes are in memory), else `undefined`. */
export function bufferedLength(response: Response): number | undefined {
  return bufferedLengths.get(response);
}

const bufferedLengths = new WeakMap<Response, number>();

type BufferedResponseClass = new (bytes: Uint8Array | null, init: ResponseInit, url: string) => Response;
let bufferedResponseClass: BufferedResponseClass | undefined;

function defineBufferedResponse(): BufferedResponseClass {
  return class BufferedResponse extends Response {
    #bytes: Uint8Array | null;
    #used = false;
    #stream: ReadableStream<Uint8Array> | null = null;
    readonly #url: string;

    constructor(bytes: Uint8Array | null, init: ResponseInit, url: string) {
      super(null, init);
      this.#bytes = bytes !== null && bytes.byteLength === 0 ? null : bytes;
      this.#url = url;
      bufferedLengths.set(this, bytes?.byteLength ?? 0);
    }

    #take(): Uint8Array {
      if (this.#used) throw unusable();
      this.#used = true;
      return this.#bytes ?? new Uint8Array(0);
    }

    override async text(): Promise<string> {
      return decoder.decode(this.#take());
    }

    override async json(): Promise<unknown> {
      return JSON.parse(decoder.decode(this.#take()));
    }

    override async arrayBuffer(): Promise<ArrayBuffer> {
      const bytes = this.#take();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    }

    override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
      return new Uint8Array(await this.arrayBuffer());
    }

    override async blob(): Promise<Blob> {
      return new Blob([(await this.bytes()) as Uint8Array<ArrayBuffer>], { type: this.headers.get('content-type') ?? '' });
    }

    override async formData(): Promise<FormData> {
      return new Response((await this.bytes()) as Uint8Array<ArrayBuffer>, { headers: this.headers }).formData();
    }

    override clone(): Response {
      if (this.#used) throw unusable();
      return new BufferedResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: new Headers(this.headers) }, this.#url);
    }

    static {
      // `body`, `bodyUsed` and `url` are accessors on Response.prototype; TS models them as
      // properties, so they are redefined here rather than with `get` in the class body.
      Object.defineProperties(BufferedResponse.prototype, {
        body: {
          configurable: true,
          get(this: BufferedResponse): ReadableStream<Uint8Array> | null {
            return this.#bodyStream();
          },
        },
        bodyUsed: {
          configurable: true,
          get(this: BufferedResponse): boolean {
            return this.#used;
          },
        },
        url: {
          configurable: true,
          get(this: BufferedResponse): string {
            return this.#url;
          },
        },
      });
    }

    #bodyStream(): ReadableStream<Uint8Array> | null {
      if (this.#bytes === null) return null;
      if (this.#stream === null) {
        const self = this;
        this.#stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            // Reading the stream consumes the body, as with any Response.
            controller.enqueue(self.#take());
            controller.close();
          },
        });
      }
      return this.#stream;
    }
  };
}
