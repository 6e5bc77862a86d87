// A loopback Embed-like server for benchmarks, run in its own process: drains every request body
// and answers like a successful submission. It does no signature check, so it costs the same for
// every client variant measured against it.
import http from 'node:http';

let accepted = 0;
const server = http.createServer((request, response) => {
  let bytes = 0;
  request.on('data', (chunk) => {
    bytes += chunk.length;
  });
  request.on('end', () => {
    accepted += 1;
    const body = JSON.stringify({ result: { verification_id: `bench-${accepted}` }, bytes });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.send?.({ port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
