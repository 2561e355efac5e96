/**
 * Test helpers to run the release action (in this process through run(), or
 * as a real Node process) against the local GitHub server, with the env vars
 * a runner would set, and to read what it produced.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectEntries, packArchive, walk } from '@build-release-run/archive';
import { parseKeyValueFile } from '@build-release-run/workflow-runner';
import type { GitHubServer } from '@build-release-run/github-server';
import { TEST_TOKEN } from './github-server.ts';
import { type TreeSpec, makeTree } from './tree.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RELEASE_ENTRY = path.join(ROOT, 'actions/release/src/index.ts');
/** What the runner runs (action.yml's runs.main): `pnpm bundle` first. */
export const RELEASE_BUNDLE = path.join(ROOT, 'dist/release/index.js');

export interface TestArchive {
  file: string;
  digest: `sha256:${string}`;
  name: string;
}

/** An archive file named as the build action names it (content: random bytes, or given). */
export async function writeTestArchive(dir: string, buildName = 'app', content?: Buffer): Promise<TestArchive> {
  const bytes = content ?? randomBytes(64 * 1024);
  const hex = createHash('sha256').update(bytes).digest('hex');
  const name = `${buildName}-${hex.slice(0, 12)}.tar.gz`;
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return { file, digest: `sha256:${hex}`, name };
}

/** A real tar.gz of `tree` (built under `dir`), named as the build action names it: deploy can unpack it. */
export async function writePackedArchive(dir: string, tree: TreeSpec): Promise<TestArchive> {
  const root = path.join(dir, 'build-output');
  await makeTree(root, tree);
  const packed = path.join(dir, 'packed.tar.gz');
  await packArchive({
    entries: await collectEntries(root, await walk(root)),
    format: 'tar.gz',
    mtime: 0,
    output: packed,
  });
  return writeTestArchive(dir, 'app', await readFile(packed));
}

/** The env a runner gives the release step; `inputs` are the action's inputs by name. */
export async function releaseEnv(options: {
  server: GitHubServer;
  workDir: string;
  commit: string;
  runId: string;
  inputs: Record<string, string>;
  attempt?: string;
}): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_SHA: options.commit,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: options.runId,
    GITHUB_RUN_ATTEMPT: options.attempt ?? '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_API_URL: options.server.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_WORKSPACE: options.workDir,
    RUNNER_TEMP: options.workDir,
    GITHUB_OUTPUT: path.join(options.workDir, `output-${options.runId}-${options.attempt ?? '1'}`),
    GITHUB_STEP_SUMMARY: path.join(options.workDir, `summary-${options.runId}-${options.attempt ?? '1'}`),
    INPUT_TOKEN: TEST_TOKEN,
    // The input is required; a test that does not care releases for production.
    INPUT_ENVIRONMENT: 'production',
  };
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  // The runner creates both files before the step starts; @actions/core appends to them.
  await writeFile(env.GITHUB_OUTPUT as string, '', { flag: 'a' });
  await writeFile(env.GITHUB_STEP_SUMMARY as string, '', { flag: 'a' });
  return env;
}

export interface ReleaseResult {
  /** The error setFailed reported, if any. */
  failure: string | undefined;
  outputs: Record<string, string>;
  /** Everything written to stdout (the step's log). */
  log: string;
  summary: string;
}

/** Reads GITHUB_OUTPUT as the runner does (an absent file is no outputs). */
async function readOutputs(file: string): Promise<Record<string, string>> {
  return parseKeyValueFile(await readFile(file, 'utf8').catch(() => ''), 'GITHUB_OUTPUT');
}

async function collect(env: Record<string, string>, log: string, failed: boolean): Promise<ReleaseResult> {
  const failure = failed ? (/::error::(.*)/.exec(log)?.[1] ?? 'failed without ::error::') : undefined;
  return {
    failure: failure?.replaceAll('%0A', '\n').replaceAll('%0D', '\r').replaceAll('%25', '%'),
    outputs: await readOutputs(env.GITHUB_OUTPUT as string),
    log,
    summary: await readFile(env.GITHUB_STEP_SUMMARY as string, 'utf8').catch(() => ''),
  };
}

/**
 * Runs main.ts's main() in its runAction boundary, in this process with exactly `env` as process.env
 * (restored afterwards), capturing stdout.
 */
export async function runReleaseInProcess(env: Record<string, string>): Promise<ReleaseResult> {
  const { TOKEN_USE, main } = await import('@build-release-run/action-release');
  const { runAction } = await import('@build-release-run/action-kit');
  const saved = process.env;
  const savedWrite = process.stdout.write.bind(process.stdout);
  let log = '';
  process.env = { PATH: saved.PATH, ...env };
  // Only this run's outcome counts: an exit code left by an earlier test in
  // the same Jest worker would read as this run's failure.
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    log += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    await runAction(main, TOKEN_USE);
  } finally {
    process.stdout.write = savedWrite;
    process.env = saved;
  }
  const failed = process.exitCode === 1;
  process.exitCode = undefined;
  return collect(env, log, failed);
}

/** Runs the action as its own Node process (what the runner does), for races and crashes. */
export async function runReleaseProcess(
  env: Record<string, string>,
  entry = RELEASE_ENTRY,
): Promise<ReleaseResult & { code: number | null }> {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { ...(await collect(env, log, code !== 0)), code };
}

/** GET on the server's API as the test token, following redirects (fetch's default). */
async function api(server: GitHubServer, route: string, accept = 'application/vnd.github+json'): Promise<Response> {
  const response = await fetch(`${server.url}${route}`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}`, accept },
  });
  if (!response.ok) throw new Error(`GET ${route}: ${response.status} ${await response.text()}`);
  return response;
}

interface ApiRelease {
  id: number;
  tag_name: string;
  draft: boolean;
  body: string | null;
  assets: { id: number; name: string; state: string; size: number }[];
}

/** What the server holds for octo/app, read through the API as a user would. */
export async function repositoryState(server: GitHubServer): Promise<{
  releases: {
    id: number;
    tag: string;
    draft: boolean;
    assets: { name: string; state: string; size: number }[];
    body: string;
  }[];
  tags: string[];
}> {
  const releases: ApiRelease[] = [];
  for (let page = 1; ; page++) {
    const batch = (await (
      await api(server, `/repos/octo/app/releases?per_page=100&page=${page}`)
    ).json()) as ApiRelease[];
    releases.push(...batch);
    if (batch.length < 100) break;
  }
  const refs = (await (await api(server, '/repos/octo/app/git/matching-refs/tags/')).json()) as { ref: string }[];
  return {
    releases: releases.map((r) => ({
      id: r.id,
      tag: r.tag_name,
      draft: r.draft,
      body: r.body ?? '',
      assets: r.assets.map((a) => ({ name: a.name, state: a.state, size: a.size })),
    })),
    tags: refs.map((ref) => ref.ref.replace(/^refs\/tags\//, '')).sort(),
  };
}

/** Downloads every asset of a published release into `dir` (through the 302, as a reviewer would). */
export async function downloadRelease(server: GitHubServer, tag: string, dir: string): Promise<string[]> {
  const release = (await (await api(server, `/repos/octo/app/releases/tags/${tag}`)).json()) as ApiRelease;
  for (const asset of release.assets) {
    const response = await api(server, `/repos/octo/app/releases/assets/${asset.id}`, 'application/octet-stream');
    await writeFile(path.join(dir, asset.name), Buffer.from(await response.arrayBuffer()));
  }
  return release.assets.map((a) => a.name);
}
