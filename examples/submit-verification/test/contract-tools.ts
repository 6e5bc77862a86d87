// Tools for the contract test: a capture server that records the exact requests a client sends,
// a Prism 5.14.2 mock server started on a free loopback port, and the derived spec Prism needs.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

/** One request exactly as it arrived: target, headers and raw body bytes. */
export interface CapturedRequest {
  method: string;
  /** The request target (path and query) as sent. */
  target: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A 127.0.0.1 server that records every request and answers like a successful submission, so
 * a client resolves normally.
 */
export async function startCaptureServer(): Promise<{ url: string; requests: CapturedRequest[]; close(): Promise<void> }> {
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', target: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const body = JSON.stringify({ result: { verification_id: randomUUID() } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Replays a captured request byte for byte (same target, body and relevant headers) to another server. */
export function replay(
  baseUrl: string,
  captured: CapturedRequest,
  override: { body?: Buffer } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  const url = new URL(baseUrl);
  const body = override.body ?? captured.body;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(captured.headers)) {
    if (['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name) || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: captured.method, path: captured.target, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The boundary of a captured multipart request. */
export function boundaryOf(captured: CapturedRequest): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(captured.headers['content-type']));
  if (!match) throw new Error(`not multipart: ${captured.headers['content-type']}`);
  return (match[1] ?? match[2])!;
}

/** Splits a multipart body into its raw parts (header block + content), in order. */
export function splitParts(body: Buffer, boundary: string): { name: string; headers: string; content: Buffer }[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: { name: string; headers: string; content: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new Error('unterminated multipart body');
    const raw = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = raw.indexOf('\r\n\r\n');
    const headers = raw.subarray(0, split).toString('latin1');
    const name = /name="([^"]*)"/.exec(headers)?.[1] ?? '';
    parts.push({ name, headers, content: raw.subarray(split + 4) });
    at = next;
  }
  return parts;
}

/** Re-assembles a multipart body from raw parts with the same boundary. */
export function joinParts(parts: { headers: string; content: Buffer }[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) chunks.push(Buffer.from(`--${boundary}\r\n${part.headers}\r\n\r\n`, 'latin1'), part.content, Buffer.from('\r\n'));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

type Node = Record<string, unknown>;

/**
 * Prism 5.14.2 rejects a JSON-object part inside multipart/form-data even when it is valid
 * ("Request body property metadata must be object"): it sees the part as a string. So Prism gets
 * a copy of the spec, made here in a temp dir (never committed, never a second source of truth),
 * where every part the request body's `encoding` declares as `application/json` becomes
 * `type: string, contentMediaType: application/json, contentSchema: <the original schema>`.
 * Prism then checks that the part is present, but NOT the fields inside it; those are covered by
 * the sandbox's Ajv validation in a separate assertion.
 */
export async function deriveSpecForPrism(specPath: string): Promise<{ path: string; jsonParts: string[]; cleanup(): Promise<void> }> {
  const document = parse(await readFile(specPath, 'utf8')) as Node;
  const resolve = (ref: string): Node =>
    ref
      .slice(2)
      .split('/')
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce<unknown>((acc, key) => (acc as Node)[key], document) as Node;
  const jsonParts = new Set<string>();
  for (const item of Object.values(document['paths'] as Node)) {
    for (const operation of Object.values(item as Node)) {
      const content = ((operation as Node)?.['requestBody'] as Node | undefined)?.['content'] as Node | undefined;
      const media = content?.['multipart/form-data'] as Node | undefined;
      if (!media) continue;
      const encoding = (media['encoding'] ?? {}) as Record<string, Node>;
      const names = Object.entries(encoding)
        .filter(([, e]) => /json/.test(String(e['contentType'])))
        .map(([name]) => name);
      const visit = (schema: Node) => {
        const target = typeof schema['$ref'] === 'string' ? resolve(schema['$ref']) : schema;
        for (const key of ['oneOf', 'anyOf', 'allOf']) for (const sub of (target[key] as Node[] | undefined) ?? []) visit(sub);
        const properties = target['properties'] as Node | undefined;
        for (const name of names) {
          const original = properties?.[name] as Node | undefined;
          if (!original || original['contentSchema']) continue;
          properties![name] = { type: 'string', contentMediaType: 'application/json', contentSchema: original };
          jsonParts.add(name);
        }
      };
      visit(media['schema'] as Node);
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'embedkit-prism-'));
  const path = join(dir, 'openapi.prism.yaml');
  await writeFile(path, stringify(document));
  return { path, jsonParts: [...jsonParts], cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `prism mock` (validating requests) on a free loopback port. */
export async function startPrism(specPath: string): Promise<{ url: string; version: string; close(): Promise<void>; log(): string }> {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@stoplight/prism-cli/package.json');
  const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
  const cli = join(dirname(packageJson), 'dist', 'index.js');
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [cli, 'mock', '--host', '127.0.0.1', '--port', String(port), '--errors', 'false', specPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SCARF_ANALYTICS: 'false', DO_NOT_TRACK: '1' },
  });
  let log = '';
  const collect = (c: Buffer) => {
    log += c.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start in time:\n${log}`)), 45_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${log}`));
    });
    const check = () => {
      if (/Prism is listening/.test(log)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    version,
    log: () => log,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
