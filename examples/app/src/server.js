// A Twelve-Factor web process: config comes from the environment (factor
// III), the port is bound from PORT (factor VII), logs go to stdout (factor
// XI). The release it runs is whatever build and config the deploy put here.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const port = Number(process.env.PORT ?? '8080');
const greeting = process.env.GREETING ?? 'Hello';
const build = JSON.parse(readFileSync(path.join(import.meta.dirname, 'build-info.json'), 'utf8'));

const server = createServer((request, response) => {
  if (request.url === '/health') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ok: true, build: build.sources }));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${greeting}\n`);
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
