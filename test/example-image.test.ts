// examples/app/.github/workflows/image.yml through the local runner, against
// a real registry (CNCF distribution, an image made by umoci and pushed by
// skopeo): the build resolves the image, the release takes it by the digest
// alone (the build's artifact), and deploy renders the Kubernetes Deployment
// with the released digest (`kubectl set image --local`) and the config as a
// ConfigMap.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { digestOf } from '@build-release-run/contract';
import {
  type ArtifactService,
  type RunWorkflowResult,
  runWorkflow,
  startArtifactService,
} from '@build-release-run/workflow-runner';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { inspectRaw, makeOciLayout, type OciLayout } from '@build-release-run/test-helpers/registry/oci-images';
import { startRegistry, type TestRegistry } from '@build-release-run/test-helpers/registry/registry-server';
import { type TestSigstore, startTestSigstore } from '@build-release-run/test-helpers/sigstore';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const repoRoot = path.resolve(import.meta.dirname, '..');
const appRepo = path.join(repoRoot, 'examples', 'app');

let dir: string;
let artifacts: ArtifactService;
let github: TestGitHub;
let registry: TestRegistry;
// The jobs sign their provenance and deploy verifies it, as on GitHub.
let sigstore: TestSigstore;
let layout: OciLayout;
let result: RunWorkflowResult;
let digest: string;

beforeAll(async () => {
  dir = await tempDir('brr-example-image-');
  [artifacts, github, registry, layout, sigstore] = await Promise.all([
    startArtifactService(path.join(dir, 'artifacts')),
    startTestGitHub({ immutableReleases: true }),
    startRegistry(),
    makeOciLayout(),
    startTestSigstore(),
  ]);
  await layout.addImage('app', 'the app');
  await layout.push('app', `${registry.host}/octo/app:sha-abc`);
  digest = digestOf(await inspectRaw(`${registry.host}/octo/app:sha-abc`));
  result = await runWorkflow({
    workflowFile: '.github/workflows/image.yml',
    repoDir: appRepo,
    repository: 'octo/app',
    actionRepositories: { 'OWNER/build-release-run': repoRoot },
    workDir: path.join(dir, 'run'),
    runId: '1',
    artifacts,
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    // A commit the local GitHub server has, for the release's tag.
    sha: github.repo.commits.at(-1)!,
    event: 'workflow_dispatch',
    inputs: { image: `${registry.host}/octo/app:sha-abc` },
    ...sigstore.runnerOptions,
  });
}, 300_000);

afterAll(async () => {
  await Promise.all([artifacts?.stop(), github?.close(), registry?.stop(), layout?.remove(), sigstore?.close()]);
  await removeDir(dir);
});

describe('examples: image.yml', () => {
  it('builds, releases and deploys the image by its digest', () => {
    for (const job of ['build', 'release', 'deploy']) {
      const outcome = result.jobs[job]!;
      expect({ job, result: outcome.result, errors: outcome.annotations.filter((a) => a.level === 'error') }).toEqual({
        job,
        result: 'success',
        errors: [],
      });
    }
    expect(result.jobs['build']!.outputs['digest']).toBe(digest);
  });

  it('renders the Deployment with the released digest and the config as a ConfigMap', async () => {
    const rendered = path.join(result.jobs['deploy']!.workspace, 'rendered');
    const deployment = await readFile(path.join(rendered, 'deployment.yaml'), 'utf8');
    expect(deployment).toContain(`image: ${registry.host}/octo/app@${digest}`);
    expect(deployment).not.toContain('app:placeholder');
    const configMap = await readFile(path.join(rendered, 'configmap.yaml'), 'utf8');
    expect(configMap).toMatch(/kind: ConfigMap/);
    expect(configMap).toContain('GREETING: Hello from staging');
  });
});
