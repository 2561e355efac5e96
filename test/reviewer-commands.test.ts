// The commands a release's notes print for reviewers, run as a reviewer
// runs them: the bundled build and release actions make a real, attested
// release through the runner against the local GitHub server; every line
// of every `sh` block of its notes (read from the release, not retyped)
// runs with Debian's gh 2.23; so do `gh release view`, `list` and
// `download --pattern`. What they print and download is checked against
// the release as the REST API serves it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { type CommandResult, type GhSession, startGh } from '@build-release-run/test-helpers/gh-cli';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import {
  type TestSigstore,
  attestedPipeline,
  runAttestingWorkflow,
  startTestSigstore,
} from '@build-release-run/test-helpers/sigstore';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

interface RestRelease {
  tag_name: string;
  name: string | null;
  body: string;
  draft: boolean;
  assets: { name: string; digest: string | null; size: number }[];
}

let github: TestGitHub;
let sigstore: TestSigstore;
let dir: string;
let gh: GhSession;
let release: RestRelease;

/** The lines of every ```sh block of the notes, block by block. */
function shellBlocks(notes: string): string[][] {
  return [...notes.matchAll(/^```sh\n([\s\S]*?)\n```$/gm)].map((m) => (m[1] as string).split('\n'));
}

async function freshDir(name: string): Promise<string> {
  return mkdtemp(path.join(dir, `${name}-`));
}

/** name → `sha256:<hex>` of every file in `folder`. */
async function digestsIn(folder: string): Promise<Record<string, string>> {
  const files = (await readdir(folder)).sort();
  const entries = await Promise.all(
    files.map(async (f) => [
      f,
      `sha256:${createHash('sha256')
        .update(await readFile(path.join(folder, f)))
        .digest('hex')}`,
    ]),
  );
  return Object.fromEntries(entries);
}

/** What GitHub says each asset's bytes hash to, for the names given. */
function restDigests(names?: (name: string) => boolean): Record<string, string> {
  return Object.fromEntries(
    release.assets
      .filter((a) => names === undefined || names(a.name))
      .map((a) => [a.name, a.digest ?? 'no digest'])
      .sort(([a], [b]) => (a! < b! ? -1 : 1)),
  );
}

function succeeded(result: CommandResult): CommandResult {
  if (result.code !== 0) throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

beforeAll(async () => {
  // Set up as the README says (release immutability on): the release is one deploy accepts.
  github = await startTestGitHub({ immutableReleases: true });
  sigstore = await startTestSigstore();
  dir = await tempDir('brr-reviewer-commands-');
  const result = await runAttestingWorkflow({
    github,
    sigstore,
    dir,
    name: 'pipeline',
    file: 'pipeline.yml',
    workflow: attestedPipeline('production', '      contents: write\n      id-token: write\n      attestations: write'),
  });
  const job = result.jobs['release']!;
  expect(job.result).toBe('success');
  const tag = job.outputs['tag']!;
  const response = await fetch(`${github.server.url}/repos/octo/app/releases/tags/${tag}`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  });
  release = (await response.json()) as RestRelease;
  gh = await startGh(github.server, TEST_TOKEN);
}, 240_000);

afterAll(async () => {
  expect(github.server.responseViolations).toEqual([]);
  await gh.close();
  await github.close();
  await sigstore.close();
  await removeDir(dir);
});

