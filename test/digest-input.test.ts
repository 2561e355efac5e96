// The release action reads its `digest` input in two places today: the
// composite step that names the build artifact to download, and the Node
// code (parseDigest). Whatever implements them, a digest written as
// `SHA256:<HEX>` (issue 9, observation 10) must get parseDigest's treatment
// in both: accepted as its lower-case form, the artifact found by that name,
// the release made. Run through the local runner, as a workflow would.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { parseDigest } from '@build-release-run/contract';
import { checkActionWiring } from '@build-release-run/test-helpers/action-wiring';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const BUILD = `      - id: build
        uses: ./actions/build
        with:
          path: site
          name: digest-case
          format: tar.gz
          run: mkdir -p site && echo "digest case" > site/index.html
      - id: upper
        shell: bash
        env:
          DIGEST: \${{ steps.build.outputs.digest }}
        run: echo "digest=$(printf '%s' "$DIGEST" | tr '[:lower:]' '[:upper:]')" >> "$GITHUB_OUTPUT"
`;

let github: TestGitHub;
let dir: string;

beforeAll(async () => {
  github = await startTestGitHub({ immutableReleases: true });
  dir = await tempDir('brr-digest-input-');
});

afterAll(async () => {
  await github.close();
  await removeDir(dir);
});

async function release(runId: string, digest: string) {
  return checkActionWiring({
    repository: 'octo/app',
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    sha: github.repo.commits.at(-1)!,
    action: 'actions/release',
    dir: path.join(dir, runId),
    runId,
    setupSteps: BUILD,
    // No `archive`: the action downloads the build artifact named after the digest.
    with: { digest, environment: `digest-${runId}`, token: TEST_TOKEN },
  });
}

describe('the release action reads a digest as parseDigest does', () => {
  it('takes SHA256:<HEX> as sha256:<hex>: finds the artifact and releases that build', async () => {
    const wiring = await release('1', '${{ steps.upper.outputs.digest }}');
    const built = wiring.job.stepsById['build']!.outputs['digest']!;
    const upper = wiring.job.stepsById['upper']!.outputs['digest']!;
    expect(upper).toBe(built.toUpperCase());
    expect(parseDigest(upper, 'digest')).toBe(built);
    expect(wiring.job.log.join('\n')).not.toMatch(/::error::/);
    expect(wiring.step.outcome).toBe('success');
    expect(wiring.step.outputs['tag']).toMatch(/^v\d+$/);
    const response = await fetch(`${github.server.url}/repos/octo/app/releases/tags/${wiring.step.outputs['tag']}`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    const { assets } = (await response.json()) as { assets: { name: string; digest: string | null }[] };
    const archive = assets.find((asset) => asset.name === `digest-case-${built.slice(7, 19)}.tar.gz`);
    expect(archive?.digest).toBe(built);
  }, 120_000);

  it('refuses what parseDigest refuses, with its error, creating nothing', async () => {
    const before = github.server.requests.length;
    const wiring = await release('2', 'SHA256:NOT-HEX');
    expect(wiring.step.outcome).toBe('failure');
    expect(wiring.job.annotations.map((a) => a.message).join('\n')).toMatch(
      /Input 'digest' must be a build digest of the form sha256:<64 hex digits>/,
    );
    const writes = github.server.requests
      .slice(before)
      .filter((r) => r.method !== 'GET' && r.status < 400 && !r.path.includes('/artifacts'));
    expect(writes).toEqual([]);
  }, 120_000);
});
