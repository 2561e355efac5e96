/**
 * The fixed costs of small work (issue 26): the release action on a 1 KiB
 * archive and the deploy action on a small attested release (provenance
 * verified, the default), each as the runner runs it (`node dist/<action>/index.js`),
 * wall and CPU time (GNU time's %U + %S: less moved by other load than the
 * wall), median of `--runs`. With `--base DIR`, the same runs of DIR's
 * bundles (another checkout, e.g. `git worktree add DIR main`) alternate
 * with this checkout's, against the same servers: a before and after taken
 * side by side.
 *
 *   pnpm bench:fixed-costs [--base DIR] [--runs 7]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gatewayFor } from '@build-release-run/action-deploy/test-harness';
import { startDeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { releaseEnv } from '@build-release-run/test-helpers/release-action';
import { startBenchGitHub, writeArchive } from './bench-fixtures.ts';
import { median, requireGnuTime } from './measure.ts';

const { values } = parseArgs({
  options: { base: { type: 'string' }, runs: { type: 'string', default: '7' } },
});
requireGnuTime();
const runs = Number(values.runs);
const root = path.resolve(import.meta.dirname, '..');
const checkouts = [...(values.base === undefined ? [] : [path.resolve(values.base)]), root];
const work = await mkdtemp(path.join(tmpdir(), 'bench-fixed-costs-'));

interface Run {
  wallMs: number;
  cpuMs: number;
}

function runEntry(entry: string, env: Record<string, string>): Promise<Run> {
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'bench-cpu-s %U %S', process.execPath, entry], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      const cpu = /bench-cpu-s ([\d.]+) ([\d.]+)/.exec(out);
      if (code !== 0 || cpu === null) reject(new Error(`${entry} failed (${code}):\n${out}`));
      else resolve({ wallMs: performance.now() - started, cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000 });
    }),
  );
}

/** Runs `once` for each checkout in turn, `runs` times; the medians per checkout. */
async function alternate(once: (checkout: string, i: number) => Promise<Run>): Promise<Map<string, Run>> {
  const all = new Map<string, Run[]>(checkouts.map((c) => [c, []]));
  for (let i = 0; i < runs; i++) for (const checkout of checkouts) all.get(checkout)!.push(await once(checkout, i));
  return new Map(
    [...all].map(([checkout, list]) => [
      checkout,
      { wallMs: median(list.map((r) => r.wallMs)), cpuMs: median(list.map((r) => r.cpuMs)) },
    ]),
  );
}

// The release action, a 1 KiB archive, each run a new release (its config differs).
const { server, repo, commit } = await startBenchGitHub(path.join(work, 'data'), true);
const archive = await writeArchive(work, 1 / 1024);
let releaseRun = 0;
const release = await alternate(async (checkout) => {
  const n = releaseRun++;
  const env = await releaseEnv({
    server,
    workDir: work,
    commit,
    runId: String(100 + n),
    inputs: { digest: archive.digest, archive: archive.file, config: `A=${n}` },
  });
  return runEntry(path.join(checkout, 'dist/release/index.js'), env as Record<string, string>);
});
await server.close();
await repo.remove();

// The deploy action: a small attested release, provenance verified; the job's env captured from the test harness.
let jobEnv: Record<string, string> = {};
const harness = await startDeployHarness(
  (url) => gatewayFor(url),
  async () => {
    jobEnv = { ...process.env } as Record<string, string>;
  },
);
const deploy = await (async () => {
  try {
    await harness.publish({ tag: 'v1', files: { 'app.txt': 'v1\n' } });
    await harness.deploy({ tag: 'v1' });
    const files = { GITHUB_OUTPUT: path.join(work, 'output'), GITHUB_STEP_SUMMARY: path.join(work, 'summary') };
    return await alternate(async (checkout) => {
      for (const file of Object.values(files)) await writeFile(file, '');
      return runEntry(path.join(checkout, 'dist/deploy/index.js'), { ...jobEnv, ...files });
    });
  } finally {
    await harness.close();
  }
})();
await rm(work, { recursive: true, force: true });

const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
console.log(`\nMedian of ${runs} runs, alternating, node ${process.version}, load average ${load}\n`);
console.log('| action | checkout | wall | CPU (user + sys) |');
console.log('| --- | --- | --- | --- |');
for (const [name, figures] of [
  ['release, 1 KiB archive', release],
  ['deploy, small release, provenance verified', deploy],
] as const) {
  for (const [checkout, run] of figures) {
    const label = checkout === root ? 'this checkout' : `--base ${checkout}`;
    console.log(`| ${name} | ${label} | ${run.wallMs.toFixed(0)} ms | ${run.cpuMs.toFixed(0)} ms |`);
  }
}
