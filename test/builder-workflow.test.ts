// The reusable build workflow (.github/workflows/build.yml) through the
// local runner, called as users call it: its build job runs the caller's
// command with no OIDC token to be had, and its signing job, which runs no
// caller command, signs the build as the reusable workflow.
//
// The certificate's identity follows GitHub's documented OIDC claim set for
// reusable workflows ("About security hardening with OpenID Connect",
// https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect,
// "Understanding the OIDC token": `job_workflow_ref` is "the ref path to the
// reusable workflow used by this job", `workflow_ref` the caller's), which
// Fulcio writes as the SAN and Build Signer URI (job_workflow_ref) and the
// Build Config URI (workflow_ref) (sigstore/fulcio docs/oid-info.md).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { type RunWorkflowResult, runWorkflow } from '@build-release-run/workflow-runner';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { type TestSigstore, startTestSigstore, storedBundles } from '@build-release-run/test-helpers/sigstore';
import { makeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { builderCaller } from '../scripts/demo-builder-probe.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** A build command that tries to mint the run's OIDC token, and says what it found. */
const STEAL = [
  'mkdir -p site && echo "built by the builder" > site/index.html',
  "node -e 'const url = process.env.ACTIONS_ID_TOKEN_REQUEST_URL, token = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;",
  'if (!url) { console.log("oidc: no endpoint"); process.exit(0); }',
  'fetch(url + "&audience=sigstore", { headers: { authorization: "Bearer " + token } })',
  '  .then(async (r) => console.log(r.ok && (await r.json()).value ? "oidc: token minted" : "oidc: refused " + r.status))',
  '  .catch((e) => console.log("oidc: unreachable " + e.message));\'',
].join('\n');

let dir: string;
let github: TestGitHub;
let sigstore: TestSigstore;
let result: RunWorkflowResult;
beforeAll(async () => {
  dir = await tempDir('brr-builder-');
  github = await startTestGitHub();
  sigstore = await startTestSigstore();
  const app = path.join(dir, 'app');
  await makeTree(app, { '.github/workflows/build-release.yml': builderCaller('site', 'tar.gz') });
  result = await runWorkflow({
    workflowFile: '.github/workflows/build-release.yml',
    repoDir: app,
    repository: 'octo/app',
    sha: github.repo.commits.at(-1)!,
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    actionRepositories: { 'OWNER/build-release-run': repoRoot },
    vars: { BUILD_COMMAND: STEAL },
    workDir: path.join(dir, 'work'),
    ...sigstore.runnerOptions,
  });
}, 240_000);
afterAll(async () => {
  await github.close();
  await sigstore.close();
  await removeDir(dir);
});

describe('the reusable build workflow', () => {
  it('runs the build command where no OIDC token can be minted', () => {
    const job = result.jobs['build/build']!;
    expect(job.result).toBe('success');
    const found = job.log.filter((line) => line.includes('oidc: '));
    expect(found).toEqual([expect.stringContaining('oidc: no endpoint')]);
  });

  it('signs the build in a job that runs no caller command, as the reusable workflow', async () => {
    const signing = result.jobs['build/provenance']!;
    expect([signing.result, signing.annotations.filter((a) => a.level === 'error')]).toEqual(['success', []]);
    expect(signing.log.join('\n')).not.toContain('oidc: ');
    const digest = result.jobs['build']!.outputs['digest']!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digest).toBe(result.jobs['build/build']!.outputs['digest']);
    const builder = 'OWNER/build-release-run/.github/workflows/build.yml@refs/tags/v1';
    expect(result.jobs['build']!.outputs['builder']).toBe(builder);
    const [bundle] = (await storedBundles(github.server.url, TEST_TOKEN, 'octo/app', digest)) as {
      dsseEnvelope: { payload: string };
    }[];
    const statement = JSON.parse(Buffer.from(bundle!.dsseEnvelope.payload, 'base64').toString('utf8')) as {
      subject: { name: string; digest: { sha256: string } }[];
      predicate: {
        buildDefinition: { externalParameters: { workflow: { repository: string; path: string; ref: string } } };
        runDetails: { builder: { id: string } };
      };
    };
    expect(statement.subject[0]!.digest.sha256).toBe(digest.slice('sha256:'.length));
    // Builder: the reusable workflow at its ref; invocation: the caller's workflow, repository and ref.
    expect(statement.predicate.runDetails.builder.id).toMatch(new RegExp(`/${builder.replace(/[.]/g, '\\.')}$`));
    expect(statement.predicate.buildDefinition.externalParameters.workflow).toEqual({
      repository: expect.stringMatching(/\/octo\/app$/),
      path: '.github/workflows/build-release.yml',
      ref: 'refs/heads/main',
    });
  });
});
