/**
 * Issue 13, point 6: the default Node transport honours HTTP_PROXY / HTTPS_PROXY / NO_PROXY,
 * tested through a real CONNECT (and forward) proxy on 127.0.0.1 written here with node:http.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFetch } from '../src/node/index.js';
import { REFERENCE_SECRET, type TestServer, createSignedCore, sendJson, startServer, verifyRequest } from './helpers.js';

let target: TestServer;
let proxy: http.Server;
let proxyUrl: string;
const proxied: string[] = [];
const ENV = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));

beforeAll(async () => {
  target = await startServer((_req, res) => sendJson(res, 200, { result: { ok: true } }));
  proxy = http.createServer((req, res) => {
    // Forward proxy: an absolute-form request line.
    proxied.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '');
    const upstream = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    // CONNECT tunnel to the target.
    proxied.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await target.close();
});

async function submitThrough(): Promise<void> {
  const fetch = createNodeFetch();
  try {
    const core = createSignedCore({ apiKey: 'k', apiSecret: REFERENCE_SECRET, baseUrl: target.url, fetch, retry: { maxAttempts: 1 } });
    const { data } = await core.request({ method: 'POST', path: '/b2b/verifications/{user}', params: { path: { user: 'AA95N84GTESTXXXX' } }, body: { kind: 'json', value: { a: 1 } } });
    expect(data).toEqual({ result: { ok: true } });
    expect(verifyRequest(target.received.at(-1)!, REFERENCE_SECRET)).toBe(true);
  } finally {
    await fetch.close();
  }
}

describe('proxies from the environment (Node transport)', () => {
  it('HTTP_PROXY: requests go through the proxy, still signed for the target path', async () => {
    for (const name of ENV) delete process.env[name];
    process.env['HTTP_PROXY'] = proxyUrl;
    const before = proxied.length;
    await submitThrough();
    const host = new URL(target.url).host;
    expect(proxied.slice(before).some((line) => line === `CONNECT ${host}` || line.startsWith(`POST ${target.url}/`))).toBe(true);
  });

  it('NO_PROXY: a listed host is reached directly', async () => {
    for (const name of ENV) delete process.env[name];
    process.env['HTTP_PROXY'] = proxyUrl;
    process.env['NO_PROXY'] = '127.0.0.1';
    const before = proxied.length;
    await submitThrough();
    expect(proxied.length).toBe(before);
  });

  it('without proxy variables, requests go directly', async () => {
    for (const name of ENV) delete process.env[name];
    const before = proxied.length;
    await submitThrough();
    expect(proxied.length).toBe(before);
  });
});
