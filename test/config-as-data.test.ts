// Issue 22, point 1: a config author (a pull request that edits
// config/production.env) must not run code in the deploy job. The deploy
// command is the deployer (make, tar, rsync), and it runs with the job's
// secrets in reach, so nothing from a release may become one of its
// environment variables unless the workflow lists the key in `config-env`.
// Tested through the bundled actions (build, release, deploy) run by the
// local runner, with payloads for two deployers no reserved-name list names:
// GNU make reads `MAKEFILES` (here /proc/self/environ, whose multi-line
// value holds a `$(shell …)` line) before the Makefile, and GNU tar takes
// options, `--checkpoint-action=exec=` among them, from `TAR_OPTIONS`. What
// is checked is the attacker's goal (a marker their code would write), not
// one mechanism.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunWorkflowResult } from '@build-release-run/workflow-runner';
import { type Pipeline, runPipeline } from '@build-release-run/test-helpers/pipeline';
import { tempDir } from '@build-release-run/test-helpers/tree';

function deployJob(id: string, run: string, markers: string): string {
  return `  ${id}:
    needs: release
    runs-on: ubuntu-latest
    environment: production
    permissions: { contents: read, deployments: write, attestations: read }
    env:
      MARKERS: ${markers}
    steps:
      - uses: OWNER/build-release-run/actions/deploy@v1
        with:
          tag: \${{ needs.release.outputs.tag }}
          environment: production
          run: ${JSON.stringify(run)}
`;
}

let pipeline: Pipeline;
let markers: string;
let result: RunWorkflowResult;

beforeAll(async () => {
  const dir = await tempDir('brr-config-as-data-');
  markers = path.join(dir, 'markers');
  await mkdir(markers);
  // The release's config, as a pull request to config/production.env would write it.
  const config = [
    'GREETING=hello',
    'MAKEFILES=/proc/self/environ',
    'PAYLOAD<<EOF',
    'x',
    `$(shell touch ${markers}/config-code-ran-in-make)`,
    'EOF',
    `TAR_OPTIONS=--checkpoint=1 "--checkpoint-action=exec=touch ${markers}/config-code-ran-in-tar"`,
    '',
  ].join('\n');
  pipeline = await runPipeline(
    'config-as-data',
    {
      build: `mkdir -p out && echo hello > out/index.html && printf 'deploy:\\n\\tcp index.html "$(MARKERS)/deployed-by-make"\\n' > out/Makefile`,
      release: { environment: 'production', config },
      jobs:
        deployJob('deploy-make', 'make deploy', markers) +
        deployJob('deploy-tar', 'tar -czf "$RUNNER_TEMP/site.tgz" . && touch "$MARKERS/deployed-by-tar"', markers),
    },
    { dir },
  );
  result = pipeline.result;
}, 240_000);
afterAll(async () => {
  await pipeline?.close();
});

function jobOutcome(id: string): [string, string | undefined] {
  const job = result.jobs[id];
  return [id, job?.result === 'success' ? 'success' : `${job?.result}: ${job?.log.slice(-15).join('\n')}`];
}

describe('a config that carries code for the deployer', () => {
  it('is released (no reserved name is set), and every deploy of it succeeds', () => {
    expect(['build', 'release', 'deploy-make', 'deploy-tar'].map(jobOutcome)).toEqual([
      ['build', 'success'],
      ['release', 'success'],
      ['deploy-make', 'success'],
      ['deploy-tar', 'success'],
    ]);
    // The deployers ran: the code is absent because the config never reached them, not because nothing ran.
    expect(existsSync(path.join(markers, 'deployed-by-make'))).toBe(true);
    expect(existsSync(path.join(markers, 'deployed-by-tar'))).toBe(true);
  });

  it('runs no code from the config in the deploy job: make deploy with MAKEFILES and a multi-line value', () => {
    expect(existsSync(path.join(markers, 'config-code-ran-in-make'))).toBe(false);
  });

  it('runs no code from the config in the deploy job: tar with TAR_OPTIONS', () => {
    expect(existsSync(path.join(markers, 'config-code-ran-in-tar'))).toBe(false);
  });
});
