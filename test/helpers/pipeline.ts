/**
 * A whole pipeline through the local runner with the bundled actions: a
 * workflow whose `build` job packs what a command makes and whose `release`
 * job releases that build with the given inputs, followed by the jobs a test
 * adds (deploys). Build and release sign through the local Sigstore, so
 * deploy verifies their provenance as on GitHub.
 */
import type { RunWorkflowResult } from '@build-release-run/workflow-runner';
import { type TestGitHub, startTestGitHub } from './github-server.ts';
import { type TestSigstore, runAttestingWorkflow, startTestSigstore } from './sigstore.ts';
import { removeDir, tempDir } from './tree.ts';

export interface PipelineSpec {
  /** The build command (bash, in the job's workspace); it leaves the build in `out/`. */
  build: string;
  /** More build action inputs, or other values for `path` (default `out`) and `format` (default `tar.gz`). */
  buildInputs?: Record<string, string>;
  /** The release action's inputs besides `digest`; each value is written as a YAML double-quoted string. */
  release: Record<string, string>;
  /** More jobs, as YAML indented under `jobs:` (two spaces); `needs.release.outputs.tag` is the tag. */
  jobs?: string;
}

/** YAML double-quoted scalars take JSON's escapes, so a JSON string is one. */
const scalar = (value: string): string => JSON.stringify(value);

/** A step's `with:` lines, at the depth the jobs below use. */
const withLines = (inputs: Record<string, string>): string =>
  Object.entries(inputs)
    .map(([name, value]) => `          ${name}: ${scalar(value)}`)
    .join('\n');

export function pipelineWorkflow(spec: PipelineSpec): string {
  const buildWith = withLines({ path: 'out', format: 'tar.gz', ...spec.buildInputs, run: spec.build });
  return `name: pipeline
on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions: { contents: read, id-token: write, attestations: write }
    outputs:
      digest: \${{ steps.build.outputs.digest }}
    steps:
      - id: build
        uses: OWNER/build-release-run/actions/build@v1
        with:
${buildWith}
  release:
    needs: build
    runs-on: ubuntu-latest
    permissions: { contents: write, id-token: write, attestations: write }
    outputs:
      tag: \${{ steps.release.outputs.tag }}
    steps:
      - id: release
        uses: OWNER/build-release-run/actions/release@v1
        with:
          digest: \${{ needs.build.outputs.digest }}
${withLines(spec.release)}
${spec.jobs ?? ''}`;
}

export interface Pipeline {
  github: TestGitHub;
  dir: string;
  result: RunWorkflowResult;
  close(): Promise<void>;
}

/** Starts a local GitHub (immutable releases on) and Sigstore, and runs the pipeline once. */
export async function runPipeline(
  name: string,
  spec: PipelineSpec,
  options: { secrets?: Record<string, string>; dir?: string } = {},
): Promise<Pipeline> {
  const dir = options.dir ?? (await tempDir(`brr-${name}-`));
  const github = await startTestGitHub({ immutableReleases: true });
  let sigstore: TestSigstore | undefined;
  try {
    sigstore = await startTestSigstore();
    const result = await runAttestingWorkflow({
      github,
      sigstore,
      dir,
      name,
      file: 'pipeline.yml',
      workflow: pipelineWorkflow(spec),
      ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
    });
    const started = sigstore;
    return {
      github,
      dir,
      result,
      async close() {
        await github.close();
        await started.close();
        await removeDir(dir);
      },
    };
  } catch (error) {
    await github.close();
    await sigstore?.close();
    await removeDir(dir);
    throw error;
  }
}