describe('the commands the notes print', () => {
  it('are two sh blocks: verify the checksums, then the provenance', () => {
    const blocks = shellBlocks(release.body);
    expect(blocks.map((lines) => lines.map((line) => line.split(' ').slice(0, 3).join(' ')))).toEqual([
      ['gh release download', 'sha256sum -c SHA256SUMS'],
      ['gh release download', 'gh attestation verify', 'gh attestation verify'],
    ]);
  });

  it('"Verify": gh downloads every asset, their bytes are what GitHub hashed, and sha256sum -c SHA256SUMS passes', async () => {
    const [download, check] = shellBlocks(release.body)[0]!;
    const folder = await freshDir('verify');
    succeeded(await gh.shell(download!, folder));
    expect(await digestsIn(folder)).toEqual(restDigests());
    const sums = succeeded(await gh.shell(check!, folder));
    const listed = (await readFile(path.join(folder, 'SHA256SUMS'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+\*?/)[1]);
    expect(sums.stdout.trim().split('\n').sort()).toEqual(listed.map((name) => `${name}: OK`).sort());
    expect(listed).toContain(release.assets.find((a) => a.name.endsWith('.tar.gz'))!.name);
  });

  it('"Provenance": gh downloads exactly release.json and the archive; gh attestation verify is not in gh 2.23', async () => {
    const [download, ...verifies] = shellBlocks(release.body)[1]!;
    const folder = await freshDir('provenance');
    succeeded(await gh.shell(download!, folder));
    expect(await digestsIn(folder)).toEqual(restDigests((name) => name === 'release.json' || name.endsWith('.tar.gz')));
    // Debian's gh is 2.23; `gh attestation` came in gh 2.49. The notes do
    // not say which gh the commands need (the report names this).
    expect(succeeded(await gh.gh(['--version'], folder)).stdout).toMatch(/^gh version 2\.23\./);
    for (const line of verifies) {
      const result = await gh.shell(line, folder);
      expect([result.code, result.stderr.split('\n')[0]]).toEqual([1, 'unknown command "attestation" for "gh"']);
    }
  });
});

describe("a reviewer's other gh release commands", () => {
  it('gh release view TAG shows the release: its tag, published, its notes and every asset', async () => {
    const { stdout } = succeeded(await gh.gh(['release', 'view', release.tag_name, '--repo', 'octo/app'], dir));
    const [fields, notes] = stdout.split('\n--\n') as [string, string];
    const lines = fields.split('\n');
    expect(lines).toEqual(expect.arrayContaining([`tag:\t${release.tag_name}`, 'draft:\tfalse', 'prerelease:\tfalse']));
    expect(
      lines
        .filter((l) => l.startsWith('asset:\t'))
        .map((l) => l.slice('asset:\t'.length))
        .sort(),
    ).toEqual(release.assets.map((a) => a.name).sort());
    expect(notes.trim()).toBe(release.body.trim());
  });

  it('gh release view --json answers the fields from the same release', async () => {
    const { stdout } = succeeded(
      await gh.gh(['release', 'view', release.tag_name, '--repo', 'octo/app', '--json', 'tagName,isDraft,assets'], dir),
    );
    const viewed = JSON.parse(stdout) as {
      tagName: string;
      isDraft: boolean;
      assets: { name: string; size: number }[];
    };
    expect(viewed).toMatchObject({ tagName: release.tag_name, isDraft: false });
    expect(viewed.assets.map((a) => [a.name, a.size])).toEqual(release.assets.map((a) => [a.name, a.size]));
  });

  it('gh release list lists it as the latest release (through GraphQL)', async () => {
    const { stdout } = succeeded(await gh.gh(['release', 'list', '--repo', 'octo/app'], dir));
    const rows = stdout
      .trim()
      .split('\n')
      .map((row) => row.split('\t'));
    expect(rows).toEqual([[release.name ?? release.tag_name, 'Latest', release.tag_name, expect.any(String)]]);
    expect(github.server.requests.map((r) => r.operationId)).toContain('graphql/RepositoryReleaseList');
  });

  it('gh release download TAG --pattern downloads only the matching assets, with the bytes GitHub hashed', async () => {
    const folder = await freshDir('pattern');
    succeeded(
      await gh.gh(['release', 'download', release.tag_name, '--repo', 'octo/app', '--pattern', '*.json'], folder),
    );
    expect(await digestsIn(folder)).toEqual(restDigests((name) => name.endsWith('.json')));
    expect(Object.keys(await digestsIn(folder)).length).toBeGreaterThan(0);
  });
});
