/**
 * brr as users get it: dist/brr, the bundle `pnpm bundle` makes, installed
 * with `npm install -g` into a temporary prefix, from the packed tarball and
 * from the repository's folder, and run by plain Node: the machine's own
 * (Node 20 here) and the suite's Node 24. Then the installed command against
 * the local server, and the engines it declares against what it bundles.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import semver from 'semver';
import { getOctokit } from '@actions/github';
import { GitHubApi, type GitHubRequest } from '@build-release-run/github-api';
import { publishTestRelease } from '@build-release-run/test-helpers/deploy-releases';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const DIST = path.join(repoRoot, 'dist', 'brr');

interface NodeRuntime {
  binary: string;
  version: string;
  zstd: boolean;
}

async function runtime(binary: string): Promise<NodeRuntime> {
  const { stdout } = await run(binary, [
    '-p',
    "process.version + ' ' + (typeof require('node:zlib').createZstdDecompress === 'function')",
  ]);
  const [version, zstd] = stdout.trim().split(' ') as [string, string];
  return { binary, version, zstd: zstd === 'true' };
}

/** The first `node` on PATH outside any node_modules: the machine's own, not the suite's. */
function machineNode(): string {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir.split(path.sep).includes('node_modules')) continue;
    const candidate = path.join(dir, 'node');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('No node on PATH outside node_modules: the machine has no Node of its own.');
}

