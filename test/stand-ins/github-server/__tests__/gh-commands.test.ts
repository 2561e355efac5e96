// Which gh commands behave against this server as they do against GitHub:
// each row runs with Debian's gh 2.23 (test/helpers/gh-cli.ts) and checks
// what GitHub would have answered or done, read back through the REST API.
// The table in this package's README is the measured result: a row that
// stops (or starts) working fails this test until the README says so.
// Rows run in order; later rows use what earlier ones made.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getOctokit } from '@actions/github';
import { type CommandResult, type GhSession, startGh } from '@build-release-run/test-helpers/gh-cli';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const README = path.resolve(import.meta.dirname, '..', 'README.md');
const repo = { owner: 'octo', repo: 'app' };

type Outcome = 'works' | 'fails' | 'not in gh 2.23';

interface RowContext {
  result: CommandResult;
  /** The folder the command ran in. */
  cwd: string;
}

type Check = (row: RowContext) => Promise<void> | void;

let github: TestGitHub;
let gh: GhSession;
let dir: string;
const octokit = () => getOctokit(TEST_TOKEN, { baseUrl: github.server.url });

interface Listed {
  id: number;
  tag_name: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  assets: { name: string; label: string | null }[];
}

/** Every release, drafts included, as the REST API lists them. */
async function releases(): Promise<Listed[]> {
  return (await octokit().rest.repos.listReleases({ ...repo, per_page: 100 })).data as Listed[];
}

async function release(tag: string): Promise<Listed | undefined> {
  return (await releases()).find((r) => r.tag_name === tag);
}

async function tagExists(tag: string): Promise<boolean> {
  const refs = await octokit().rest.git.listMatchingRefs({ ...repo, ref: `tags/${tag}` });
  return refs.data.some((r) => r.ref === `refs/tags/${tag}`);
}

function succeeded({ result }: RowContext): void {
  assert.equal(result.code, 0, result.stderr);
}

function failedWith(pattern: RegExp): Check {
  return ({ result }) => {
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, pattern);
  };
}

/** The rows `gh release list` printed: title, type, tag. */
function listed(result: CommandResult): string[][] {
  return result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((row) => row.split('\t').slice(0, 3));
}

function field(result: CommandResult, name: string): string | undefined {
  return result.stdout
    .split('\n')
    .find((l) => l.startsWith(`${name}:\t`))
    ?.slice(name.length + 2);
}

async function filesIn(folder: string): Promise<Record<string, string>> {
  const names = (await readdir(folder)).filter((n) => n !== 'c.txt' && n !== 'notes.md').sort();
  return Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await readFile(path.join(folder, n), 'utf8')])),
  );
}

const A_TXT = 'alpha\n';
const B_JSON = '{"b":1}\n';
const D_TXT = 'draft asset\n';

const lines = (result: CommandResult): string[] => result.stdout.trim().split('\n');

