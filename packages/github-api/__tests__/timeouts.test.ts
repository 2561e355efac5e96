/**
 * Time: every request has a connect and an idle timeout and is retried when
 * it stalls; an endless redirect is named; the deadline cuts what is in
 * flight and lets only clean-up out afterwards; asset bodies go through the
 * proxy the environment names. Against plain servers that misbehave on
 * purpose, over real sockets.
 */
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import {
  Deadline,
  DeadlinePassedError,
  GitHubApi,
  GitHubApiError,
  type GitHubRequest,
  MAX_REDIRECTS,
  type TransportOptions,
  mayRunAfterDeadline,
} from '../src/index.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A server on 127.0.0.1 whose connections `onSocket` handles; counts connections. */
async function rawServer(onSocket: (socket: net.Socket) => void): Promise<{ url: string; connections: () => number }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, connections: () => count };
}

/** Accepts, reads, never writes a byte. */
const silent = (): ReturnType<typeof rawServer> => rawServer((socket) => socket.resume());

/** Answers the headers of a JSON response, then one byte of its body, then nothing. */
const stallsAfterHeaders = (): ReturnType<typeof rawServer> =>
  rawServer((socket) => {
    socket.once('data', () =>
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n['),
    );
  });

async function httpServer(handler: http.RequestListener): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((request, response) => {
    hits++;
    handler(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, hits: () => hits };
}

function gateway(
  baseUrl: string,
  options: { transport?: TransportOptions; deadline?: Deadline; retries?: number; log?: string[] } = {},
): GitHubApi {
  const octokit = getOctokit('a-token', { baseUrl });
  const request: GitHubRequest = (route, parameters) => octokit.request(route, parameters);
  const api = new GitHubApi({
    request,
    repository: 'octo/app',
    retry: { retries: options.retries ?? 2, baseDelayMs: 5, maxDelayMs: 10 },
    transport: options.transport ?? { timeouts: { connectMs: 2000, idleMs: 200 } },
    log: (line) => options.log?.push(line),
    ...(options.deadline ? { deadline: options.deadline } : {}),
  });
  closers.push(() => api.client.transport.close());
  return api;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('a request that stalls', () => {
  it.each([
    ['accepts the connection and never answers', silent],
    ['sends headers, then stalls the body', stallsAfterHeaders],
  ])('%s: times out, is retried as transient, and says the API did not answer', async (_name, start) => {
    const server = await start();
    const log: string[] = [];
    const error = await failure(gateway(server.url, { log }).listReleases());
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error.message).toMatch(
      /^GitHub API GET \/repos\/octo\/app\/releases\?per_page=100&page=1 failed without a response: the API did not answer in time \(.*Timeout Error\) \(gave up after 3 attempts\)/,
    );
    expect(server.connections()).toBe(3);
    expect(log.filter((line) => /retrying in \d+ ms/.test(line))).toHaveLength(2);
  });

  it('stalls on an asset body from storage: retried, then the download says it was cut by the timeout', async () => {
    const server = await httpServer((request, response) => {
      if (request.url?.startsWith('/storage')) {
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '1000' });
        response.write('partial');
        return; // ...and nothing more
      }
      response.writeHead(302, { location: '/storage/blob' }).end();
    });
    const work = await tempDir('brr-timeouts-');
    closers.push(() => removeDir(work));
    const error = await failure(gateway(server.url).downloadReleaseAsset(7, path.join(work, 'asset')));
    expect(error.message).toMatch(
      /download cut: the API did not answer in time \(.*Body Timeout Error\) \(gave up after 3 attempts\)/,
    );
    // Three attempts, each an API request and its redirect to storage.
    expect(server.hits()).toBe(6);
  });
});

describe('redirects', () => {
  it('names an endless redirect, once, instead of reporting a changed asset', async () => {
    const server = await httpServer((_request, response) => {
      response.writeHead(302, { location: '/again' }).end();
    });
    const work = await tempDir('brr-timeouts-');
    closers.push(() => removeDir(work));
    const error = await failure(gateway(server.url).downloadReleaseAsset(7, path.join(work, 'asset')));
    expect(error.message).toMatch(
      new RegExp(
        `the asset download was redirected more than ${MAX_REDIRECTS} times \\(last to http://127\\.0\\.0\\.1:\\d+/again\\)`,
      ),
    );
    expect(error.message).not.toMatch(/sha256|digest|changed after/);
    // Not retried: a loop stays a loop. The first request and MAX_REDIRECTS redirects followed.
    expect(server.hits()).toBe(MAX_REDIRECTS + 1);
  });
});

