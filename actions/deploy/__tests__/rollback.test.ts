import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { SECRET_VALUE } from '@build-release-run/test-helpers/deploy-harness';
import { checkOutWorkflows, exampleDeployWorkflow, gatewayFor, startHarness } from './helpers.ts';

let h: DeployHarness;
beforeAll(async () => {
  h = await startHarness();
  await checkOutWorkflows(h.work, { 'deploy.yml': await exampleDeployWorkflow() });
  for (const n of [1, 2]) {
    await h.publish({
      tag: `v${n}`,
      files: { 'app.txt': `app version ${n}\n`, 'bin/start': { content: '#!/bin/sh\n', mode: 0o755 } },
      config: { GREETING: `hello from v${n}`, MULTI: 'line one\nline two' },
      secretKeys: ['DB_PASSWORD'],
      commit: h.commits[n - 1] as string,
      format: n === 1 ? 'tar.gz' : 'tar.zst',
    });
  }
});
afterAll(async () => {
  await h.close();
});

async function deploymentStates() {
  const api = gatewayFor(h.gh.server.url);
  const deployments = await api.listDeployments({ environment: 'production' });
  return Promise.all(
    deployments.map(async (d) => ({
      ref: d.ref,
      states: (await api.listDeploymentStatuses(d.id)).map((s) => s.state),
    })),
  );
}

