// Test helpers, independent of @embedkit/runtime and of the sandbox's own signer: multipart
// bodies are built by hand with Buffer.concat, requests are signed with node:crypto here, and
// sent over real sockets to 127.0.0.1.
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';

export const USER = 'AA95N84GTESTXXXX';

/** API-Sign, written out again for the tests (not imported from the sandbox). */
export function sign(secret: string, pathWithQuery: string, nonce: string, body: Uint8Array = new Uint8Array()): string {
  const digest = createHash('sha256').update(nonce).update(body).digest();
  return createHmac('sha512', Buffer.from(secret, 'base64')).update(pathWithQuery).update(digest).digest('base64');
}

let lastNonce = BigInt(Date.now()) * 1_000_000n;
/** A fresh, strictly increasing nonce. */
export function nextNonce(): string {
  lastNonce += 1n;
  return lastNonce.toString();
}

export interface Part {
  name: string;
  value: string | Uint8Array;
  filename?: string;
  contentType?: string;
  /** Extra raw header lines for the part. */
  extraHeaders?: string[];
}

/** Encodes a multipart/form-data body by hand. */
export function multipart(parts: Part[], boundary = `----embedkit-test-${Math.random().toString(16).slice(2)}`) {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let disposition = `form-data; name="${part.name}"`;
    if (part.filename !== undefined) disposition += `; filename="${part.filename}"`;
    const lines = [`--${boundary}`, `Content-Disposition: ${disposition}`];
    if (part.contentType !== undefined) lines.push(`Content-Type: ${part.contentType}`);
    lines.push(...(part.extraHeaders ?? []));
    chunks.push(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`));
    chunks.push(typeof part.value === 'string' ? Buffer.from(part.value) : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}`, boundary };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: { result?: Record<string, unknown>; error?: string[] } & Record<string, unknown>;
}

/** Sends one HTTP request with node:http and collects the reply. */
export function send(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Uint8Array | string },
): Promise<Reply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'POST',
        path: options.path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Reply['json'] = {};
          try {
            json = JSON.parse(text);
          } catch {
            // left empty: the caller asserts on text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends a signed request (body bytes exactly as given). */
export function signedSend(
  sandbox: { url: string; apiKey: string; apiSecret: string },
  options: {
    method?: string;
    path: string;
    body?: Buffer;
    contentType?: string;
    headers?: Record<string, string>;
    nonce?: string;
  },
): Promise<Reply> {
  const nonce = options.nonce ?? nextNonce();
  const body = options.body ?? Buffer.alloc(0);
  const headers: Record<string, string> = {
    'API-Key': sandbox.apiKey,
    'API-Nonce': nonce,
    'API-Sign': sign(sandbox.apiSecret, options.path, nonce, body),
    ...(options.contentType === undefined ? {} : { 'Content-Type': options.contentType }),
    ...options.headers,
  };
  const send_: Parameters<typeof send>[1] = { method: options.method ?? 'POST', path: options.path, headers };
  if (body.length > 0) send_.body = body;
  return send(sandbox.url, send_);
}

/** Sends a signed multipart submission. */
export function submit(
  sandbox: { url: string; apiKey: string; apiSecret: string },
  parts: Part[],
  extra: { user?: string; headers?: Record<string, string>; nonce?: string; query?: string } = {},
): Promise<Reply> {
  const form = multipart(parts);
  const path = `/b2b/verifications/${extra.user ?? USER}${extra.query ?? ''}`;
  const options: Parameters<typeof signedSend>[1] = { path, body: form.body, contentType: form.contentType };
  if (extra.headers) options.headers = extra.headers;
  if (extra.nonce) options.nonce = extra.nonce;
  return signedSend(sandbox, options);
}

/** Outcome of a raw socket exchange. */
export interface RawOutcome {
  /** The HTTP status of the first response, or undefined if the server closed without one. */
  status?: number;
  /** Everything the server sent. */
  text: string;
  /** How the exchange ended: a complete response, the server closing/resetting, or our own timeout. */
  end: 'response' | 'closed' | 'timeout';
}

/**
 * Writes raw bytes to a fresh TCP connection (optionally in timed pieces), then waits for the
 * first complete response or for the server to close the connection.
 */
export function raw(
  baseUrl: string,
  pieces: Array<Buffer | string | { wait: number }>,
  options: { endWrite?: boolean; timeout?: number } = {},
): Promise<RawOutcome> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const received: Buffer[] = [];
    let done = false;
    const finish = (end: RawOutcome['end']) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(text);
      const outcome: RawOutcome = { text, end };
      if (match) outcome.status = Number(match[1]);
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('timeout'), options.timeout ?? 5000);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      const text = Buffer.concat(received).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      if (head >= 0) {
        const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, head));
        if (length && text.length - head - 4 >= Number(length[1])) finish('response');
      }
    });
    socket.on('error', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('connect', async () => {
      for (const piece of pieces) {
        if (done) return;
        if (typeof piece === 'object' && 'wait' in piece) {
          await new Promise((r) => setTimeout(r, piece.wait));
        } else if (!socket.destroyed) {
          socket.write(piece);
        }
      }
      if (options.endWrite && !socket.destroyed) socket.end();
    });
  });
}
