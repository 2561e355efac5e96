/**
 * Benchmarks the local GitHub API server:
 * - start-up: time from spawning the CLI to its first line (the URL), and of
 *   startGitHubServer() in this process;
 * - a 1 GiB asset uploaded through upload_url and downloaded through the 302,
 *   both streamed, with the server's peak RSS (VmHWM of its process) at the end.
 *
 *   pnpm exec node bench/github-server.ts [--size-mib 1024]
 */
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startGitHubServer } from '@build-release-run/github-server';

const { values } = parseArgs({ options: { 'size-mib': { type: 'string', default: '1024' } } });
const sizeMiB = Number(values['size-mib']);
const size = sizeMiB * 1024 * 1024;
const token = 'bench-token';
const cli = path.join(import.meta.dirname, '..', 'test', 'stand-ins', 'github-server', 'src', 'cli.ts');

const work = await mkdtemp(path.join(tmpdir(), 'bench-github-server-'));
const repo = path.join(work, 'repo');
execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo]);
await writeFile(path.join(repo, 'f'), 'x');
execFileSync('git', ['-C', repo, 'add', 'f']);
execFileSync('git', ['-C', repo, '-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '--quiet', '-m', 'c']);

function peakRssMiB(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((status) => {
    const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    return kb / 1024;
  });
}

// 1. Start-up, in process.
let t0 = performance.now();
const inProcess = await startGitHubServer({ repos: { 'bench/app': repo }, token, dataDir: path.join(work, 'data-0') });
const inProcessMs = performance.now() - t0;
await inProcess.close();

// 2. Start-up of the CLI, as a separate process whose memory we then watch.
t0 = performance.now();
const child = spawn(
  process.execPath,
  [cli, '--port', '0', '--repo', `bench/app=${repo}`, '--token', token, '--data', path.join(work, 'data')],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
const cliMs = performance.now() - t0;
const rssAfterStart = await peakRssMiB(child.pid as number);

async function api(method: string, apiPath: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${apiPath}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${apiPath}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** `size` bytes made of a repeated random MiB, produced as they are read. */
function source(): Readable {
  const block = randomBytes(1024 * 1024);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const n = Math.min(block.length, size - sent);
      sent += n;
      this.push(n === block.length ? block : block.subarray(0, n));
    },
  });
}

try {
  const release = await api('POST', '/repos/bench/app/releases', { tag_name: 'v1', draft: true });
  const uploadUrl = String(release.upload_url).replace('{?name,label}', '?name=big.bin');

  // 3. Upload, streamed.
  const clientHash = createHash('sha256');
  t0 = performance.now();
  const asset = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const req = request(uploadUrl, {
      method: 'POST',
      headers: { authorization: `token ${token}`, 'content-type': 'application/octet-stream', 'content-length': size },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 201
          ? resolve(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>)
          : reject(new Error(`upload: ${res.statusCode} ${Buffer.concat(chunks).toString()}`)),
      );
    });
    req.on('error', reject);
    const body = source();
    body.on('data', (c: Buffer) => clientHash.update(c));
    body.pipe(req);
  });
  const uploadMs = performance.now() - t0;
  const expected = `sha256:${clientHash.digest('hex')}`;
  if (asset.digest !== expected) throw new Error(`digest ${String(asset.digest)} != ${expected}`);
  const rssAfterUpload = await peakRssMiB(child.pid as number);

  // 4. Download through the 302, streamed and hashed.
  t0 = performance.now();
  const redirect = await fetch(`${url}/repos/bench/app/releases/assets/${String(asset.id)}`, {
    headers: { authorization: `token ${token}`, accept: 'application/octet-stream' },
    redirect: 'manual',
  });
  if (redirect.status !== 302) throw new Error(`download: ${redirect.status}`);
  const download = await fetch(redirect.headers.get('location') as string);
  const downloadHash = createHash('sha256');
  let received = 0;
  for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) {
    received += chunk.length;
    downloadHash.update(chunk);
  }
  const downloadMs = performance.now() - t0;
  if (`sha256:${downloadHash.digest('hex')}` !== expected || received !== size)
    throw new Error('downloaded bytes differ');
  const peak = await peakRssMiB(child.pid as number);

  const mibPerS = (ms: number): string => (sizeMiB / (ms / 1000)).toFixed(0);
  console.log(`github-server bench (${sizeMiB} MiB asset, Node ${process.version})`);
  console.log(`start-up, startGitHubServer() in process: ${inProcessMs.toFixed(0)} ms`);
  console.log(`start-up, CLI spawn to URL line:         ${cliMs.toFixed(0)} ms`);
  console.log(`server peak RSS after start:             ${rssAfterStart.toFixed(0)} MiB`);
  console.log(
    `upload:   ${(uploadMs / 1000).toFixed(1)} s (${mibPerS(uploadMs)} MiB/s), server peak RSS ${rssAfterUpload.toFixed(0)} MiB`,
  );
  console.log(
    `download: ${(downloadMs / 1000).toFixed(1)} s (${mibPerS(downloadMs)} MiB/s), server peak RSS ${peak.toFixed(0)} MiB`,
  );
  console.log(`digest verified both ways: ${expected}`);
  if (peak >= 200) {
    console.error(`FAIL: server peak RSS ${peak.toFixed(0)} MiB is not under 200 MiB`);
    process.exitCode = 1;
  }
  if (cliMs >= 2000) {
    console.error(`FAIL: start-up ${cliMs.toFixed(0)} ms is not under 2 s`);
    process.exitCode = 1;
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await rm(work, { recursive: true, force: true });
}
