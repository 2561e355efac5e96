/**
 * A release tag may be an annotated tag (`git tag -a`): deploy peels it
 * through GET /git/tags/{tag_sha} to the commit and checks that commit
 * against release.json, as it does for a lightweight tag.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { startHarness } from './helpers.ts';

let h: DeployHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const files = { 'app.txt': 'app\n' };
const peeled = () => h.gh.server.requests.filter((r) => r.operationId === 'git/get-tag').length;

describe('annotated release tags', () => {
  it('deploys a release whose tag is an annotated tag of its commit', async () => {
    h.gh.repo.git('tag', '-a', 'v80', '-m', 'release v80', h.commits[0] as string);
    await h.publish({ tag: 'v80', files, commit: h.commits[0] as string });
    const before = peeled();
    const result = await h.deploy({ tag: 'v80' });
    expect(result.error).toBeUndefined();
    expect(result.outputs['tag']).toBe('v80');
    expect(peeled()).toBe(before + 1);
    expect(await h.ran()).toEqual(['ran-v80']);
    await h.resetMarkers();
  });

  it('refuses a release whose annotated tag points at another commit, before a deployment is made', async () => {
    h.gh.repo.git('tag', '-a', 'v81', '-m', 'release v81', h.commits[1] as string);
    await h.publish({ tag: 'v81', files, commit: h.commits[0] as string });
    const deployments = h.gh.server.requests.filter((r) => r.operationId === 'repos/create-deployment').length;
    const result = await h.deploy({ tag: 'v81' });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(
      new RegExp(
        `v81: the tag points at commit ${h.commits[1]}, but its release\\.json says build\\.commit ${h.commits[0]}`,
      ),
    );
    expect(await h.ran()).toEqual([]);
    expect(h.gh.server.requests.filter((r) => r.operationId === 'repos/create-deployment').length).toBe(deployments);
  });
});
