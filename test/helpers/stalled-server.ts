/**
 * Services that accept connections and never answer (or answer the headers
 * and stall the body), and a bundled action run as the runner runs it (in a
 * Node process of its own), for the deadline tests.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { afterEach } from '@jest/globals';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface BundleRun {
  code: number | null;
  log: string;
  /** The ::error:: message, unescaped. */
  error: string;
  ms: number;
}

/** Runs dist/<action>/index.js with only PATH and `env`. */
export async function runBundle(
  action: 'build' | 'deploy' | 'release',
  env: Record<string, string>,
): Promise<BundleRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', action, 'index.js')], {
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const [code] = (await once(child, 'close')) as [number | null];
  const error = (/::error::(.*)/.exec(log)?.[1] ?? '').replaceAll('%0A', '\n').replaceAll('%25', '%');
  return { code, log, error, ms: Date.now() - started };
}

const stalls: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of stalls.splice(0)) await close();
});

/** Accepts and reads; `afterRequest` decides what (if anything) is ever written. Closed after each test. */
export async function stalledServer(
  afterRequest: (socket: net.Socket) => void,
): Promise<{ url: string; connections: () => number }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => afterRequest(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  stalls.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, connections: () => count };
}

export const SILENT = (): void => undefined;
export const HEADERS_THEN_STALL = (socket: net.Socket): void => {
  socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4096\r\n\r\n{"id":');
};

/** The stalls every deadline test runs against. */
export const STALLS: Array<[string, (socket: net.Socket) => void]> = [
  ['accepts connections and never answers', SILENT],
  ['answers the headers, then stalls the body', HEADERS_THEN_STALL],
];
