// The ceiling of the machine: node:http answering a fixed string.
import http from 'node:http';

const body = 'Hello from bare node:http';
http
  .createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    response.end(body);
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