/** Runs the installed `brr` through its `#!/usr/bin/env node` line, with `node` resolving to `on`. */
async function brr(prefix: string, on: NodeRuntime, args: string[], env: NodeJS.ProcessEnv = {}) {
  const PATH = [path.dirname(on.binary), process.env['PATH']].join(path.delimiter);
  try {
    const { stdout, stderr } = await run(path.join(prefix, 'bin', 'brr'), args, { env: { PATH, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let work: string;
let nodes: NodeRuntime[];
let packed: { filename: string; files: { path: string }[] };
const fromTarball = () => path.join(work, 'from-tarball');
const fromRepository = () => path.join(work, 'from-repository');
const manifest = async () => JSON.parse(await readFile(path.join(DIST, 'package.json'), 'utf8'));

beforeAll(async () => {
  work = await tempDir('brr-install-');
  nodes = [await runtime(machineNode()), await runtime(process.execPath)];
  const { stdout } = await run('npm', ['pack', DIST, '--pack-destination', work, '--json']);
  [packed] = JSON.parse(stdout);
  await run('npm', ['install', '--global', '--prefix', fromTarball(), path.join(work, packed.filename)]);
  await run('npm', ['install', '--global', '--prefix', fromRepository(), DIST]);
}, 180_000);
afterAll(() => removeDir(work));

describe('the brr package (dist/brr)', () => {
  it('packs the bundle, its licenses and LICENSE, and has nothing left to install', async () => {
    const chunks = (await readdir(DIST)).filter((name) => name.endsWith('.js'));
    expect(packed.files.map((file) => file.path).sort()).toEqual(
      [...chunks, 'LICENSE', 'licenses.txt', 'package.json'].sort(),
    );
    const { bin, dependencies, engines, version } = await manifest();
    expect({ bin, dependencies, engines }).toEqual({
      bin: { brr: 'index.js' },
      dependencies: undefined,
      engines: JSON.parse(await readFile(path.join(repoRoot, 'packages/cli/package.json'), 'utf8')).engines,
    });
    expect(packed.filename).toBe(`build-release-run-cli-${version}.tgz`);
  });

  it('runs on the machine Node and on Node 24', () => {
    expect(nodes.map((node) => semver.major(node.version))).toEqual([expect.any(Number), 24]);
    expect(semver.satisfies(nodes[0]!.version, '>=20')).toBe(true);
  });

  it.each([
    ['the packed tarball', fromTarball],
    ['the repository (dist/brr)', fromRepository],
  ])('installed from %s, answers --version and --help on each Node', async (_from, prefix) => {
    const { version } = await manifest();
    for (const node of nodes) {
      expect([node.version, await brr(prefix(), node, ['--version'])]).toEqual([
        node.version,
        { code: 0, stdout: `${version}\n`, stderr: '' },
      ]);
      const help = await brr(prefix(), node, ['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Exit status:\n {2}0 {2}success/);
    }
  });

  // Each range brr declares holds for every package it bundles, except Node
  // 20's: the sigstore packages dropped it (EOL since April 2026), but brr
  // runs on it, as this file shows on the machine's Node 20.
  it('declares engines every package it bundles accepts, and Node 20, which it is run on here', async () => {
    const ranges: string[] = (await manifest()).engines.node.split('||').map((range: string) => range.trim());
    expect(ranges.filter((range) => semver.minVersion(range)!.major === 20)).toEqual(
      nodes.some((node) => semver.major(node.version) === 20) ? ['^20.20.0'] : [],
    );
    const declared = ranges.filter((range) => semver.minVersion(range)!.major !== 20).join(' || ');
    const store = path.join(repoRoot, 'node_modules', '.pnpm');
    const folders = await readdir(store);
    const notice = await readFile(path.join(DIST, 'licenses.txt'), 'utf8');
    const bundled = [...notice.matchAll(/^={80}\n(\S+) (\S+) \(.*\)\n={80}$/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(bundled.length).toBeGreaterThan(20);
    const refusing: string[] = [];
    for (const [name, version] of bundled) {
      const folder = folders.find(
        (entry) =>
          entry === `${name.replace('/', '+')}@${version}` || entry.startsWith(`${name.replace('/', '+')}@${version}_`),
      );
      expect([name, version, folder]).toEqual([name, version, expect.any(String)]);
      const pkg = JSON.parse(await readFile(path.join(store, folder!, 'node_modules', name, 'package.json'), 'utf8'));
      const wants: string | undefined = pkg.engines?.node;
      if (wants !== undefined && !semver.subset(declared, wants)) refusing.push(`${name}@${version} wants ${wants}`);
    }
    expect(refusing).toEqual([]);
  });
});

describe('the installed brr against the local server', () => {
  let github: TestGitHub;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    github = await startTestGitHub({ immutableReleases: true }, 2);
    const octokit = getOctokit(TEST_TOKEN, { baseUrl: github.server.url });
    const request: GitHubRequest = (route, parameters) => octokit.request(route, parameters);
    const api = new GitHubApi({ request, repository: 'octo/app' });
    const [c1, c2] = github.repo.commits as [string, string];
    const files = { 'server.js': 'console.log("hi")\n' };
    await publishTestRelease(api, { tag: 'v1', environment: 'staging', files, commit: c1, format: 'tar.gz' }, work);
    await publishTestRelease(api, { tag: 'v2', environment: 'staging', files, commit: c2, format: 'tar.zst' }, work);
    env = { GITHUB_TOKEN: TEST_TOKEN, GITHUB_API_URL: github.server.url, GITHUB_REPOSITORY: 'octo/app' };
    expect((await api.getReleaseByTag('v1'))?.immutable).toBe(true);
  }, 60_000);
  afterAll(() => github.close());
  // These releases carry no attestation: what is under test is the bundle on
  // each Node (the trust policy is cli.test.ts's), so the policy says so.
  const policy = ['--source-ref', 'main', '--verify-provenance', 'false'];

  it('reads the ledger and verifies a tar.gz release on each Node', async () => {
    for (const node of nodes) {
      const ledger = await brr(fromTarball(), node, ['ledger', ...policy], env);
      expect([node.version, ledger.code, ledger.stderr]).toEqual([node.version, 0, '']);
      expect(ledger.stdout).toMatch(/releases: v1, v2/);
      const verified = await brr(fromTarball(), node, ['verify', 'v1', ...policy], env);
      expect([node.version, verified.code, verified.stdout]).toEqual([
        node.version,
        0,
        expect.stringMatching(/^v1: verified, nothing run\./),
      ]);
    }
  });

  it('verifies a tar.zst release where Node has zstd, and says which Node it needs where it has not', async () => {
    for (const node of nodes) {
      const verified = await brr(fromTarball(), node, ['verify', 'v2', ...policy], env);
      if (node.zstd) expect([node.version, verified.code]).toEqual([node.version, 0]);
      else {
        expect([node.version, verified.code]).toEqual([node.version, 1]);
        expect(verified.stderr).toBe(
          `brr verify: A tar.zst archive needs zstd, in Node's zlib since Node 22.15; this is Node ${node.version}.\n`,
        );
      }
    }
  });

  it('exits 2 on a usage error on each Node', async () => {
    for (const node of nodes) {
      const usage = await brr(fromTarball(), node, ['frobnicate'], env);
      expect([node.version, usage.code, usage.stderr]).toEqual([
        node.version,
        2,
        "brr: unknown command 'frobnicate'\nRun 'brr --help' for usage.\n",
      ]);
    }
  });
});
