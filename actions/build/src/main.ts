/**
 * The build action: inputs → build command, pack → artifact upload →
 * attestation → outputs and summary. Its error boundary is runAction
 * (index.ts).
 */
import path from 'node:path';
import * as core from '@actions/core';
import { hasArtifactStorage } from '@build-release-run/action-kit';
import { ConfigurationError, inputVariableName } from '@build-release-run/contract';
import { formatBytes, progressTo } from '@build-release-run/progress';
import { decideAttest, visibilityFromEnv } from '@build-release-run/provenance';
import { type AttestSubject, type BuildAttestation, attestBuild } from './attest-build.ts';
import { findBuildOutput, packBuild, runBuildCommand } from './build.ts';
import { buildImage } from './image-build.ts';
import { renderImageSummary } from './image-summary.ts';
import { type BuildInputs, type ImageBuildInputs, envInputReader, parseBuildInputs } from './inputs.ts';
import { renderSummary } from './summary.ts';

type Decision = ReturnType<typeof decideAttest>;

export async function main(): Promise<void> {
  const env = process.env;
  // Masked before anything can be printed, even an input error.
  const password = (env[inputVariableName('registry-password')] ?? '').trim();
  if (password !== '') core.setSecret(password);
  const inputs = parseBuildInputs(envInputReader(env), env);
  const decision = decideAttest(inputs.attest, env, visibilityFromEnv(env), 'The build');
  await runBuildCommand(inputs);
  if (inputs.image !== undefined) {
    await mainImage(inputs, inputs.image, decision, env);
    return;
  }
  const { root, entries } = await findBuildOutput(inputs);
  core.info(`Packing ${entries.length} entries from ${root} as ${inputs.format}`);
  const progress = progressTo((line) => core.info(line));
  const result = await packBuild(inputs, root, entries, progress('Packing'));
  core.info(`Build digest: ${result.digest} (${formatBytes(result.size)}, ${result.files} files)`);

  let uploaded = false;
  if (hasArtifactStorage(env)) {
    const { uploadBuildArtifact } = await import('@build-release-run/action-kit/build-artifact');
    await uploadBuildArtifact(result.archive, result.digest, inputs.retentionDays, progress);
    uploaded = true;
  } else {
    core.info(
      "No artifact storage in this environment (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set), so nothing was uploaded. Pass the 'archive' output to the release action.",
    );
  }

  core.setOutput('digest', result.digest);
  core.setOutput('archive', result.archive);
  core.setOutput('artifact-name', result.artifactName);
  core.setOutput('size', String(result.size));
  core.setOutput('files', String(result.files));

  const name = path.basename(result.archive);
  const attestation = await attestIfAsked(inputs, decision, env, { name, digest: result.digest, verifyTarget: name });
  if (env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(renderSummary(inputs, result, uploaded, attestation)).write();
  }
}

/** The build is a container image: resolved, hashed, its manifest and record uploaded for the release. */
async function mainImage(
  inputs: BuildInputs,
  image: ImageBuildInputs,
  decision: Decision,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const result = await buildImage(image, inputs.outputDirectory);
  core.info(`Image digest: ${result.digest} (${result.image}; platforms ${result.record.platforms.join(', ')})`);
  let uploaded = false;
  if (hasArtifactStorage(env)) {
    const { uploadBuildArtifact } = await import('@build-release-run/action-kit/build-artifact');
    await uploadBuildArtifact(result.files, result.digest, inputs.retentionDays);
    uploaded = true;
  } else {
    core.info(
      "No artifact storage in this environment (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set), so nothing was uploaded. Pass the 'image' output to the release action.",
    );
  }
  core.setOutput('digest', result.digest);
  core.setOutput('image', result.image);
  core.setOutput('platforms', result.record.platforms.join(','));
  core.setOutput('artifact-name', result.artifactName);
  core.setOutput('size', String(result.size));
  const attestation = await attestIfAsked(inputs, decision, env, {
    name: `${result.record.registry}/${result.record.repository}`,
    digest: result.digest,
    verifyTarget: `oci://${result.image}`,
  });
  if (env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(renderImageSummary(result, uploaded, attestation)).write();
  }
}

async function attestIfAsked(
  inputs: BuildInputs,
  decision: Decision,
  env: NodeJS.ProcessEnv,
  subject: AttestSubject,
): Promise<BuildAttestation | undefined> {
  if (!decision.attest) {
    if (decision.notice) core.notice(decision.notice);
    return undefined;
  }
  const attestation = await attestBuild(
    decision,
    {
      token: inputs.token,
      apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
      repository: env['GITHUB_REPOSITORY'] ?? '',
    },
    subject,
  );
  if (!attestation.attested && inputs.attest === 'true') {
    throw new ConfigurationError(`Input 'attest' is 'true': ${attestation.reason} Set 'attest: auto' or 'false'.`);
  }
  if (attestation.attested) {
    core.setOutput('attestation-id', attestation.id === undefined ? '' : String(attestation.id));
    core.info(`Attested ${subject.digest} as ${attestation.signer} (attestation ${attestation.id ?? '?'})`);
  } else core.warning(`The build is not attested: ${attestation.reason}`);
  return attestation;
}