describe('the deadline', () => {
  it('cuts the request in flight, well before its idle timeout, and says which request had no answer', async () => {
    const server = await silent();
    const deadline = new Deadline(300, { stage: 'testing' });
    const api = gateway(server.url, { deadline, transport: { timeouts: { idleMs: 60_000 } } });
    const error = await failure(api.getRelease(5));
    expect(error).toBeInstanceOf(DeadlinePassedError);
    expect(error.message).toBe(
      'the deadline passed while waiting for GitHub to answer GET /repos/{owner}/{repo}/releases/{release_id}: the API did not answer in time',
    );
    expect(server.connections()).toBe(1);
  });

  it('stops the retries: no attempt after the deadline', async () => {
    const server = await httpServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Bad Gateway"}');
    });
    const deadline = new Deadline(200);
    const octokit = getOctokit('a-token', { baseUrl: server.url });
    const api = new GitHubApi({
      request: (route, parameters) => octokit.request(route, parameters),
      repository: 'octo/app',
      retry: { retries: 50, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      deadline,
    });
    closers.push(() => api.client.transport.close());
    const error = await failure(api.listReleases());
    expect(error).toBeInstanceOf(DeadlinePassedError);
    expect(error.message).toMatch(/retrying after: Bad Gateway/);
    expect(server.hits()).toBe(1);
  });

  it('lets only clean-up out after it passed: deletes and a failed deployment, nothing made or published', async () => {
    const server = await httpServer((request, response) => {
      response.writeHead(request.method === 'DELETE' ? 204 : 201, { 'content-type': 'application/json' });
      response.end(request.method === 'DELETE' ? undefined : '{"id":1,"state":"error"}');
    });
    const deadline = new Deadline(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(deadline.passed).toBe(true);
    const api = gateway(server.url, { deadline });
    await api.deleteRelease(3);
    await api.createDeploymentStatus(4, { state: 'error', description: 'stopped' });
    expect(await failure(api.createDeploymentStatus(4, { state: 'success' }))).toBeInstanceOf(DeadlinePassedError);
    expect(await failure(api.publishDraft(3))).toBeInstanceOf(DeadlinePassedError);
    expect(await failure(api.createTagRef('v2', 'a'.repeat(40)))).toBeInstanceOf(DeadlinePassedError);
    expect(server.hits()).toBe(2);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    ['DELETE /repos/{owner}/{repo}/releases/{release_id}', {}, true],
    ['DELETE /repos/{owner}/{repo}/git/refs/{ref}', {}, true],
    ['POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { state: 'error' }, true],
    ['POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { state: 'failure' }, true],
    ['POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { state: 'success' }, false],
    ['POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { state: 'in_progress' }, false],
    ['POST /repos/{owner}/{repo}/deployments', {}, false],
    ['PATCH /repos/{owner}/{repo}/releases/{release_id}', { draft: false }, false],
    ['POST /repos/{owner}/{repo}/git/refs', {}, false],
    ['POST https://uploads.example/repos/octo/app/releases/1/assets?name=a', {}, false],
    ['GET /repos/{owner}/{repo}/releases', {}, false],
  ])('after the deadline %s %j may run: %s', (route, parameters, allowed) => {
    expect(mayRunAfterDeadline(route, parameters)).toBe(allowed);
  });
});

describe('proxies', () => {
  it('sends API calls and asset bodies through the proxy the environment names, redirects included', async () => {
    const api = await httpServer((request, response) => {
      if (request.url === '/repos/octo/app/releases/assets/7') {
        response.writeHead(302, { location: 'http://storage.invalid/blob' }).end();
      } else if (request.url === '/blob') {
        response.writeHead(200, { 'content-type': 'application/octet-stream' }).end('asset bytes');
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      }
    });
    // A CONNECT proxy that sends every tunnel to the server above: the `.invalid`
    // hosts resolve nowhere, so an answer proves the request went through it.
    const tunnels: string[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (request: http.IncomingMessage, client: net.Socket) => {
      tunnels.push(request.url ?? '');
      const upstream = net.connect(Number(new URL(api.url).port), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    closers.push(async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    });
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const gateway2 = gateway('http://api.invalid', {
      transport: { proxyFor: (url) => (url.hostname.endsWith('.invalid') ? proxyUrl : undefined) },
    });
    expect(await gateway2.listReleases()).toEqual([]);
    const work = await tempDir('brr-timeouts-');
    closers.push(() => removeDir(work));
    expect((await gateway2.downloadReleaseAsset(7, path.join(work, 'asset'))).size).toBe('asset bytes'.length);
    expect(tunnels).toEqual(expect.arrayContaining(['api.invalid:80', 'storage.invalid:80']));
  });
});
