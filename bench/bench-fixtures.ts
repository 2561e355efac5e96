/** What the release benchmarks (bench/release.ts, bench/peers.ts) release into: a local GitHub server, and an archive. */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { type GitHubServer, startGitHubServer } from '@build-release-run/github-server';
import { type GitFixtureRepo, makeGitRepo, TEST_TOKEN } from '@build-release-run/test-helpers/github-server';

/** The local server with `octo/app`, a fresh repository of one commit, its data under `dataDir`. */
export async function startBenchGitHub(
  dataDir: string,
  immutableReleases: boolean,
): Promise<{ server: GitHubServer; repo: GitFixtureRepo; commit: string }> {
  const repo = await makeGitRepo(1);
  const server = await startGitHubServer({
    repos: { 'octo/app': repo.path },
    token: TEST_TOKEN,
    immutableReleases,
    dataDir,
  });
  return { server, repo, commit: repo.commits[0] as string };
}

/** Writes `mib` MiB of incompressible bytes as a build archive, streaming; returns its path and digest. */
export async function writeArchive(dir: string, mib: number): Promise<{ file: string; digest: `sha256:${string}` }> {
  const partial = path.join(dir, 'archive.partial');
  const out = createWriteStream(partial);
  const hash = createHash('sha256');
  const block = randomBytes(1024 * 1024);
  // A fraction of a MiB (`--size-mib 0.001`) is that many bytes, not a whole block.
  const total = Math.max(1, Math.round(mib * 1024 * 1024));
  for (let i = 0, left = total; left > 0; i++, left -= block.length) {
    block.writeUInt32LE(i, 0); // every MiB differs
    const part = left < block.length ? block.subarray(0, left) : block;
    hash.update(part);
    if (!out.write(part)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const hex = hash.digest('hex');
  const file = path.join(dir, `bench-${hex.slice(0, 12)}.tar.gz`);
  await rename(partial, file);
  return { file, digest: `sha256:${hex}` };
}

/**
 * Runs a step's command with `env` and PATH only, asynchronously: the server
 * answering it runs in this process. Its output (stdout and stderr) and exit code.
 */
export async function runStepCommand(
  command: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; ms: number }> {
  const started = performance.now();
  const child = spawn(command[0] as string, command.slice(1), {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, out, ms: performance.now() - started };
}
