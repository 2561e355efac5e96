import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { gatewayFor, startHarness } from './helpers.ts';

let h: DeployHarness;
beforeAll(async () => {
  h = await startHarness();
  const files = { 'app.txt': 'app\n' };
  await h.publish({ tag: 'v1', files, secretKeys: ['DB_PASSWORD', 'API_KEY'] });
  await h.publish({ tag: 'v90', files, draft: true });
  await h.publish({ tag: 'v91', files, omit: ['release.json', 'SHA256SUMS'] });
  await gatewayFor(h.gh.server.url).createTagRef('bare-tag', h.commits[0] as string);
  await writeFile(path.join(h.work, 'a-file'), 'not a folder');
  await mkdir(path.join(h.work, 'full-dir'));
  await writeFile(path.join(h.work, 'full-dir', 'stale.txt'), 'old');
});
afterAll(async () => {
  await h.close();
});

const deploymentsCreated = () => h.gh.server.requests.filter((r) => r.operationId === 'repos/create-deployment').length;

describe('bad inputs: a clear error naming the input, nothing created, nothing run', () => {
  it.each<[string, Record<string, string>, Record<string, string | undefined>, RegExp]>([
    ['an empty tag', { tag: '' }, {}, /Input 'tag' is required/],
    ['a malformed tag', { tag: 'v1..2' }, {}, /Input 'tag' must be a release tag: .*; got "v1\.\.2"/],
    [
      'an unknown tag',
      { tag: 'v99' },
      {},
      /Input 'tag' is 'v99', but the repository has no release or tag of that name/,
    ],
    ['a draft', { tag: 'v90' }, {}, /Input 'tag' is 'v90', which is a draft release/],
    [
      'a release without manifest',
      { tag: 'v91' },
      {},
      /'v91', a release that the release action did not make: it has no release\.json \(its assets: app-/,
    ],
    ['a git tag without a release', { tag: 'bare-tag' }, {}, /'bare-tag', which is a git tag without a release/],
    [
      'an environment mismatch',
      { tag: 'v1', environment: 'staging' },
      {},
      /Input 'environment' is 'staging', but v1 was released for 'production'.*promote it: run the release action with 'from-release: v1' and 'environment: staging' \(the same build, sha256:[0-9a-f]{64}\)/,
    ],
    ['an empty run', { tag: 'v1', run: '  \n ' }, {}, /Input 'run' is empty/],
    [
      'a config-env key the release does not have',
      { tag: 'v1', 'config-env': 'DB_PASSWORD, GRETING' },
      {},
      /^Input 'config-env' names GRETING, which v1's config does not have \(it has the keys .*DB_PASSWORD.*\)\. Remove it from 'config-env'/,
    ],
    [
      'a reserved name in config-env',
      { tag: 'v1', 'config-env': 'GREETING\nLD_PRELOAD' },
      {},
      /^Input 'config-env', name 2: LD_PRELOAD is reserved and may not be set by a release's config: the dynamic loader/,
    ],
    [
      'a config-env entry that is not a name',
      { tag: 'v1', 'config-env': 'GREETING=hello' },
      {},
      /^Input 'config-env', name 1: the name is not a config key/,
    ],
    [
      'a registry-password without its registry-username',
      { tag: 'v1', 'registry-password': 'pw-123' },
      {},
      /Input 'registry-username' is empty but 'registry-password' is set/,
    ],
    [
      'registry credentials without the registry they are for',
      { tag: 'v1', 'registry-username': 'me', 'registry-password': 'pw-123' },
      {},
      /Input 'registry' is empty but 'registry-username' and 'registry-password' are set/,
    ],
    [
      'a registry that is not a host',
      { tag: 'v1', registry: 'ghcr.io/acme' },
      {},
      /Input 'registry' must be a registry host\[:port\]/,
    ],
    [
      'a registry-username without its registry-password',
      { tag: 'v1', 'registry-username': 'me' },
      {},
      /Input 'registry-password' is empty but 'registry-username' is set/,
    ],
    [
      'a directory that is a file',
      { tag: 'v1', directory: 'a-file' },
      {},
      /Input 'directory' is 'a-file', which exists and is not a folder/,
    ],
    [
      'a directory that is not empty',
      { tag: 'v1', directory: 'full-dir' },
      {},
      /Input 'directory' is 'full-dir', which is not empty/,
    ],
    [
      'a bad environment-url',
      { tag: 'v1', 'environment-url': 'javascript:alert(1)' },
      {},
      /Input 'environment-url' must be an http\(s\) URL/,
    ],
    [
      "no environment (never the release's own)",
      { tag: 'v1', environment: '' },
      {},
      /^Input 'environment' is required: name the environment to deploy to .* It is never taken from the release\./,
    ],
    [
      'a misspelt environment input',
      { tag: 'v1', environment: '', enviroment: 'production' },
      {},
      /^Input 'environment' is required/,
    ],
    ['previous without environment', { tag: 'previous', environment: '' }, {}, /^Input 'environment' is required/],
    [
      'previous with no history',
      { tag: 'previous', environment: 'staging' },
      {},
      /nothing was ever deployed successfully to 'staging'/,
    ],
    ['current without environment', { tag: 'current', environment: '' }, {}, /^Input 'environment' is required/],
    [
      'current with nothing deployed yet',
      { tag: 'current', environment: 'staging' },
      {},
      /Input 'tag' is 'current', but nothing was ever deployed successfully to 'staging'/,
    ],
    [
      'latest for an environment without releases',
      { tag: 'latest', environment: 'nowhere' },
      {},
      /none of the 1 newest releases was made for environment 'nowhere'/,
    ],
    ['an empty token', { tag: 'v1', token: '' }, {}, /Input 'token' is empty/],
    [
      'a verify-provenance that is not a boolean',
      { tag: 'v1', 'verify-provenance': 'off' },
      {},
      /Input 'verify-provenance' must be true or false; got "off"/,
    ],
    [
      'a build-signer outside .github/workflows',
      { tag: 'v1', 'build-signer': 'build.yml, ../evil/x.yml' },
      {},
      /Input 'build-signer' has '\.\.\/evil\/x\.yml', which is not a signing workflow\. Give a workflow file of this repository/,
    ],
    [
      'a release-signer of another repository without its ref',
      { tag: 'v1', 'release-signer': 'mallory/app/.github/workflows/release.yml' },
      {},
      /Input 'release-signer' has 'mallory\/app\/\.github\/workflows\/release\.yml', which is not a signing workflow/,
    ],
    [
      'a source-ref that is not a ref',
      { tag: 'v1', 'source-ref': 'refs/pull/1/merge' },
      {},
      /Input 'source-ref' is 'refs\/pull\/1\/merge', which is not a branch or tag ref\. Give the ref the signing workflows ran on/,
    ],
    [
      'a deadline that is not a number of minutes',
      { tag: 'v1', 'deadline-minutes': '30m' },
      {},
      /^Input 'deadline-minutes' is '30m'; give the minutes the action may take, a number above 0 and at most 360/,
    ],
    ['a deadline of zero', { tag: 'v1', 'deadline-minutes': '0' }, {}, /^Input 'deadline-minutes' is '0'/],
    [
      'a read-only token',
      { tag: 'v1', token: 'read-only-token' },
      {},
      /Input 'token' may not record deployments .*nothing was run.*deployments: write/,
    ],
    [
      'missing secrets',
      { tag: 'v1' },
      { DB_PASSWORD: undefined, API_KEY: '' },
      /v1 needs the secret\(s\) API_KEY, DB_PASSWORD, which this job's environment does not provide/,
    ],
  ])('%s', async (_label, inputs, env, message) => {
    const before = deploymentsCreated();
    const result = await h.deploy(inputs, { API_KEY: 'api-key-value', ...env });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(message);
    expect(result.outputs).toEqual({});
    expect(await h.ran()).toEqual([]);
    // The read-only token is refused at the one write; every other case stops before it.
    if (inputs.token !== 'read-only-token') expect(deploymentsCreated()).toBe(before);
    const api = gatewayFor(h.gh.server.url);
    expect(await api.listDeployments()).toEqual([]);
  });

  it('never prints a provided secret, even in the error of another mistake', async () => {
    const result = await h.deploy({ tag: 'v1', environment: 'staging' }, { API_KEY: 'api-key-value-xyz' });
    expect(result.failed).toBe(true);
    expect(result.stdout).toContain('::add-mask::api-key-value-xyz');
    expect(result.stdout.replace('::add-mask::api-key-value-xyz', '')).not.toContain('api-key-value-xyz');
  });
});