/** Each row: the command as a reviewer or maintainer types it (GH_REPO=octo/app), and what GitHub would do. */
const ROWS: [string, Check][] = [
  [
    'gh release list',
    ({ result }) => {
      assert.deepEqual(listed(result), [
        ['v2-draft', 'Draft', 'v2-draft'],
        ['First', 'Latest', 'v1'],
        ['v0.9', 'Pre-release', 'v0.9'],
      ]);
    },
  ],
  [
    'gh release list --exclude-drafts',
    ({ result }) =>
      assert.deepEqual(
        listed(result).map((r) => r[2]),
        ['v1', 'v0.9'],
      ),
  ],
  [
    'gh release list --exclude-pre-releases',
    ({ result }) =>
      assert.deepEqual(
        listed(result).map((r) => r[2]),
        ['v2-draft', 'v1'],
      ),
  ],
  [
    'gh release list --limit 1',
    ({ result }) =>
      assert.deepEqual(
        listed(result).map((r) => r[2]),
        ['v2-draft'],
      ),
  ],
  [
    'gh release view v1',
    ({ result }) => {
      assert.equal(field(result, 'tag'), 'v1');
      assert.equal(field(result, 'title'), 'First');
      assert.deepEqual(
        lines(result).filter((l) => l.startsWith('asset:')),
        ['asset:\ta.txt', 'asset:\tb.json'],
      );
    },
  ],
  ['gh release view', ({ result }) => assert.equal(field(result, 'tag'), 'v1')],
  ['gh release view v2-draft', ({ result }) => assert.equal(field(result, 'draft'), 'true')],
  [
    'gh release view v1 --json tagName,name,isDraft,isPrerelease,assets,author,body,url,publishedAt',
    ({ result }) => {
      const json = JSON.parse(result.stdout) as { tagName: string; name: string; assets: { name: string }[] };
      assert.equal(json.tagName, 'v1');
      assert.equal(json.name, 'First');
      assert.deepEqual(
        json.assets.map((a) => a.name),
        ['a.txt', 'b.json'],
      );
    },
  ],
  ['gh release view nope', failedWith(/^release not found/)],
  [
    'gh release download v1',
    async ({ cwd }) => assert.deepEqual(await filesIn(cwd), { 'a.txt': A_TXT, 'b.json': B_JSON }),
  ],
  [
    "gh release download v1 --pattern '*.json'",
    async ({ cwd }) => assert.deepEqual(await filesIn(cwd), { 'b.json': B_JSON }),
  ],
  ['gh release download v1 --pattern a.txt --output -', ({ result }) => assert.equal(result.stdout, A_TXT)],
  [
    'gh release download v1 --pattern a.txt --dir out',
    async ({ cwd }) => assert.equal(await readFile(path.join(cwd, 'out', 'a.txt'), 'utf8'), A_TXT),
  ],
  ['gh release download --pattern a.txt', async ({ cwd }) => assert.deepEqual(await filesIn(cwd), { 'a.txt': A_TXT })],
  ['gh release download v2-draft', async ({ cwd }) => assert.deepEqual(await filesIn(cwd), { 'd.txt': D_TXT })],
  [
    'gh release download v1 --archive tar.gz',
    async ({ cwd }) => assert.deepEqual(Object.keys(await filesIn(cwd)), ['app-v1.tar.gz']),
  ],
  [
    'gh release download v1 --archive zip',
    async ({ cwd }) => assert.deepEqual(Object.keys(await filesIn(cwd)), ['app-v1.zip']),
  ],
  [
    'gh release upload v2-draft c.txt',
    async () =>
      assert.deepEqual(
        (await release('v2-draft'))?.assets.map((a) => a.name),
        ['d.txt', 'c.txt'],
      ),
  ],
  ['gh release upload v2-draft ./c.txt', failedWith(/asset under the same name already exists/)],
  [
    "gh release upload v2-draft 'c.txt#The C file' --clobber",
    async () => {
      const assets = (await release('v2-draft'))?.assets;
      assert.deepEqual(
        assets?.map((a) => [a.name, a.label]),
        [
          ['d.txt', null],
          ['c.txt', 'The C file'],
        ],
      );
    },
  ],
  [
    "gh release create v3 --title Third --notes 'three'",
    async () => {
      const made = await release('v3');
      assert.deepEqual([made?.name, made?.body, made?.draft], ['Third', 'three', false]);
      assert.ok(await tagExists('v3'));
    },
  ],
  [
    'gh release create v4 --draft --notes four',
    async () => {
      assert.equal((await release('v4'))?.draft, true);
      assert.equal(await tagExists('v4'), false);
    },
  ],
  ['gh release create v5 --prerelease --notes five', async () => assert.equal((await release('v5'))?.prerelease, true)],
  [
    'gh release create v6 c.txt --notes six',
    async () =>
      assert.deepEqual(
        (await release('v6'))?.assets.map((a) => a.name),
        ['c.txt'],
      ),
  ],
  ['gh release create v7 --generate-notes', async () => assert.equal((await release('v7'))?.draft, false)],
  [
    'gh release create v8 --latest=false --notes eight',
    async () => {
      assert.equal((await release('v8'))?.draft, false);
      assert.equal((await octokit().rest.repos.getLatestRelease(repo)).data.tag_name, 'v7');
    },
  ],
  [
    'gh release create v9 --target main --notes nine',
    async () => {
      const tag = await octokit().rest.git.getRef({ ...repo, ref: 'tags/v9' });
      assert.equal(tag.data.object.sha, github.repo.commits.at(-1));
    },
  ],
  [
    'gh release create v10 --notes-file notes.md',
    async () => assert.equal((await release('v10'))?.body, 'Notes from a file.\n'),
  ],
  [
    'gh release create v11 --verify-tag --notes x',
    failedWith(/^tag v11 doesn't exist in the repo octo\/app, aborting due to --verify-tag flag/),
  ],
  ['gh release create v1 --notes again', failedWith(/HTTP 422: Validation Failed[\s\S]*tag_name already exists/)],
  ['gh release edit v3 --notes changed', async () => assert.equal((await release('v3'))?.body, 'changed')],
  ['gh release edit v3 --title Renamed', async () => assert.equal((await release('v3'))?.name, 'Renamed')],
  [
    'gh release edit v4 --draft=false',
    async () => {
      assert.equal((await release('v4'))?.draft, false);
      assert.ok(await tagExists('v4'));
    },
  ],
  ['gh release edit v5 --prerelease=false', async () => assert.equal((await release('v5'))?.prerelease, false)],
  [
    'gh release edit v3 --tag v3-renamed',
    async () => {
      assert.equal(await release('v3'), undefined);
      assert.equal((await release('v3-renamed'))?.name, 'Renamed');
    },
  ],
  [
    'gh release delete-asset v2-draft c.txt --yes',
    async () =>
      assert.deepEqual(
        (await release('v2-draft'))?.assets.map((a) => a.name),
        ['d.txt'],
      ),
  ],
  [
    'gh release delete v3-renamed --yes',
    async () => {
      assert.equal(await release('v3-renamed'), undefined);
      assert.ok(await tagExists('v3'));
    },
  ],
  [
    'gh release delete v5 --yes --cleanup-tag',
    async () => {
      assert.equal(await release('v5'), undefined);
      assert.equal(await tagExists('v5'), false);
    },
  ],
  [
    "gh api repos/octo/app/releases --jq '.[].tag_name'",
    async ({ result }) =>
      assert.deepEqual(
        lines(result),
        (await releases()).slice(0, 30).map((r) => r.tag_name),
      ),
  ],
  [
    "gh api --paginate 'repos/octo/app/releases?per_page=2' --jq '.[].tag_name'",
    async ({ result }) =>
      assert.deepEqual(
        lines(result),
        (await releases()).map((r) => r.tag_name),
      ),
  ],
  [
    'gh api repos/octo/app/releases/latest --jq .tag_name',
    async ({ result }) =>
      assert.equal(result.stdout, `${(await octokit().rest.repos.getLatestRelease(repo)).data.tag_name}\n`),
  ],
  [
    "gh api repos/octo/app/git/matching-refs/tags/v1 --jq '.[].ref'",
    ({ result }) => assert.deepEqual(lines(result), ['refs/tags/v1', 'refs/tags/v10']),
  ],
  [
    'gh api -X POST repos/octo/app/deployments -f ref=main -f environment=staging -F auto_merge=false --jq .environment',
    ({ result }) => assert.equal(result.stdout, 'staging\n'),
  ],
  [
    "gh api repos/octo/app/deployments --jq '.[].environment'",
    ({ result }) => assert.equal(result.stdout, 'staging\n'),
  ],
  ['gh api repos/octo/app --jq .full_name', ({ result }) => assert.equal(result.stdout, 'octo/app\n')],
  [
    `gh api graphql -f query='{ repository(owner: "octo", name: "app") { release(tagName: "v1") { name isLatest } } }'`,
    ({ result }) =>
      assert.deepEqual(JSON.parse(result.stdout), {
        data: { repository: { release: { name: 'First', isLatest: false } } },
      }),
  ],
  [
    `gh api graphql --paginate -f query='query($endCursor: String) { repository(owner: "octo", name: "app") { releases(first: 2, after: $endCursor) { nodes { tagName } pageInfo { hasNextPage endCursor } } } }' --jq '.data.repository.releases.nodes[].tagName'`,
    async ({ result }) =>
      assert.deepEqual(
        lines(result),
        (await releases()).map((r) => r.tag_name),
      ),
  ],
  [
    `gh api graphql -f query='{ viewer { login } }' --jq .data.viewer.login`,
    ({ result }) => assert.equal(result.stdout, 'github-actions[bot]\n'),
  ],
  ['gh repo view --json name --jq .name', ({ result }) => assert.equal(result.stdout, 'app\n')],
  ['gh auth status', succeeded],
  ['gh release verify v1', succeeded],
  ['gh release verify-asset v1 a.txt', succeeded],
  ['gh attestation verify a.txt --repo octo/app', succeeded],
];

async function measure(line: string, check: Check): Promise<Outcome> {
  const cwd = await mkdtemp(path.join(dir, 'row-'));
  await writeFile(path.join(cwd, 'c.txt'), 'the c file\n');
  await writeFile(path.join(cwd, 'notes.md'), 'Notes from a file.\n');
  const result = await gh.shell(line, cwd);
  try {
    await check({ result, cwd });
    return 'works';
  } catch {
    return /^unknown command "[^"]+" for "gh/m.test(result.stderr) ? 'not in gh 2.23' : 'fails';
  }
}

