// The actions release themselves: .github/workflows/release.yml, run by the
// local runner on a pushed version tag of a fresh copy of this repository
// (no node_modules: the check job installs and rebuilds dist/ as CI would),
// against the local GitHub server with immutable releases on and a local
// Sigstore. It must leave an attested, immutable release whose assets are
// the actions, and the major tag at the released commit.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startGitHubServer, type GitHubServer } from '@build-release-run/github-server';
import { unpackArchive } from '@build-release-run/unpack';
import {
  type ArtifactService,
  type RunWorkflowResult,
  runWorkflow,
  startArtifactService,
} from '@build-release-run/workflow-runner';
import { TEST_TOKEN, commitFolder, gitIn } from '@build-release-run/test-helpers/github-server';
import { type TestSigstore, startTestSigstore, storedBundles } from '@build-release-run/test-helpers/sigstore';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const repoRoot = path.resolve(import.meta.dirname, '..');
const REPOSITORY = 'octo/build-release-run';

let dir: string;
let repo: string;
let version: string;
let commit: string;
let server: GitHubServer;
let sigstore: TestSigstore;
let artifacts: ArtifactService;
let result: RunWorkflowResult;

interface ReleaseJson {
  id: number;
  tag_name: string;
  draft: boolean;
  immutable?: boolean;
  body: string | null;
  assets: { id: number; name: string }[];
}

const api = async (route: string, accept = 'application/vnd.github+json'): Promise<Response> =>
  fetch(`${server.url}/repos/${REPOSITORY}${route}`, { headers: { authorization: `Bearer ${TEST_TOKEN}`, accept } });

/** A maintainer's clone, tagged: the files git knows, as this working tree has them, the CHANGELOG's entries released. */
async function taggedClone(): Promise<void> {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file !== '' && existsSync(path.join(repoRoot, file)));
  for (const file of files) {
    await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
    await cp(path.join(repoRoot, file), path.join(repo, file), { verbatimSymlinks: true });
  }
  version = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')).version;
  const changelog = await readFile(path.join(repo, 'CHANGELOG.md'), 'utf8');
  await writeFile(
    path.join(repo, 'CHANGELOG.md'),
    changelog.replace('## [Unreleased]\n', `## [Unreleased]\n\n## [${version}] - 2026-12-07\n`),
  );
  commit = commitFolder(repo);
  gitIn(repo)('tag', `v${version}`);
}

beforeAll(async () => {
  dir = await tempDir('brr-release-workflow-');
  repo = path.join(dir, 'build-release-run');
  await taggedClone();
  server = await startGitHubServer({
    repos: { [REPOSITORY]: repo },
    token: TEST_TOKEN,
    validateResponses: true,
    immutableReleases: true,
  });
  sigstore = await startTestSigstore();
  artifacts = await startArtifactService(path.join(dir, 'artifacts'));
  result = await runWorkflow({
    workflowFile: '.github/workflows/release.yml',
    repoDir: repo,
    repository: REPOSITORY,
    event: 'push',
    ref: `refs/tags/v${version}`,
    sha: commit,
    apiUrl: server.url,
    // @actions/artifact runs only against github.com, *.ghe.com or *.localhost.
    serverUrl: server.url.replace('//127.0.0.1:', '//github.localhost:'),
    token: TEST_TOKEN,
    runId: '1',
    workDir: path.join(dir, 'run'),
    artifacts,
    ...sigstore.runnerOptions,
  });
  // The check job installs the dependencies and rebuilds every bundle: minutes on a loaded machine.
}, 30 * 60_000);

afterAll(async () => {
  await artifacts?.stop();
  await sigstore?.close();
  await server?.close();
  await removeDir(dir);
});

describe('release.yml on a version tag', () => {
  it('checks dist/ and the version, builds, releases and moves the major tag, every job passing', () => {
    const outcome = Object.fromEntries(
      Object.entries(result.jobs).map(([id, job]) => [
        id,
        [job.result, job.annotations.filter((a) => a.level === 'error').map((a) => a.message)],
      ]),
    );
    expect(outcome).toEqual({
      check: ['success', []],
      build: ['success', []],
      release: ['success', []],
      'major-tag': ['success', []],
    });
    expect(result.jobs['check']!.log).toContainEqual(
      expect.stringMatching(/^dist\/ is fresh \(build, deploy, release, brr\)/),
    );
  });

  it('makes an immutable release of the pushed tag, its notes from CHANGELOG.md, with the build and brr as assets', async () => {
    const release = (await (await api(`/releases/tags/v${version}`)).json()) as ReleaseJson;
    expect([release.tag_name, release.draft, release.immutable]).toEqual([`v${version}`, false, true]);
    expect(release.assets.map((asset) => asset.name).sort()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^build-release-run-[0-9a-f]{12}\.tar\.zst$/),
        `build-release-run-cli-${version}.tgz`,
        'release.json',
        'SHA256SUMS',
      ]),
    );
    // The release action shows notes as plain text: the changelog's markdown, escaped.
    expect(release.body!.replace(/\\(.)/g, '$1')).toMatch(/### Added\s*\n- `build` action: packs a build's output/);
  });

  it('releases what `uses:` runs: the action.yml files, dist/ as committed, and LICENSE; nothing else', async () => {
    const release = (await (await api(`/releases/tags/v${version}`)).json()) as ReleaseJson;
    const asset = release.assets.find((a) => a.name.endsWith('.tar.zst'))!;
    const bytes = Buffer.from(
      await (await api(`/releases/assets/${asset.id}`, 'application/octet-stream')).arrayBuffer(),
    );
    const archive = path.join(dir, asset.name);
    await writeFile(archive, bytes);
    const unpacked = path.join(dir, 'unpacked');
    await unpackArchive({ archive, format: 'tar.zst', directory: unpacked });
    expect((await readdir(unpacked)).sort()).toEqual(['LICENSE', 'action.yml', 'actions', 'dist']);
    for (const stage of ['build', 'release', 'deploy']) {
      expect(await readdir(path.join(unpacked, 'actions', stage))).toEqual(['action.yml']);
    }
    expect((await readdir(path.join(unpacked, 'dist'))).sort()).toEqual(['brr', 'build', 'deploy', 'release']);
    for (const file of ['dist/release/index.js', 'dist/deploy/licenses.txt', 'dist/brr/package.json', 'LICENSE']) {
      expect([file, await readFile(path.join(unpacked, file))]).toEqual([file, await readFile(path.join(repo, file))]);
    }
  });

  it('signs provenance for the build and for release.json', async () => {
    const build = result.jobs['build']!.outputs['digest']!;
    const manifest = result.jobs['release']!.stepsById['release']!.outputs['manifest-digest']!;
    expect(await storedBundles(server.url, TEST_TOKEN, REPOSITORY, build)).toHaveLength(1);
    expect(await storedBundles(server.url, TEST_TOKEN, REPOSITORY, manifest)).toHaveLength(1);
  });

  it('points the major tag at the released commit; the version tag stays where it was pushed', async () => {
    const major = `v${version.split('.')[0]}`;
    const ref = (await (await api(`/git/ref/tags/${major}`)).json()) as { object: { sha: string } };
    expect(ref.object.sha).toBe(commit);
    expect(result.jobs['major-tag']!.log).toContain(`${major} now points at ${commit} (v${version}).`);
  });
});
