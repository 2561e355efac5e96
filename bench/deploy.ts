/**
 * Benchmarks the deploy action on a ~1 GB release:
 *  1. the whole action (node actions/deploy/src/index.ts, or dist/deploy when
 *     bundled) against a local GitHub server in another process: wall time
 *     and peak RSS, against the hand-written script it replaces (`curl` the
 *     archive from the same server, `sha256sum -c`, then `zstd -d | tar -x`),
 *     the two alternately, median of `--runs` (issue 26: ≤ 2.0× at 20 MB);
 *  2. verify + unpack of the same archive against the reference
 *     `sha256sum` then `zstd -d | tar -x` (or gzip), measured alternately in
 *     the same run: wall time;
 *  3. the GitHub API requests of a deploy by tag, a rollback (`previous`),
 *     `latest` and `current` (small archive, provenance verified, through
 *     dist/deploy; the scenario of test/helpers/request-counts.ts) with 0
 *     and with `--existing` other releases. `--log` lists them.
 *
 *   pnpm bench:deploy [--mb 1024] [--runs 3] [--format tar.zst] [--existing 1000] [--log]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { collectEntries, packArchive, walk } from '@build-release-run/archive';
import { GitHubApi } from '@build-release-run/github-api';
import { makeGitRepo } from '@build-release-run/test-helpers/github-server';
import { publishTestRelease } from '@build-release-run/test-helpers/deploy-releases';
import { COUNTING_RULE, countLine, measureCounts, requestLines } from '@build-release-run/test-helpers/request-counts';
import { ensureTree } from './tree.ts';
import { type Measurement, measure, median, requireGnuTime } from './measure.ts';

const { values: args } = parseArgs({
  options: {
    mb: { type: 'string', default: '1024' },
    runs: { type: 'string', default: '3' },
    format: { type: 'string', default: 'tar.zst' },
    existing: { type: 'string', default: '1000' },
    log: { type: 'boolean', default: false },
  },
});
requireGnuTime();
const format = args.format === 'tar.gz' ? 'tar.gz' : 'tar.zst';
const decompressor = format === 'tar.gz' ? 'gzip -d -c' : 'zstd -q -d -c';
const root = path.resolve(import.meta.dirname, '..');
const work = path.join(root, '.bench', 'deploy');
const mb = Number(args.mb);
const runs = Number(args.runs);

// ~90% incompressible binaries (what dominates a large release) and ~10% source text.
async function ensureBuild(dir: string): Promise<void> {
  const marker = path.join(dir, '.complete');
  if (existsSync(marker)) return;
  await rm(dir, { recursive: true, force: true });
  const textBytes = Math.floor(mb * 0.1 * 1024 * 1024);
  await ensureTree(path.join(dir, 'src'), textBytes, 2000);
  await rm(path.join(dir, 'src', '.complete'));
  const blob = 4 * 1024 * 1024;
  const blobs = Math.ceil((mb * 1024 * 1024 - textBytes) / blob);
  await mkdir(path.join(dir, 'assets'), { recursive: true });
  for (let i = 0; i < blobs; i++) await writeFile(path.join(dir, 'assets', `blob${i}.bin`), randomBytes(blob));
  await writeFile(marker, '');
}

const build = path.join(work, `build-${mb}mb`);
const archive = path.join(work, `build-${mb}mb.${format}`);
console.log(`Generating (or reusing) a ${mb} MB build under ${path.relative(root, build)} …`);
await ensureBuild(build);
await rm(archive, { force: true });
const entries = (await collectEntries(build, await walk(build))).filter((e) => e.name !== '.complete');
const packed = await packArchive({ entries, format, mtime: 0, output: archive });
console.log(`Archive: ${(packed.size / 1024 / 1024).toFixed(0)} MB, ${packed.files} files, ${packed.digest}`);

// --- 1. the whole action against a local GitHub server in its own process ---
const repo = await makeGitRepo(1);
// The server keeps its state in --data: start from nothing.
await rm(path.join(work, 'server-data'), { recursive: true, force: true });
const server = spawn(
  process.execPath,
  [
    path.join(root, 'test/stand-ins/github-server/src/cli.ts'),
    '--port',
    '0',
    '--repo',
    `octo/app=${repo.path}`,
    '--token',
    'bench-token',
    '--data',
    path.join(work, 'server-data'),
    // As a repository should be set up: deploy refuses mutable releases by default.
    '--immutable-releases',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const baseUrl = await new Promise<string>((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    const line = text.split('\n')[0];
    if (text.includes('\n') && line) resolve(line.trim());
  });
  server.on('exit', (code) => reject(new Error(`github-server exited with ${code}`)));
});

let deployMeasurement: Measurement;
let scriptMeasurement: Measurement;
try {
  // @actions/github is a dependency of the deploy action, not of the root: resolve it from there.
  // @actions/github is a dependency of the deploy action, not of the root, and ESM-only: import it from there.
  const githubEntry = path.join(root, 'actions/deploy/node_modules/@actions/github/lib/github.js');
  const github = (await import(pathToFileURL(githubEntry).href)) as {
    getOctokit(
      token: string,
      options: { baseUrl: string },
    ): { request: (r: string, p?: Record<string, unknown>) => Promise<never> };
  };
  const octokit = github.getOctokit('bench-token', { baseUrl });
  const api = new GitHubApi({
    request: (route, parameters) => octokit.request(route, parameters),
    repository: 'octo/app',
  });
  await publishTestRelease(
    api,
    { tag: 'v1', files: {}, format, commit: repo.commits[0] as string, prebuiltArchive: archive },
    work,
  );

  const bundled = path.join(root, 'dist/deploy/index.js');
  const entry = existsSync(bundled) ? bundled : path.join(root, 'actions/deploy/src/index.ts');
  const temp = path.join(work, 'runner-temp');
  const deployOnce = async (): Promise<Measurement> => {
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    await writeFile(path.join(temp, 'output'), '');
    return measure([process.execPath, entry], {
      PATH: process.env['PATH'],
      INPUT_TAG: 'v1',
      // publishTestRelease's default environment.
      INPUT_ENVIRONMENT: 'production',
      INPUT_RUN: 'test -s "$RELEASE_DIR/assets/blob0.bin"',
      INPUT_TOKEN: 'bench-token',
      // The release is published by hand, unattested: this measures unpacking, not provenance.
      'INPUT_VERIFY-PROVENANCE': 'false',
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_API_URL: baseUrl,
      GITHUB_RUN_ID: '1',
      GITHUB_WORKSPACE: work,
      GITHUB_OUTPUT: path.join(temp, 'output'),
      RUNNER_TEMP: temp,
    });
  };
  // The hand-written script a deploy job would otherwise be: download the
  // archive from the same server, check its digest, unpack it, run the command.
  const { data: release } = (await octokit.request('GET /repos/{owner}/{repo}/releases/tags/{tag}', {
    owner: 'octo',
    repo: 'app',
    tag: 'v1',
  })) as { data: { assets: { id: number; name: string }[] } };
  const asset = release.assets.find((a) => a.name.endsWith(`.${format}`));
  if (asset === undefined) throw new Error(`release v1 has no .${format} asset`);
  const scriptDir = path.join(work, 'script');
  const scriptArchive = path.join(work, `script.${format}`);
  const script = [
    `curl -sfL --max-time 600 -H 'Authorization: Bearer bench-token' -H 'Accept: application/octet-stream'`,
    `'${baseUrl}/repos/octo/app/releases/assets/${asset.id}' -o '${scriptArchive}'`,
    `&& echo '${packed.digest.slice('sha256:'.length)}  ${scriptArchive}' | sha256sum -c --quiet`,
    `&& mkdir -p '${scriptDir}' && ${decompressor} '${scriptArchive}' | tar -x -C '${scriptDir}'`,
    `&& test -s '${scriptDir}/assets/blob0.bin'`,
  ].join(' ');
  const scriptOnce = async (): Promise<Measurement> => {
    await rm(scriptDir, { recursive: true, force: true });
    await rm(scriptArchive, { force: true });
    return measure(['bash', '-o', 'pipefail', '-c', script]);
  };
  console.log(`Deploying v1 with ${path.relative(root, entry)}, alternating with the hand-written script …`);
  const deployRuns: Measurement[] = [];
  const scriptRuns: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    deployRuns.push(await deployOnce());
    scriptRuns.push(await scriptOnce());
  }
  await rm(scriptDir, { recursive: true, force: true });
  await rm(scriptArchive, { force: true });
  deployMeasurement = {
    wallMs: median(deployRuns.map((m) => m.wallMs)),
    peakRssMb: Math.max(...deployRuns.map((m) => m.peakRssMb)),
  };
  scriptMeasurement = { wallMs: median(scriptRuns.map((m) => m.wallMs)), peakRssMb: 0 };
  console.log(
    `  whole action: wall ${(deployMeasurement.wallMs / 1000).toFixed(2)} s (median of ${runs}), peak RSS ${deployMeasurement.peakRssMb.toFixed(0)} MB; script: wall ${(scriptMeasurement.wallMs / 1000).toFixed(2)} s`,
  );
  await rm(temp, { recursive: true, force: true });
} finally {
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
  await repo.remove();
  await rm(path.join(work, 'server-data'), { recursive: true, force: true });
  await rm(path.join(work, 'release-v1'), { recursive: true, force: true });
}

// --- 2. verify + unpack against the reference, alternately, same archive ---
const out = path.join(work, 'unpacked');
function ours(): Measurement {
  return measure([process.execPath, path.join(root, 'bench/unpack-child.ts'), archive, format, out, packed.digest]);
}
function reference(): Measurement {
  return measure([
    'bash',
    '-o',
    'pipefail',
    '-c',
    `sha256sum '${archive}' > /dev/null && mkdir -p '${out}' && ${decompressor} '${archive}' | tar -x -C '${out}'`,
  ]);
}
measure(['bash', '-c', `cat '${archive}' > /dev/null`]); // warm the page cache for both sides
const oursRuns: Measurement[] = [];
const refRuns: Measurement[] = [];
for (let i = 0; i < runs; i++) {
  await rm(out, { recursive: true, force: true });
  oursRuns.push(ours());
  await rm(out, { recursive: true, force: true });
  refRuns.push(reference());
}
await rm(out, { recursive: true, force: true });

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const oursWall = median(oursRuns.map((m) => m.wallMs));
const refWall = median(refRuns.map((m) => m.wallMs));
const ratio = oursWall / refWall;
const unpackRss = Math.max(...oursRuns.map((m) => m.peakRssMb));
console.log(
  `\n${mb} MB build, ${format}, archive ${(packed.size / 1024 / 1024).toFixed(0)} MB, median of ${runs} runs, node ${process.version}, ${(await import('node:os')).cpus().length} CPUs\n`,
);
console.log('| measure | ours | reference | ratio |');
console.log('| --- | --- | --- | --- |');
const wholeRatio = deployMeasurement.wallMs / scriptMeasurement.wallMs;
console.log(
  `| whole deploy action (download, verify, unpack, run, record): wall | ${fmt(deployMeasurement.wallMs)} (peak RSS ${deployMeasurement.peakRssMb.toFixed(0)} MB) | ${fmt(scriptMeasurement.wallMs)} (curl, sha256sum -c, then ${decompressor.split(' ')[0]} \\| tar -x) | ${wholeRatio.toFixed(2)} |`,
);
console.log(
  `| verify + unpack: wall | ${fmt(oursWall)} (peak RSS ${unpackRss.toFixed(0)} MB) | ${fmt(refWall)} (sha256sum, then ${decompressor.split(' ')[0]} \\| tar -x) | ${ratio.toFixed(2)} |`,
);
console.log('');
console.log(
  `peak RSS ${deployMeasurement.peakRssMb <= 150 ? 'meets' : 'MISSES'} ≤ 150 MB; ` +
    `whole action ${wholeRatio <= 2 ? 'meets' : 'MISSES'} ≤ 2.0× the hand-written script; verify + unpack ${ratio <= 1.2 ? 'meets' : 'MISSES'} ≤ 1.2× the reference`,
);

// --- 3. API requests per deploy, with 0 and with `existing` other releases ---
console.log(`\nAPI requests per deploy (${COUNTING_RULE}):`);
const perDeploy: number[][] = [];
for (const count of [0, Number(args.existing)]) {
  const { deploys } = await measureCounts(count);
  perDeploy.push(Object.values(deploys).map((run) => run.requests.length));
  for (const [what, run] of Object.entries(deploys)) {
    console.log(
      countLine(
        `  ${String(count).padStart(5)} other releases, tag: ${what === 'tag' ? '<a tag>' : what}`,
        run.requests,
      ),
    );
    if (args.log) console.log(requestLines(run.requests).join('\n'));
  }
}
if (perDeploy[1]?.some((n, i) => n > (perDeploy[0]?.[i] ?? 0))) {
  console.error('A deploy makes more requests when more releases exist.');
  process.exitCode = 1;
}
