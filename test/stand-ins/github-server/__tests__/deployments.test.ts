import { afterEach, beforeEach, describe, expect } from '@jest/globals';
import { getOctokit } from '@actions/github';
import {
  startTestGitHub,
  TEST_REPO,
  TEST_TOKEN,
  type TestGitHub,
  requestFailure,
} from '@build-release-run/test-helpers/github-server';
import { conformingIt } from '@build-release-run/test-helpers/conforming';

let gh: TestGitHub;
const it = conformingIt(() => gh.server);
let octokit: ReturnType<typeof getOctokit>;

beforeEach(async () => {
  gh = await startTestGitHub({}, 2);
  octokit = getOctokit(TEST_TOKEN, { baseUrl: gh.server.url });
});

afterEach(async () => {
  await gh.close();
});

async function deploy(environment: string, ref = 'main') {
  const response = await octokit.rest.repos.createDeployment({
    ...TEST_REPO,
    ref,
    environment,
    auto_merge: false,
    required_contexts: [],
  });
  expect(response.status).toBe(201);
  return response.data as { id: number; sha: string; environment: string; production_environment?: boolean };
}

async function statesOf(id: number): Promise<string[]> {
  const { data } = await octokit.rest.repos.listDeploymentStatuses({ ...TEST_REPO, deployment_id: id });
  return data.map((s) => s.state);
}