describe('deploy v1, then v2, then previous', () => {
  it('deploys v1 with its config (the file, and the keys config-env lists), secrets and RELEASE_* facts, never printing the secret', async () => {
    const result = await h.deploy({
      tag: 'v1',
      'environment-url': 'https://app.example',
      'config-env': 'GREETING, MULTI',
    });
    expect(result.error).toBeUndefined();
    expect(result.failed).toBe(false);
    expect(result.outputs).toMatchObject({ tag: 'v1', version: '1', 'previous-tag': '' });
    expect(result.outputs['digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await h.ran()).toEqual(['ran-v1']);
    expect(await readFile(path.join(h.markers, 'app-v1'), 'utf8')).toBe('app version 1\n');

    const env = await readFile(path.join(h.markers, 'env-v1'), 'utf8');
    expect(env).toContain('GREETING=hello from v1\n');
    expect(env).toContain('MULTI=line one\nline two\n');
    expect(env).toContain(`DB_PASSWORD=${SECRET_VALUE}\n`);
    expect(env).toContain('RELEASE_TAG=v1\n');
    expect(env).toContain('RELEASE_VERSION=1\n');
    expect(env).toContain(`RELEASE_DIGEST=${result.outputs['digest']}\n`);
    expect(env).toContain(`RELEASE_DIR=${result.outputs['directory']}\n`);
    expect(env).toContain('RELEASE_ENVIRONMENT=production\n');
    expect(env).toContain('RELEASE_CONFIG_FILE=');
    expect(env).not.toContain('INPUT_TOKEN');
    // The whole config, as data: secret keys by name only.
    const config = await readFile(path.join(h.markers, 'config-v1'), 'utf8');
    expect(config).toContain('GREETING=hello from v1\n');
    expect(config).toContain('MULTI="line one\\nline two"\n');
    expect(config).toContain('# secret DB_PASSWORD\n');
    expect(config).not.toContain(SECRET_VALUE);

    // Masked before anything printed, and redacted from the command's own output.
    expect(result.stdout).toContain(`::add-mask::${SECRET_VALUE}`);
    const withoutMaskCommand = result.stdout.replace(`::add-mask::${SECRET_VALUE}`, '');
    expect(withoutMaskCommand).not.toContain(SECRET_VALUE);
    expect(result.stdout).toContain('connecting with ***');
    expect(result.stdout.indexOf('::add-mask::')).toBeLessThan(result.stdout.indexOf('deploying v1'));
    expect(result.summary).not.toContain(SECRET_VALUE);
  });

  it('deploys v2, replacing v1, with the rollback in the summary', async () => {
    const result = await h.deploy({ tag: 'v2', environment: 'production' });
    expect(result.error).toBeUndefined();
    // Without config-env the config is the file only: no key of it is a variable.
    const env = await readFile(path.join(h.markers, 'env-v2'), 'utf8');
    expect(env).not.toMatch(/^(GREETING|MULTI)=/m);
    expect(await readFile(path.join(h.markers, 'config-v2'), 'utf8')).toContain('GREETING=hello from v2\n');
    expect(result.outputs).toMatchObject({ tag: 'v2', version: '2', 'previous-tag': 'v1' });
    expect(await readFile(path.join(h.markers, 'app-v2'), 'utf8')).toBe('app version 2\n');
    expect(result.summary).toContain('Deployed `v2` to `production`');
    expect(result.summary).toContain('[v2](https://github.example/octo/app/releases/tag/v2)');
    expect(result.summary).toContain('gh workflow run deploy.yml --repo octo/app -f tag=v1 -f environment=production');
    expect(result.summary).toContain('`GREETING`');
    expect(result.summary).toContain('`DB_PASSWORD`');
  });

  it('rolls back with previous: v1 runs again and the history shows older deployments inactive', async () => {
    const before = await readFile(path.join(h.markers, 'env-v1'), 'utf8');
    const result = await h.deploy({ tag: 'previous', environment: 'production' });
    expect(result.error).toBeUndefined();
    expect(result.outputs).toMatchObject({ tag: 'v1', 'previous-tag': 'v2' });
    const after = await readFile(path.join(h.markers, 'env-v1'), 'utf8');
    expect(after).toContain(`RELEASE_DIR=${result.outputs['directory']}\n`);
    expect(after).not.toBe(before);

    const history = await deploymentStates();
    expect(history.map((d) => d.ref)).toEqual(['v1', 'v2', 'v1']);
    const [newest, middle, oldest] = history;
    expect(newest?.states[0]).toBe('success');
    expect(newest?.states).toContain('in_progress');
    expect(middle?.states[0]).toBe('inactive');
    expect(oldest?.states[0]).toBe('inactive');
  });

  it('deploys latest (v2) and then previous goes back to v1', async () => {
    const latest = await h.deploy({ tag: 'latest' });
    expect(latest.error).toBeUndefined();
    expect(latest.outputs).toMatchObject({ tag: 'v2', 'previous-tag': 'v1' });
    const back = await h.deploy({ tag: 'previous', environment: 'production' });
    expect(back.outputs).toMatchObject({ tag: 'v1', 'previous-tag': 'v2' });
  });

  it('records failure when the command fails, and the failed one is not a rollback target', async () => {
    const result = await h.deploy({ tag: 'v2', run: 'echo half-done; exit 3' });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(/The deploy command exited with code 3; v2 is recorded as failed in 'production'/);
    const [newest] = await deploymentStates();
    expect(newest).toEqual({ ref: 'v2', states: ['failure', 'in_progress'] });
    expect(h.gh.server.responseViolations).toEqual([]);
  });

  it('redeploys what is live with current: the same tag runs again, a redeploy in the summary', async () => {
    const [live] = (await deploymentStates()).filter((d) => d.states[0] === 'success');
    const result = await h.deploy({ tag: 'current', environment: 'production' });
    expect(result.error).toBeUndefined();
    expect(result.outputs['tag']).toBe(live?.ref);
    expect(result.summary).toContain(`## Redeployed \`${live?.ref}\` to \`production\``);
    const [newest] = await deploymentStates();
    expect(newest).toEqual({ ref: live?.ref, states: ['success', 'in_progress'] });
  });

  it('reads the statuses of only as many deployments as the question needs, each once', async () => {
    const statusReads = async (inputs: Record<string, string>) => {
      const from = h.gh.server.requests.length;
      const result = await h.deploy(inputs);
      expect(result.error).toBeUndefined();
      const reads = h.gh.server.requests
        .slice(from)
        .filter((entry) => entry.method === 'GET' && /\/deployments\/\d+\/statuses/.test(entry.path))
        .map((entry) => entry.path);
      expect(new Set(reads).size).toBe(reads.length);
      return { outputs: result.outputs, reads: reads.length };
    };
    // What is live (v1, the newest success) answers a deploy of another tag: one read.
    expect(await statusReads({ tag: 'v2' })).toEqual({
      outputs: expect.objectContaining({ 'previous-tag': 'v1' }),
      reads: 1,
    });
    // Deploying what is live replaces what ran before it: two successes, two reads.
    expect(await statusReads({ tag: 'v2' })).toEqual({
      outputs: expect.objectContaining({ 'previous-tag': 'v1' }),
      reads: 2,
    });
    // previous: two successes (v2 live, v1 before it).
    expect(await statusReads({ tag: 'previous', environment: 'production' })).toEqual({
      outputs: expect.objectContaining({ tag: 'v1', 'previous-tag': 'v2' }),
      reads: 2,
    });
  });

  it('deploys a release with no config at all (an empty config.env) to another environment', async () => {
    await h.publish({ tag: 'v50', environment: 'preview', files: { 'app.txt': 'bare\n' }, config: {} });
    const result = await h.deploy({ tag: 'v50', environment: 'preview' });
    expect(result.error).toBeUndefined();
    expect(result.outputs).toMatchObject({ tag: 'v50', 'previous-tag': '' });
    expect(await readFile(path.join(h.markers, 'env-v50'), 'utf8')).toContain('RELEASE_ENVIRONMENT=preview\n');
  });
});
