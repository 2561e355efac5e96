/**
 * The job summary on every outcome, read from the local server's history:
 * a success, a rollback, a redeploy, a command that fails, a deploy refused
 * before anything ran, and inputs refused before anything was read.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { SECRET_VALUE } from '@build-release-run/test-helpers/deploy-harness';
import { checkOutWorkflows, exampleDeployWorkflow, startHarness } from './helpers.ts';

const RELEASES = 'https://github.example/octo/app/releases/tag';
const LIVE = (tag: string) => `**Live in \`production\` now:** [${tag}](${RELEASES}/${tag})`;

let h: DeployHarness;
beforeAll(async () => {
  h = await startHarness();
  await checkOutWorkflows(h.work, { 'deploy.yml': await exampleDeployWorkflow() });
  await h.publish({
    tag: 'v1',
    files: { 'app.txt': 'one\n' },
    config: { GREETING: 'one', OLD: 'x' },
    secretKeys: ['DB_PASSWORD'],
  });
  await h.publish({
    tag: 'v2',
    files: { 'app.txt': 'two\n' },
    config: { GREETING: 'two', NEW: 'y' },
    secretKeys: ['DB_PASSWORD'],
  });
});
afterAll(async () => {
  await h.close();
});

describe('deploy summaries', () => {
  it('a first deploy says so and what is live', async () => {
    const result = await h.deploy({ tag: 'v1', environment: 'production', 'environment-url': 'https://app.example' });
    expect(result.error).toBeUndefined();
    expect(result.summary).toContain('## Deployed `v1` to `production`');
    expect(result.summary).toContain(LIVE('v1'));
    expect(result.summary).toContain('the first deploy of this environment');
    // As recorded: the URL as the WHATWG parser writes it (ASCII, so nothing in it is invisible).
    expect(result.summary).toContain('`https://app.example/`');
    expect(result.summary).toMatch(/\[[0-9a-f]{12}\]\(https:\/\/github\.example\/octo\/app\/commit\/[0-9a-f]{40}\)/);
    expect(result.summary).toMatch(
      /\| Deployment \| \[\d+\]\(https:\/\/github\.example\/octo\/app\/deployments\/production\)/,
    );
  });

  it('an update names what it replaced, with the config keys and build that changed (names only)', async () => {
    const result = await h.deploy({ tag: 'v2', environment: 'production' });
    expect(result.error).toBeUndefined();
    expect(result.summary).toContain('## Deployed `v2` to `production`');
    expect(result.summary).toContain(`| Replaced | [v1](${RELEASES}/v1) |`);
    expect(result.summary).toContain('an update: a newer release than `v1`');
    expect(result.summary).toMatch(/build: different \(`sha256:[0-9a-f]{64}` → `sha256:[0-9a-f]{64}`\)/);
    expect(result.summary).toContain('config: added `NEW`; removed `OLD`; changed `GREETING`');
    // Values are never in the summary, plain or secret.
    expect(result.summary).not.toMatch(/GREETING\S*=|\btwo\b/);
    expect(result.summary).not.toContain(SECRET_VALUE);
  });

  it('compares with the replaced release read through its release.json, never from its notes', async () => {
    const published = [];
    for (const [tag, config] of [
      ['v5', { GREETING: 'five', OLD: 'x' }],
      ['v6', { GREETING: 'six', NEW: 'y' }],
    ] as const) {
      published.push(
        await h.publish({ tag, environment: 'qa', files: { 'app.txt': `${tag}\n` }, config, actionNotes: true }),
      );
    }
    expect((await h.deploy({ tag: 'v5', environment: 'qa' })).error).toBeUndefined();
    const from = h.gh.server.requests.length;
    const result = await h.deploy({ tag: 'v6', environment: 'qa' });
    expect(result.error).toBeUndefined();
    expect(result.summary).toContain('config: added `NEW`; removed `OLD`; changed `GREETING`');
    expect(result.summary).toContain(
      `build: different (\`${published[0]!.manifest.build.digest}\` → \`${published[1]!.manifest.build.digest}\`)`,
    );
    // The replaced release's release.json and config.env, each read once (SHA256SUMS by GitHub's digest), nothing else.
    const v5 = published[0]!.release.assets;
    const read = h.gh.server.requests
      .slice(from)
      .map((entry) => v5.find((a) => entry.path.endsWith(`/assets/${a.id}`))?.name);
    expect(read.filter((name) => name !== undefined).sort()).toEqual(['config.env', 'release.json']);
  });

  it('a rollback says it is one and links the release it replaced', async () => {
    const result = await h.deploy({ tag: 'previous', environment: 'production' });
    expect(result.error).toBeUndefined();
    expect(result.summary).toContain('## Rolled back `production` to `v1` (from `v2`)');
    expect(result.summary).toContain('a **rollback**');
    expect(result.summary).toContain(`| Replaced | [v2](${RELEASES}/v2) |`);
    expect(result.summary).toContain(LIVE('v1'));
  });

  it('a redeploy of the live tag says so', async () => {
    const result = await h.deploy({ tag: 'v1', environment: 'production' });
    expect(result.error).toBeUndefined();
    expect(result.summary).toContain('## Redeployed `v1` to `production`');
    expect(result.summary).toContain('a **redeploy**');
  });

  it('a command that exits 1 writes a summary naming what is live now and how to get back to it', async () => {
    const result = await h.deploy({ tag: 'v2', environment: 'production', run: 'exit 1' });
    expect(result.failed).toBe(true);
    expect(result.summary).toContain('## Deploy of `v2` to `production` failed: the deploy command failed');
    expect(result.summary).toContain(LIVE('v1'));
    expect(result.summary).toContain('the deploy command ran and failed');
    expect(result.summary).toContain('### What went wrong');
    expect(result.summary).toContain('The deploy command exited with code 1');
    expect(result.summary).toContain(`| Would have replaced | [v1](${RELEASES}/v1) |`);
    expect(result.summary).toMatch(/### Roll back[\s\S]*tag=v1/);
  });

  it('a command not found (exit 127) says where the command ran and how it is looked up', async () => {
    const result = await h.deploy({ tag: 'v2', environment: 'production', run: './bin/deploy' });
    expect(result.failed).toBe(true);
    const hint =
      /Exit 127 is "command not found": the command runs in RELEASE_DIR=\S+ \(the unpacked build, not the repository's checkout\)/;
    expect(result.error).toMatch(hint);
    expect(result.summary).toMatch(hint);
    expect(result.summary).toContain(LIVE('v1'));
  });

  it('a deploy refused before anything ran (digest mismatch) writes a summary naming what is live now', async () => {
    await h.resetMarkers();
    const result = await h.deploy({ tag: 'v2', environment: 'production', digest: `sha256:${'0'.repeat(64)}` });
    expect(result.failed).toBe(true);
    expect(await h.ran()).toEqual([]);
    expect(result.summary).toContain('## Deploy of `v2` to `production` stopped: the deploy command did not run');
    expect(result.summary).toContain(LIVE('v1'));
    expect(result.summary).toContain('refused before anything ran: no deployment was recorded, nothing changed');
    expect(result.summary).not.toContain('| Deployment |');
    expect(result.summary).not.toContain('### Roll back');
  });

  it('inputs refused before anything was read still get a summary, every value through its sink', async () => {
    const result = await h.deploy({ tag: 'v2', environment: '[x](https://evil.example)' });
    expect(result.failed).toBe(true);
    expect(result.summary).toContain('environment `[x](https://evil.example)`');
    // Outside code spans and blocks (where nothing is markup) the URL appears nowhere.
    const markup = result.summary.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    expect(markup).not.toContain('evil');
    expect(result.summary).toContain('**Live in `[x](https://evil.example)` now:** _unknown');
  });

  it('a summary names what is live even in an environment nothing ever reached', async () => {
    const result = await h.deploy({ tag: 'v2', environment: 'staging' });
    expect(result.failed).toBe(true);
    expect(result.summary).toContain('**Live in `staging` now:** _nothing: no deploy to it has succeeded yet_');
    expect(h.gh.server.responseViolations).toEqual([]);
  });

  it("a push-triggered workflow's summary never offers to re-run that workflow by hand", async () => {
    await checkOutWorkflows(h.work, {
      'cd.yml':
        'on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: OWNER/build-release-run/actions/deploy@v1\n        with: { tag: "${{ needs.release.outputs.tag }}", run: ./deploy.sh }\n',
    });
    const push = {
      GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/cd.yml@refs/heads/main',
      GITHUB_EVENT_NAME: 'push',
    };
    const result = await h.deploy({ tag: 'v2', environment: 'production' }, push);
    expect(result.error).toBeUndefined();
    expect(result.summary).toContain('### Roll back');
    expect(result.summary).not.toContain('gh workflow run cd.yml');
    expect(result.summary).toContain('`cd.yml` cannot be run by hand');
    // The repository's own dispatch workflow can: its command is offered instead.
    expect(result.summary).toContain('gh workflow run deploy.yml --repo octo/app -f tag=v1 -f environment=production');
  });
});
