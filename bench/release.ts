/**
 * Benchmarks the release action against the local GitHub server:
 * 1. a 1 GiB archive released (hashed, uploaded, verified) with the action's
 *    peak RSS: goal ≤ 150 MB. Measured on the bundle the runner runs
 *    (dist/release/index.js, `pnpm bundle` first; peak RSS by GNU time's %M)
 *    and on the TypeScript sources run by Node's type stripper;
 * 2. the GitHub API requests one release makes (small archive, 4 assets,
 *    attested, through dist/release as the runner runs it; the scenario of
 *    test/helpers/request-counts.ts), with a fresh repository and with 1,000
 *    existing releases: the count must not grow with the releases. `--log`
 *    lists them.
 *
 * 3. the whole action at `--size-mib` (`0.001` is 1 KiB: a cold start)
 *    against the hand-written script it replaces (`sha256sum -c`, then
 *    `curl`: create a draft, upload the archive, publish), the two
 *    alternately against the same server, median of `--runs`; and against
 *    the peers' figure (`--peer-ms`: softprops/action-gh-release and
 *    ncipollo/release-action on the same machine, `pnpm bench:peers`).
 *
 *   pnpm bench:release [--size-mib 1024] [--existing 1000] [--runs 3] [--peer-ms 180] [--log]
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { GitHubServer } from '@build-release-run/github-server';
import { TEST_TOKEN } from '@build-release-run/test-helpers/github-server';
import { releaseEnv } from '@build-release-run/test-helpers/release-action';
import {
  COUNTING_RULE,
  apiRequests,
  countLine,
  measureCounts,
  requestLines,
} from '@build-release-run/test-helpers/request-counts';
import { runStepCommand, startBenchGitHub, writeArchive } from './bench-fixtures.ts';
import { median } from './measure.ts';

const { values } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '1024' },
    existing: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    // The faster peer's cold start (1 KiB), measured on the reference machine (issue 26).
    'peer-ms': { type: 'string', default: '180' },
    log: { type: 'boolean', default: false },
  },
});
const sizeMiB = Number(values['size-mib']);
const existing = Number(values.existing);
const runs = Number(values.runs);
const peerMs = Number(values['peer-ms']);
const runner = path.join(import.meta.dirname, 'release-runner.ts');
const bundle = path.join(import.meta.dirname, '..', 'dist', 'release', 'index.js');
if (!existsSync(bundle)) {
  console.error('dist/release/index.js is missing: run `pnpm bundle` first.');
  process.exit(2);
}
const work = await mkdtemp(path.join(tmpdir(), 'bench-release-'));

interface RunFigures {
  ms: number;
  peakRssMiB: number;
  requests: number;
  tag: string;
}

async function release(
  server: GitHubServer,
  commit: string,
  runId: string,
  inputs: Record<string, string>,
  entry: 'bundle' | 'sources' = 'bundle',
): Promise<RunFigures> {
  const env = await releaseEnv({ server, workDir: work, commit, runId, inputs });
  const before = server.requests.length;
  // The bundle is what action.yml runs; the sources run through a wrapper that reports maxRSS itself.
  const command =
    entry === 'bundle'
      ? ['/usr/bin/time', '-f', 'bench-peak-rss-kib %M', process.execPath, bundle]
      : [process.execPath, runner];
  const { code, out, ms } = await runStepCommand(command, env);
  if (code !== 0) throw new Error(`release run ${runId} failed:\n${out}`);
  const kib = Number(/bench-peak-rss-kib (\d+)/.exec(out)?.[1]);
  const tag = /tag<<(\S+)\n(.*)\n/.exec(await readFile(env.GITHUB_OUTPUT as string, 'utf8'))?.[2] ?? '?';
  return { ms, peakRssMiB: kib / 1024, requests: apiRequests(server.requests, before).length, tag };
}

// 1. The 1 GiB release.
const { server, repo, commit } = await startBenchGitHub(path.join(work, 'data'), true);
const big = await writeArchive(work, sizeMiB);
const bigRun = await release(server, commit, '1', { digest: big.digest, archive: big.file, config: 'A=1' });
const sourcesRun = await release(
  server,
  commit,
  '2',
  { digest: big.digest, archive: big.file, config: 'A=2' },
  'sources',
);
// 3. The whole action against the hand-written script, alternately, same server and archive.
const script = [
  'set -euo pipefail',
  'echo "${DIGEST#sha256:}  $FILE" | sha256sum -c --quiet',
  'auth="Authorization: Bearer $TOKEN"',
  'release=$(curl -sf --max-time 60 -H "$auth" -X POST "$API/repos/octo/app/releases" ' +
    '-d "{\\"tag_name\\":\\"$TAG\\",\\"target_commitish\\":\\"$COMMIT\\",\\"draft\\":true}")',
  'upload=$(jq -r .upload_url <<<"$release")',
  'curl -sf --max-time 600 -H "$auth" -H "Content-Type: application/octet-stream" ' +
    '--data-binary "@$FILE" "${upload%%\\{*}?name=$(basename "$FILE")" > /dev/null',
  'curl -sf --max-time 60 -H "$auth" -X PATCH "$API/repos/octo/app/releases/$(jq -r .id <<<"$release")" ' +
    '-d \'{"draft":false}\' > /dev/null',
].join('\n');
const actionMs: number[] = [];
const scriptMs: number[] = [];
for (let i = 0; i < runs; i++) {
  actionMs.push(
    (await release(server, commit, String(100 + i), { digest: big.digest, archive: big.file, config: `A=${100 + i}` }))
      .ms,
  );
  const ran = await runStepCommand(['bash', '-c', script], {
    DIGEST: big.digest,
    FILE: big.file,
    TOKEN: TEST_TOKEN,
    API: server.url,
    TAG: `script-${i}`,
    COMMIT: commit,
  });
  if (ran.code !== 0) throw new Error(`the hand-written release script failed:\n${ran.out}`);
  scriptMs.push(ran.ms);
}
const actionMedian = median(actionMs);
const scriptMedian = median(scriptMs);
console.log(`\n${sizeMiB} MiB archive, whole action against the hand-written script, median of ${runs}:\n`);
console.log('| measure | ours | hand-written script | ratio | peers (--peer-ms) | ratio |');
console.log('| --- | --- | --- | --- | --- | --- |');
console.log(
  `| release (verify sha256, draft, 4 uploads, publish, check): wall | ${(actionMedian / 1000).toFixed(2)} s | ` +
    `${(scriptMedian / 1000).toFixed(2)} s (sha256sum -c, curl: draft, upload, publish) | ${(actionMedian / scriptMedian).toFixed(2)} | ` +
    `${(peerMs / 1000).toFixed(2)} s | ${(actionMedian / peerMs).toFixed(2)} |`,
);
console.log(`release ${actionMedian <= peerMs ? 'meets' : 'MISSES'} ≤ 1.0× the peers' figure\n`);
await server.close();
await rm(big.file);
for (const [what, run] of [
  ['bundle (dist/release/index.js)', bigRun],
  ['sources (type stripping)', sourcesRun],
] as const) {
  console.log(
    `${sizeMiB} MiB archive, ${what}: released ${run.tag} in ${(run.ms / 1000).toFixed(1)} s, ` +
      `peak RSS ${run.peakRssMiB.toFixed(0)} MiB = ${((run.peakRssMiB * 1048576) / 1e6).toFixed(0)} MB (goal ≤ 150 MB), ${run.requests} API requests`,
  );
}

// 2. API requests per release (4 assets, attested, a previous release to diff against), fresh and with `existing` releases.
const counted = [
  { existing: 0, run: (await measureCounts(0)).release },
  { existing, run: (await measureCounts(existing)).release },
];
console.log(`API requests for one release with its 4 assets (${COUNTING_RULE}):`);
for (const { existing: count, run } of counted) {
  console.log(countLine(`  ${String(count).padStart(5)} other releases, ${run.tag}`, run.requests));
  if (values.log) console.log(requestLines(run.requests).join('\n'));
}
await repo.remove();
await rm(work, { recursive: true, force: true });
const [fewest, most] = counted.map((c) => c.run.requests.length) as [number, number];
if (most > fewest) {
  console.error('The request count grows with the number of releases.');
  process.exitCode = 1;
}
if (bigRun.peakRssMiB > (150 * 1e6) / 1048576) {
  console.error('Peak RSS above 150 MB.');
  process.exitCode = 1;
}
