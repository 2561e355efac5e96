/**
 * A local Sigstore and the OIDC issuer it trusts, wired the way the runner
 * needs them: pass `runnerOptions` to runWorkflow so jobs that grant
 * `id-token: write` sign through this instance, and verify with `trustedRoot`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunWorkflowResult, runWorkflow } from '@build-release-run/workflow-runner';
import { TEST_REPO, TEST_TOKEN, type TestGitHub } from './github-server.ts';
import { makeTree } from './tree.ts';
import {
  type OidcIssuer,
  type SigstoreServer,
  createOidcIssuer,
  startSigstoreServer,
} from '@build-release-run/sigstore-server';

export interface TestSigstore {
  issuer: OidcIssuer;
  server: SigstoreServer;
  /** For runWorkflow: the issuer and the variable that points signing at this instance. */
  runnerOptions: { oidcIssuer: OidcIssuer; env: Record<string, string> };
  /** Writes the trusted root to `dir` and returns its path (deploy's test hook reads a file). */
  writeTrustedRoot(dir: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestSigstore(): Promise<TestSigstore> {
  const issuer = createOidcIssuer();
  const server = await startSigstoreServer({ trustedIssuers: [issuer] });
  // Deploy reads the root from a file (BRR_SIGSTORE_TRUSTED_ROOT), as jobs of a run would.
  const rootDir = await mkdtemp(path.join(tmpdir(), 'brr-sigstore-root-'));
  const rootFile = path.join(rootDir, 'trusted_root.json');
  await writeFile(rootFile, JSON.stringify(server.trustedRoot));
  return {
    issuer,
    server,
    runnerOptions: {
      oidcIssuer: issuer,
      env: { BRR_SIGSTORE_URL: server.url, BRR_SIGSTORE_TRUSTED_ROOT: rootFile },
    },
    async writeTrustedRoot(dir) {
      const file = path.join(dir, 'trusted_root.json');
      await writeFile(file, JSON.stringify(server.trustedRoot));
      return file;
    },
    async close() {
      await server.close();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}

/** The bundles the local GitHub server holds for a digest, read as `gh` reads them (404 is none). */
export async function storedBundles(
  apiUrl: string,
  token: string,
  repository: string,
  digest: string,
): Promise<unknown[]> {
  const response = await fetch(`${apiUrl}/repos/${repository}/attestations/${digest}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' },
  });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`listing attestations answered ${response.status}`);
  const body = (await response.json()) as { attestations: { bundle: unknown }[] };
  return body.attestations.map((a) => a.bundle);
}

/**
 * Runs `workflow` as `.github/workflows/<file>` of a new repository folder
 * under `dir`, with this checkout as OWNER/build-release-run, against the
 * test server's octo/app and signing through `sigstore`.
 */
let runCounter = 100;

export async function runAttestingWorkflow(options: {
  github: TestGitHub;
  sigstore: TestSigstore;
  dir: string;
  name: string;
  file: string;
  workflow: string;
  /** The `secrets` context (masked in the log, as the runner does). */
  secrets?: Record<string, string>;
}): Promise<RunWorkflowResult> {
  const { github, sigstore, dir, name, file, workflow, secrets } = options;
  const repoDir = path.join(dir, name, 'repo');
  await makeTree(repoDir, { [`.github/workflows/${file}`]: workflow });
  return runWorkflow({
    workflowFile: `.github/workflows/${file}`,
    repoDir,
    actionRepositories: { 'OWNER/build-release-run': path.resolve(import.meta.dirname, '..', '..') },
    repository: `${TEST_REPO.owner}/${TEST_REPO.repo}`,
    apiUrl: github.server.url,
    token: TEST_TOKEN,
    sha: github.repo.commits.at(-1)!,
    workDir: path.join(dir, name, 'run'),
    // GITHUB_RUN_ID is a number on GitHub, and the actions check it.
    runId: String(++runCounter),
    ...(secrets === undefined ? {} : { secrets }),
    ...sigstore.runnerOptions,
  });
}

/**
 * A push workflow that builds `site/index.html` (holding `environment`)
 * in a job that attests it, then releases it for `environment` with
 * `GREETING=hi` in a job granting `releasePermissions` (YAML lines under
 * `permissions:`); the release job outputs `tag` and `attestation`.
 */
export function attestedPipeline(environment: string, releasePermissions: string): string {
  return `name: pipeline
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
      attestations: write
    outputs:
      digest: \${{ steps.build.outputs.digest }}
    steps:
      - uses: actions/checkout@v4
      - id: build
        uses: OWNER/build-release-run/actions/build@v1
        with:
          path: site
          format: tar.gz
          run: mkdir -p site && echo "${environment}" > site/index.html
  release:
    needs: build
    runs-on: ubuntu-latest
    permissions:
${releasePermissions}
    outputs:
      tag: \${{ steps.release.outputs.tag }}
      attestation: \${{ steps.release.outputs.attestation-id }}
    steps:
      - id: release
        uses: OWNER/build-release-run/actions/release@v1
        with:
          digest: \${{ needs.build.outputs.digest }}
          environment: ${environment}
          config: GREETING=hi
`;
}