describe('deployments', () => {
  it('creates a deployment with GitHub defaults', async () => {
    const { data, status } = await octokit.rest.repos.createDeployment({
      ...TEST_REPO,
      ref: 'main',
      required_contexts: [],
    });
    expect(status).toBe(201);
    expect(data).toMatchObject({
      sha: gh.repo.commits.at(-1),
      ref: 'main',
      task: 'deploy',
      environment: 'production',
      production_environment: true,
      transient_environment: false,
    });
  });

  it('answers 202 and creates nothing when auto_merge meets a branch behind the default branch', async () => {
    gh.repo.git('branch', 'old', gh.repo.commits[0] as string);
    const response = await octokit.rest.repos.createDeployment({ ...TEST_REPO, ref: 'old', required_contexts: [] });
    expect(response.status).toBe(202);
    expect(response.data).toEqual({ message: 'Auto-merged main into old on deployment.' });
    expect((await octokit.rest.repos.listDeployments({ ...TEST_REPO })).data).toEqual([]);
    const withoutMerge = await octokit.rest.repos.createDeployment({
      ...TEST_REPO,
      ref: 'old',
      auto_merge: false,
      required_contexts: [],
    });
    expect(withoutMerge.status).toBe(201);
  });

  it('refuses named required contexts (no statuses exist) and unknown refs', async () => {
    const conflict = await requestFailure(
      octokit.rest.repos.createDeployment({ ...TEST_REPO, ref: 'main', auto_merge: false, required_contexts: ['ci'] }),
    );
    expect(conflict.status).toBe(409);
    const unknown = await requestFailure(
      octokit.rest.repos.createDeployment({ ...TEST_REPO, ref: 'nope', required_contexts: [] }),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.response?.data).toMatchObject({ message: 'No ref found for: nope' });
  });

  it('lists with filters, newest first', async () => {
    const a = await deploy('staging');
    const b = await deploy('production');
    const c = await deploy('staging', gh.repo.commits[0]);
    expect((await octokit.rest.repos.listDeployments({ ...TEST_REPO })).data.map((d) => d.id)).toEqual([
      c.id,
      b.id,
      a.id,
    ]);
    expect(
      (await octokit.rest.repos.listDeployments({ ...TEST_REPO, environment: 'staging' })).data.map((d) => d.id),
    ).toEqual([c.id, a.id]);
    expect(
      (await octokit.rest.repos.listDeployments({ ...TEST_REPO, sha: gh.repo.commits[0] })).data.map((d) => d.id),
    ).toEqual([c.id]);
    expect((await octokit.rest.repos.listDeployments({ ...TEST_REPO, task: 'other' })).data).toEqual([]);
  });

  it('marks older successful deployments of the environment inactive (auto_inactive)', async () => {
    const first = await deploy('production');
    await octokit.rest.repos.createDeploymentStatus({ ...TEST_REPO, deployment_id: first.id, state: 'success' });
    const other = await deploy('staging');
    await octokit.rest.repos.createDeploymentStatus({ ...TEST_REPO, deployment_id: other.id, state: 'success' });
    const second = await deploy('production');
    await octokit.rest.repos.createDeploymentStatus({ ...TEST_REPO, deployment_id: second.id, state: 'in_progress' });
    expect(await statesOf(first.id)).toEqual(['success']);
    const { data: done } = await octokit.rest.repos.createDeploymentStatus({
      ...TEST_REPO,
      deployment_id: second.id,
      state: 'success',
      log_url: 'https://example.com/log',
      description: 'deployed',
    });
    expect(done).toMatchObject({ state: 'success', target_url: 'https://example.com/log', environment: 'production' });
    expect(await statesOf(first.id)).toEqual(['inactive', 'success']);
    expect(await statesOf(other.id)).toEqual(['success']);

    const third = await deploy('production');
    await octokit.rest.repos.createDeploymentStatus({
      ...TEST_REPO,
      deployment_id: third.id,
      state: 'success',
      auto_inactive: false,
    });
    expect(await statesOf(second.id)).toEqual(['success', 'in_progress']);
  });

  it('refuses a status description over 140 characters', async () => {
    const d = await deploy('production');
    const error = await requestFailure(
      octokit.rest.repos.createDeploymentStatus({
        ...TEST_REPO,
        deployment_id: d.id,
        state: 'success',
        description: 'x'.repeat(141),
      }),
    );
    expect(error.status).toBe(422);
  });

  it("deletes an active deployment only when it is the repository's only one, as the description says", async () => {
    const live = await deploy('production');
    await octokit.rest.repos.createDeploymentStatus({ ...TEST_REPO, deployment_id: live.id, state: 'success' });
    const staging = await deploy('staging');
    // Alone in its environment, but not in the repository.
    const refused = await requestFailure(octokit.rest.repos.deleteDeployment({ ...TEST_REPO, deployment_id: live.id }));
    expect(refused.status).toBe(422);
    // Never successful: inactive, so it may go although it is not the only one.
    expect((await octokit.rest.repos.deleteDeployment({ ...TEST_REPO, deployment_id: staging.id })).status).toBe(204);
    // Now the repository's only deployment: it may go whatever its status.
    expect((await octokit.rest.repos.deleteDeployment({ ...TEST_REPO, deployment_id: live.id })).status).toBe(204);
  });

  it('makes a deployment inactive with any non-successful status, which lets it be deleted', async () => {
    const first = await deploy('production');
    await deploy('production');
    await octokit.rest.repos.createDeploymentStatus({ ...TEST_REPO, deployment_id: first.id, state: 'success' });
    expect(
      (await requestFailure(octokit.rest.repos.deleteDeployment({ ...TEST_REPO, deployment_id: first.id }))).status,
    ).toBe(422);
    await octokit.rest.repos.createDeploymentStatus({ ...TEST_REPO, deployment_id: first.id, state: 'failure' });
    expect((await octokit.rest.repos.deleteDeployment({ ...TEST_REPO, deployment_id: first.id })).status).toBe(204);
  });

  it('gets a deployment and a status, and deletes only inactive ones', async () => {
    const a = await deploy('production');
    const b = await deploy('production');
    const { data: status } = await octokit.rest.repos.createDeploymentStatus({
      ...TEST_REPO,
      deployment_id: a.id,
      state: 'success',
    });
    expect((await octokit.rest.repos.getDeployment({ ...TEST_REPO, deployment_id: a.id })).data.id).toBe(a.id);
    expect(
      (await octokit.rest.repos.getDeploymentStatus({ ...TEST_REPO, deployment_id: a.id, status_id: status.id })).data
        .state,
    ).toBe('success');
    expect(
      (await requestFailure(octokit.rest.repos.deleteDeployment({ ...TEST_REPO, deployment_id: a.id }))).status,
    ).toBe(422);
    await octokit.rest.repos.createDeploymentStatus({ ...TEST_REPO, deployment_id: a.id, state: 'inactive' });
    expect((await octokit.rest.repos.deleteDeployment({ ...TEST_REPO, deployment_id: a.id })).status).toBe(204);
    expect((await requestFailure(octokit.rest.repos.getDeployment({ ...TEST_REPO, deployment_id: a.id }))).status).toBe(
      404,
    );
    expect((await octokit.rest.repos.deleteDeployment({ ...TEST_REPO, deployment_id: b.id })).status).toBe(204);
  });
});
