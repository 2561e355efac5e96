/**
 * Side by side with two widely used release actions, on the same local
 * GitHub server and the same archive: softprops/action-gh-release and
 * ncipollo/release-action, each run from a copy of its repository that the
 * caller gives (this project holds none of their code), and our release
 * action (dist/release/index.js, `pnpm bundle` first). Each runs as the
 * runner runs a node action: `node <main>` with INPUT_* and GITHUB_*
 * variables. Per tool: wall time, peak RSS (GNU time's %M), the API requests
 * the server received, and whether the release came out complete (published,
 * not a draft, every asset the tool was asked for present with its size).
 *
 *   pnpm bench:peers --softprops DIR --ncipollo DIR [--size-mib 1024] [--mutable]
 *     DIR       a git directory (bare or not) or a plain folder; a git
 *               directory's HEAD is exported with `git archive` to a temporary folder
 *     --mutable run against a server without immutable releases (default: on,
 *               as deploy requires)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { GitHubServer } from '@build-release-run/github-server';
import { formatBytes } from '@build-release-run/contract';
import { literalInputDefaults } from '../scripts/action-docs-tables.ts';
import { inputVariableName } from '@build-release-run/workflow-runner';
import { TEST_TOKEN } from '@build-release-run/test-helpers/github-server';
import { releaseEnv } from '@build-release-run/test-helpers/release-action';
import { runStepCommand, startBenchGitHub, writeArchive } from './bench-fixtures.ts';

const { values } = parseArgs({
  options: {
    softprops: { type: 'string' },
    ncipollo: { type: 'string' },
    'size-mib': { type: 'string', default: '1024' },
    mutable: { type: 'boolean', default: false },
  },
});
if (values.softprops === undefined || values.ncipollo === undefined) {
  console.error('Usage: pnpm bench:peers --softprops DIR --ncipollo DIR [--size-mib 1024] [--mutable]');
  process.exit(2);
}
const sizeMiB = Number(values['size-mib']);
const immutable = !values.mutable;
const ours = path.join(import.meta.dirname, '..', 'dist', 'release', 'index.js');
for (const [file, why] of [
  [ours, 'dist/release/index.js is missing: run `pnpm bundle` first.'],
  ['/usr/bin/time', 'The peak RSS is read with GNU time: apt-get install time'],
] as const) {
  if (!existsSync(file)) {
    console.error(why);
    process.exit(2);
  }
}

const work = await mkdtemp(path.join(tmpdir(), 'bench-peers-'));

/** The peer's files: HEAD of a git directory exported, or the folder itself. */
async function peerFolder(name: string, dir: string): Promise<{ folder: string; commit: string }> {
  let commit = '(not a git directory)';
  try {
    commit = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return { folder: dir, commit };
  }
  const folder = path.join(work, name);
  await mkdir(folder);
  const tar = execFileSync('git', ['-C', dir, 'archive', '--format=tar', 'HEAD'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', folder], { input: tar });
  return { folder, commit };
}

interface Figures {
  tool: string;
  version: string;
  ms: number;
  peakRssMiB: number;
  requests: number;
  /** GitHub's operationId of each request, in order. */
  operations: string[];
  complete: string;
}

interface ReleaseView {
  draft: boolean;
  assets: { name: string; size: number; state: string }[];
}

async function releaseByTag(server: GitHubServer, tag: string): Promise<ReleaseView | undefined> {
  // Listed, not GET /releases/tags/{tag}: that one never returns a draft.
  const response = await fetch(`${server.url}/repos/octo/app/releases?per_page=100`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
    signal: AbortSignal.timeout(30_000),
  });
  const releases = (await response.json()) as (ReleaseView & { tag_name: string })[];
  return releases.find((release) => release.tag_name === tag);
}

/** Runs `main` as a node action step; returns wall time, peak RSS and the server's request count. */
async function runStep(
  server: GitHubServer,
  main: string,
  env: Record<string, string>,
): Promise<{ ms: number; peakRssMiB: number; requests: number; operations: string[]; log: string }> {
  const report = path.join(work, `time-${path.basename(path.dirname(main))}-${Date.now()}`);
  const before = server.requests.length;
  const {
    code,
    out: log,
    ms,
  } = await runStepCommand(['/usr/bin/time', '-f', '%M', '-o', report, process.execPath, main], env);
  const kib = Number((await readFile(report, 'utf8')).trim().split('\n').pop());
  if (code !== 0) console.error(`${main} exited with ${code}:\n${log.slice(-2000)}`);
  const made = server.requests.slice(before);
  const operations = made.map((r) => r.operationId ?? `${r.method} ${r.path}`);
  return { ms, peakRssMiB: kib / 1024, requests: made.length, operations, log };
}

/** "yes" when published with every expected asset at its size, otherwise what is wrong. */
function completeness(release: ReleaseView | undefined, expected: Record<string, number | undefined>): string {
  if (release === undefined) return 'no release';
  const problems: string[] = [];
  if (release.draft) problems.push('left a draft');
  for (const [name, size] of Object.entries(expected)) {
    const asset = release.assets.find((a) => a.name === name);
    if (asset === undefined) problems.push(`${name} missing`);
    else if (asset.state !== 'uploaded' || (size !== undefined && asset.size !== size)) {
      problems.push(`${name} ${asset.state}, ${formatBytes(asset.size)}`);
    }
  }
  return problems.length === 0 ? `yes (${release.assets.length} assets)` : problems.join('; ');
}

const { server, repo, commit } = await startBenchGitHub(path.join(work, 'data'), immutable);
const archive = await writeArchive(work, sizeMiB);
const archiveName = path.basename(archive.file);
const archiveSize = (await stat(archive.file)).size;
const results: Figures[] = [];
try {
  const softprops = await peerFolder('softprops', values.softprops);
  const ncipollo = await peerFolder('ncipollo', values.ncipollo);

  // Our release action: the tag is its own (v1), the archive and three assets of its own.
  const ourEnv = await releaseEnv({
    server,
    workDir: work,
    commit,
    runId: '1',
    inputs: { digest: archive.digest, archive: archive.file, config: 'GREETING=hello', environment: 'production' },
  });
  const ourRun = await runStep(server, ours, ourEnv);
  const ourTag = /tag<<(\S+)\n(.*)\n/.exec(await readFile(ourEnv['GITHUB_OUTPUT']!, 'utf8'))?.[2] ?? '';
  const ourRelease = await releaseByTag(server, ourTag);
  results.push({
    tool: 'build-release-run release',
    version: 'this checkout',
    ...ourRun,
    complete: completeness(ourRelease, {
      [archiveName]: archiveSize,
      'release.json': undefined,
      'config.env': undefined,
      SHA256SUMS: undefined,
    }),
  });

  // The peers: the same archive onto a tag of their own, with the inputs their READMEs lead with.
  const peerRuns: [string, { folder: string; commit: string }, string, Record<string, string>][] = [
    [
      'softprops/action-gh-release',
      softprops,
      'peer-softprops',
      { tag_name: 'peer-softprops', name: 'peer-softprops', target_commitish: commit, files: archive.file },
    ],
    [
      'ncipollo/release-action',
      ncipollo,
      'peer-ncipollo',
      // immutableCreate: its own input for repositories with immutable releases (draft, upload, publish).
      {
        tag: 'peer-ncipollo',
        name: 'peer-ncipollo',
        commit,
        artifacts: archive.file,
        ...(immutable ? { immutableCreate: 'true' } : {}),
      },
    ],
  ];
  for (const [tool, peer, tag, inputs] of peerRuns) {
    const env: Record<string, string> = {
      ...(await releaseEnv({ server, workDir: work, commit, runId: tag, inputs: {} })),
      GITHUB_WORKSPACE: work,
      INPUT_TOKEN: TEST_TOKEN,
      GITHUB_TOKEN: TEST_TOKEN,
    };
    delete env['INPUT_ENVIRONMENT'];
    // As the runner does: every input declared with a literal default gets
    // it (the token's default is an expression: INPUT_TOKEN is set above).
    const actionYaml = await readFile(path.join(peer.folder, 'action.yml'), 'utf8');
    for (const [name, value] of Object.entries({ ...literalInputDefaults(actionYaml), ...inputs })) {
      env[inputVariableName(name)] = value;
    }
    // Both declare `runs: main: dist/index.js` (node24).
    const run = await runStep(server, path.join(peer.folder, 'dist', 'index.js'), env);
    results.push({
      tool,
      version: peer.commit.slice(0, 12),
      ...run,
      complete: completeness(await releaseByTag(server, tag), { [archiveName]: archiveSize }),
    });
  }
} finally {
  await server.close();
  await repo.remove();
  await rm(work, { recursive: true, force: true });
}

console.log(
  `${formatBytes(archiveSize)} archive, one release each, local GitHub server with immutable releases ${immutable ? 'on' : 'off'}, ${new Date().toISOString().slice(0, 10)}`,
);
console.log(
  'The peers run from the directories given (--softprops, --ncipollo); none of their code is in this project.',
);
console.log('| Tool | Commit | Time | Peak RSS | API requests | Complete |');
console.log('| --- | --- | --: | --: | --: | --- |');
for (const r of results) {
  console.log(
    `| ${r.tool} | ${r.version} | ${(r.ms / 1000).toFixed(1)} s | ${r.peakRssMiB.toFixed(0)} MiB | ${r.requests} | ${r.complete} |`,
  );
}
for (const r of results) console.log(`${r.tool}: ${r.operations.join(', ')}`);
