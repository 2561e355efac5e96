/**
 * Input 'digest': attest a build an earlier job of this run made, without
 * building. The signing job of the reusable build workflow
 * (.github/workflows/build.yml) runs this and nothing the caller wrote: it
 * downloads the build artifact named from the digest, checks its bytes
 * against the digest by the rule the release reads them by
 * (release-format's build-files), and signs SLSA provenance for it with its
 * own OIDC identity, which names the reusable workflow (SLSA Build L3: the
 * job that ran the build command had no token to sign with).
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import {
  DEADLINE_INPUT,
  type InputReader,
  hasArtifactStorage,
  parseDeadlineMinutes,
  startDeadline,
  withinDeadline,
} from '@build-release-run/action-kit';
import { ConfigurationError, type Digest, artifactNameForDigest, parseDigest } from '@build-release-run/contract';
import { PERMISSIONS_HINT, decideAttest, grantsIdToken, visibilityFromEnv } from '@build-release-run/provenance';
import { verifyArtifactFolder } from '@build-release-run/release-format';
import { pinnedReference } from '@build-release-run/registry';
import { type AttestSubject, attestBuild } from './attest-build.ts';
import { DEFAULT_DEADLINE_MINUTES } from './inputs.ts';
import { provenanceCell } from './summary.ts';

/** The inputs that make a build; none may be given beside 'digest'. */
const BUILD_INPUTS = ['path', 'image', 'run', 'registry-username', 'registry-password'] as const;

export async function attestExistingBuild(
  digestText: string,
  input: InputReader,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const digest = parseDigest(digestText, 'digest');
  const given = BUILD_INPUTS.filter((name) => input(name) !== '');
  if (given.length > 0) {
    throw new ConfigurationError(
      `Input 'digest' attests a build an earlier job made, so '${given.join("', '")}' must be empty: build in one job (without 'digest'), and attest its digest output in another.`,
    );
  }
  // Checked here, not by decideAttest, whose message speaks of input 'attest', which this step was not given.
  if (!grantsIdToken(env)) {
    throw new ConfigurationError(
      `Input 'digest' asks to attest a build, but this job has no OIDC token to sign it with: ${PERMISSIONS_HINT}.`,
    );
  }
  const decision = decideAttest('true', env, visibilityFromEnv(env), `the build ${digest}`);
  if (!decision.attest) throw new ConfigurationError(`Input 'digest' asks to attest a build: ${PERMISSIONS_HINT}.`);
  if (!hasArtifactStorage(env)) {
    throw new ConfigurationError(
      "Input 'digest': this step has no artifact storage to fetch the build from (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set, as outside a runner).",
    );
  }
  const minutes = parseDeadlineMinutes(input(DEADLINE_INPUT), DEFAULT_DEADLINE_MINUTES);
  const deadline = startDeadline(minutes, 'downloading the build artifact');
  await withinDeadline(deadline, { action: 'build', minutes, leftBehind: 'Nothing was attested.' }, async () => {
    const folder = path.join(env['RUNNER_TEMP'] || tmpdir(), 'build-release-run', artifactNameForDigest(digest));
    await rm(folder, { recursive: true, force: true });
    const { downloadBuildArtifact } = await import('@build-release-run/action-kit/build-artifact');
    await downloadBuildArtifact(digest, folder, deadline);
    const { archive, image } = await verifyArtifactFolder(digest, folder);
    core.info(`Checked the build artifact '${artifactNameForDigest(digest)}': ${archive.name} is ${digest}.`);
    deadline.stage = 'attesting the build';
    const subject: AttestSubject =
      image === undefined
        ? { name: archive.name, digest, verifyTarget: archive.name }
        : {
            name: `${image.registry}/${image.repository}`,
            digest,
            verifyTarget: `oci://${pinnedReference(image, digest)}`,
          };
    const attestation = await attestBuild(
      decision,
      {
        token: input('token'),
        apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
        repository: env['GITHUB_REPOSITORY'] ?? '',
      },
      subject,
    );
    if (!attestation.attested) throw new ConfigurationError(`Input 'digest': ${attestation.reason}`);
    setOutputs(digest, archive.size, image === undefined ? '' : pinnedReference(image, digest), attestation);
    core.info(`Attested ${digest} as ${attestation.signer} (attestation ${attestation.id ?? '?'})`);
    if (env['GITHUB_STEP_SUMMARY']) {
      await core.summary
        .addRaw(`### Build attested\n\n\`${digest}\` (${archive.name}): ${provenanceCell(attestation)}\n`)
        .write();
    }
  });
}

function setOutputs(
  digest: Digest,
  size: number,
  image: string,
  attestation: { id: number | undefined; workflowRef: string },
): void {
  core.setOutput('digest', digest);
  core.setOutput('artifact-name', artifactNameForDigest(digest));
  core.setOutput('size', String(size));
  core.setOutput('image', image);
  core.setOutput('attestation-id', attestation.id === undefined ? '' : String(attestation.id));
  core.setOutput('signer', attestation.workflowRef);
}