/** The README's table: command → outcome. */
async function documented(): Promise<Record<string, string>> {
  const readme = await readFile(README, 'utf8');
  const section = readme.slice(readme.indexOf('## Which `gh` commands work'));
  const rows = [...section.matchAll(/^\| `(.+?)` +\| (works|fails|not in gh 2\.23) +\|/gm)];
  return Object.fromEntries(rows.map((m) => [m[1]!.replaceAll('\\|', '|'), m[2]!]));
}

beforeAll(async () => {
  github = await startTestGitHub();
  dir = await tempDir('brr-gh-commands-');
  gh = await startGh(github.server, TEST_TOKEN, { GH_REPO: 'octo/app' });
  const api = octokit();
  await api.rest.repos.createRelease({ ...repo, tag_name: 'v0.9', prerelease: true });
  const v1 = await api.rest.repos.createRelease({ ...repo, tag_name: 'v1', name: 'First', body: 'one' });
  const draft = await api.rest.repos.createRelease({ ...repo, tag_name: 'v2-draft', draft: true });
  for (const [id, name, text] of [
    [v1.data.id, 'a.txt', A_TXT],
    [v1.data.id, 'b.json', B_JSON],
    [draft.data.id, 'd.txt', D_TXT],
  ] as const) {
    await api.rest.repos.uploadReleaseAsset({
      ...repo,
      release_id: id,
      name,
      data: text,
      url: `${github.server.uploadsUrl}/repos/octo/app/releases/${id}/assets{?name,label}`,
    });
  }
}, 60_000);

afterAll(async () => {
  await gh.close();
  await github.close();
  await removeDir(dir);
});

it('the README table says which gh commands behave as on GitHub, as measured', async () => {
  const measured: Record<string, Outcome> = {};
  for (const [line, check] of ROWS) measured[line] = await measure(line, check);
  const counts = Object.values(measured).reduce<Record<string, number>>((c, o) => ({ ...c, [o]: (c[o] ?? 0) + 1 }), {});
  expect({ measured, counts }).toEqual({ measured: await documented(), counts: expect.anything() });
  expect(github.server.responseViolations).toEqual([]);
  // The table is not vacuous: the reviewers' and maintainers' release commands are in it and work.
  expect(
    Object.entries(measured)
      .filter(([line, o]) => line.startsWith('gh release ') && o !== 'works')
      .map(([l]) => l),
  ).toEqual([
    'gh release download v1 --archive tar.gz',
    'gh release download v1 --archive zip',
    'gh release verify v1',
    'gh release verify-asset v1 a.txt',
  ]);
}, 300_000);
