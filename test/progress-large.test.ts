// A large build through the whole pipeline (issue #13): 300 MB of
// incompressible bytes built, released and deployed through the runner with
// the bundled actions. Packing, uploading, downloading and unpacking each
// say how far they are, and no line shows a size in bytes alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunWorkflowResult } from '@build-release-run/workflow-runner';
import { type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { type TestSigstore, runAttestingWorkflow, startTestSigstore } from '@build-release-run/test-helpers/sigstore';
import { pipelineWorkflow } from '@build-release-run/test-helpers/pipeline';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

// 300 MB, not MiB: the size of the build the issue reports. The build step
// makes it from /dev/urandom (about a second), once, so zstd finds nothing
// to compress and every stage moves the full size.
const SIZE = 300_000_000;

const WORKFLOW = pipelineWorkflow({
  build: `mkdir -p out && head -c ${SIZE} /dev/urandom > out/data.bin`,
  buildInputs: { name: 'large', format: 'tar.zst' },
  release: { environment: 'staging', config: 'GREETING=hello' },
  jobs: `  deploy:
    needs: release
    runs-on: ubuntu-latest
    environment: staging
    permissions: { contents: read, deployments: write, attestations: read }
    steps:
      - id: deploy
        uses: OWNER/build-release-run/actions/deploy@v1
        with:
          tag: \${{ needs.release.outputs.tag }}
          environment: staging
          run: test "$(wc -c < data.bin)" -eq ${SIZE}
`,
});

let dir: string;
let github: TestGitHub;
let sigstore: TestSigstore;
let result: RunWorkflowResult;

beforeAll(async () => {
  dir = await tempDir('brr-progress-large-');
  github = await startTestGitHub({ validateResponses: false, immutableReleases: true });
  sigstore = await startTestSigstore();
  result = await runAttestingWorkflow({ github, sigstore, dir, name: 'large', file: 'large.yml', workflow: WORKFLOW });
}, 240_000);
afterAll(async () => {
  await github?.close();
  await sigstore?.close();
  await removeDir(dir);
});

/**
 * @actions/artifact's own progress line, as actions/upload-artifact prints
 * it: the build uses the library's progress rather than patching it.
 */
const LIBRARY_PROGRESS = /^Uploaded bytes \d+$/;

function log(job: string): string[] {
  return result.jobs[job]?.log ?? [];
}

/** Lines of `job` that report how far `label` is, with a percentage below 100. */
function progressLines(job: string, label: RegExp): string[] {
  return log(job).filter((line) => label.test(line) && /: \d{1,2}% \(/.test(line));
}

describe('a 300 MB build through build, release and deploy', () => {
  it('runs every job to success', () => {
    const failed = Object.entries(result.jobs)
      .filter(([, job]) => job.result !== 'success')
      .map(([id, job]) => `${id}: ${job.log.slice(-20).join('\n')}`);
    expect(failed).toEqual([]);
  });

  it.each([
    ['build', /^Packing\b/, 'pack'],
    ['release', /^Uploading\b/, 'upload'],
    ['deploy', /^Downloading\b/, 'download'],
    ['deploy', /^Unpacking\b/, 'unpack'],
  ])('the %s job says how far %s is at least three times (%s)', (job, label) => {
    const lines = progressLines(job, label);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(line).toMatch(/\d+% \(\d+(\.\d)? [KMG]iB of \d+(\.\d)? [KMG]iB, /);
  });

  it("says the artifact's size in binary units before @actions/artifact reports its own progress", () => {
    const build = log('build');
    const said = build.findIndex((line) => /^Uploading the build artifact '[^']+' \(\d+(\.\d)? MiB\)\.$/.test(line));
    const library = build.findIndex((line) => LIBRARY_PROGRESS.test(line));
    expect(said).toBeGreaterThanOrEqual(0);
    expect(library).toBeGreaterThan(said);
  });

  it('shows no size in raw bytes alone in any log of ours', () => {
    const all = Object.values(result.jobs).flatMap((job) => job.log);
    // A count of bytes is fine beside its human form: `286.1 MiB (300033732 bytes)`.
    const raw = all.filter(
      (line) =>
        /\b\d{5,} ?bytes\b|\bbytes:? \d{5,}\b/i.test(line) &&
        !/\d(\.\d)? [KMGT]iB \(\d+ bytes\)/.test(line) &&
        !LIBRARY_PROGRESS.test(line),
    );
    expect(raw).toEqual([]);
  });
});
