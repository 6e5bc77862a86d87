// Test helpers: a real HTTP server on 127.0.0.1, an API-Sign verifier written directly with
// node:crypto (independent of the runtime's signer), and busboy parsing of raw bodies.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import {
  type ApiCredentials,
  type CredentialsInput,
  type EmbedCore,
  type EmbedCoreOptions,
  type NonceSource,
  type RequestSignerOptions,
  type SignatureScheme,
  createEmbedCore,
  createSigningMiddleware,
} from '../src/index.js';

/** The official Spot example secret from the reference (section 2.3). */
export const REFERENCE_SECRET = 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==';

/** One request as the server received it. */
export interface Received {
  method: string;
  /** Path and query exactly as on the request line. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type Handler = (req: Received, res: http.ServerResponse) => void | Promise<void>;

export interface TestServer {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** Starts a server that reads each request body completely, records it, then calls `handler`. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rec: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      received.push(rec);
      Promise.resolve(handler(rec, res)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON response. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/**
 * Independent server-side check of API-Sign:
 * base64(HMAC-SHA512(base64decode(secret), path ++ SHA-256(nonce ++ body))).
 */
export function expectedSignature(secret: string, pathWithQuery: string, nonce: string, body: Uint8Array): string {
  const digest = createHash('sha256').update(nonce, 'utf8').update(body).digest();
  return createHmac('sha512', Buffer.from(secret, 'base64')).update(pathWithQuery, 'utf8').update(digest).digest('base64');
}

/** True if the received request carries a valid signature for `secret`. */
export function verifyRequest(req: Received, secret: string): boolean {
  const nonce = req.headers['api-nonce'];
  const sign = req.headers['api-sign'];
  if (typeof nonce !== 'string' || typeof sign !== 'string') return false;
  const expected = Buffer.from(expectedSignature(secret, req.url, nonce, req.body));
  const actual = Buffer.from(sign);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export interface ParsedPart {
  name: string;
  /** Present only for parts busboy treats as files (those with a filename). */
  filename?: string | undefined;
  mimeType: string;
  data: Buffer;
  /** Whether busboy saw the part as a file. */
  isFile: boolean;
}

/** Parses a multipart body with busboy, in order. */
export function parseMultipart(contentType: string, body: Buffer): Promise<ParsedPart[]> {
  return new Promise((resolve, reject) => {
    const parts: ParsedPart[] = [];
    const bb = busboy({ headers: { 'content-type': contentType }, limits: { fieldSize: 64 * 1024 * 1024 } });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      const index = parts.length;
      parts.push({ name, filename: info.filename, mimeType: info.mimeType, data: Buffer.alloc(0), isFile: true });
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        parts[index]!.data = Buffer.concat(chunks);
      });
    });
    bb.on('field', (name, value, info) => {
      parts.push({ name, mimeType: info.mimeType, data: Buffer.from(value, 'utf8'), isFile: false });
    });
    bb.on('close', () => resolve(parts));
    bb.on('error', reject);
    Readable.from([body]).pipe(bb);
  });
}

/** Waits for `ms`. */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads a web stream to one Buffer. */
export async function readStream(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(value);
  }
}

/** The Embed API's signature scheme, as `@embedkit/signing-2025-04-15` declares it from the spec. */
export const TEST_SCHEME: SignatureScheme = Object.freeze({
  keyHeader: 'API-Key',
  nonceHeader: 'API-Nonce',
  signHeader: 'API-Sign',
  secretEncoding: 'base64',
  hmac: 'SHA-512',
  bodyHash: 'SHA-256',
  signedPath: 'path-with-query',
});

/** Old-style options: credentials, scheme and nonces next to the core options. */
export type SignedCoreOptions = Omit<EmbedCoreOptions, 'signing'> &
  CredentialsInput & { scheme?: SignatureScheme; nonces?: NonceSource };

/** A core signing with the signing middleware, as the generated client builds it. */
export function createSignedCore<Paths extends object = object>(options: SignedCoreOptions): EmbedCore<Paths> {
  const { scheme = TEST_SCHEME, nonces, ...rest } = options as SignedCoreOptions & { apiKey?: string; apiSecret?: string; credentials?: ApiCredentials };
  const { apiKey, apiSecret, credentials, ...core } = rest as typeof rest & { apiKey?: string; apiSecret?: string; credentials?: ApiCredentials };
  const signer: RequestSignerOptions = (credentials !== undefined ? { credentials, scheme } : { apiKey: apiKey!, apiSecret: apiSecret!, scheme }) as RequestSignerOptions;
  if (nonces !== undefined) signer.nonces = nonces;
  return createEmbedCore<Paths>({ ...core, signing: createSigningMiddleware(signer) });
}
