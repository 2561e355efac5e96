/**
 * The build action: inputs → build command, pack → artifact upload →
 * attestation → outputs and summary. Its error boundary is runAction
 * (index.ts).
 */
import path from 'node:path';
import * as core from '@actions/core';
import {
  actionInput,
  coreLog,
  maskSecretInput,
  startDeadline,
  storeBuildArtifact,
  withinDeadline,
} from '@build-release-run/action-kit';
import type { Deadline } from '@build-release-run/github-api';
import { ConfigurationError, type Digest } from '@build-release-run/contract';
import { formatBytes, progressTo } from '@build-release-run/progress';
import { decideAttest, visibilityFromEnv } from '@build-release-run/provenance';
import { type AttestSubject, type BuildAttestation, attestBuild } from './attest-build.ts';
import { attestExistingBuild } from './attest-existing.ts';
import { findBuildOutput, packBuild, runBuildCommand } from './build.ts';
import { buildImage } from './image-build.ts';
import { renderImageSummary } from './image-summary.ts';
import { type BuildInputs, type ImageBuildInputs, parseBuildInputs } from './inputs.ts';
import { renderSummary } from './summary.ts';

type Decision = ReturnType<typeof decideAttest>;

export async function main(): Promise<void> {
  const env = process.env;
  maskSecretInput('registry-password');
  const existing = actionInput('digest');
  if (existing !== '') return attestExistingBuild(existing, actionInput, env);
  const inputs = parseBuildInputs(actionInput, env);
  const decision = decideAttest(inputs.attest, env, visibilityFromEnv(env), 'The build');
  const deadline = startDeadline(inputs.deadlineMinutes, "running the build command (input 'run')");
  await withinDeadline(
    deadline,
    {
      action: 'build',
      minutes: inputs.deadlineMinutes,
      leftBehind:
        'No build artifact was left half-made (one is stored whole or not at all, and the outputs are set only after it is); a build command still running was stopped.',
    },
    async () => {
      await runBuildCommand(inputs, deadline.signal);
      const built =
        inputs.image === undefined
          ? await packArchive(inputs, deadline)
          : await resolveImage(inputs, inputs.image, deadline);
      await finish(built, inputs, decision, env, deadline);
    },
  );
}

/** What either kind of build hands to the common end: upload, outputs, attestation, summary. */
interface Built {
  files: string | readonly string[];
  digest: Digest;
  /** The output the release takes when nothing was uploaded. */
  otherwisePass: 'archive' | 'image';
  outputs: Record<string, string>;
  subject: AttestSubject;
  summary: (uploaded: boolean, attestation: BuildAttestation | undefined) => string;
}

/** The build is files: packed into one archive. */
async function packArchive(inputs: BuildInputs, deadline: Deadline): Promise<Built> {
  deadline.stage = 'packing the archive';
  const { root, entries } = await findBuildOutput(inputs);
  core.info(`Packing ${entries.length} entries from ${root} as ${inputs.format}`);
  const progress = progressTo((line) => core.info(line));
  const result = await packBuild(inputs, root, entries, progress('Packing'));
  core.info(`Build digest: ${result.digest} (${formatBytes(result.size)}, ${result.files} files)`);
  const name = path.basename(result.archive);
  return {
    files: result.archive,
    digest: result.digest,
    otherwisePass: 'archive',
    outputs: {
      digest: result.digest,
      archive: result.archive,
      'artifact-name': result.artifactName,
      size: String(result.size),
      files: String(result.files),
    },
    subject: { name, digest: result.digest, verifyTarget: name },
    summary: (uploaded, attestation) => renderSummary(inputs, result, uploaded, attestation),
  };
}

/** The build is a container image: resolved and hashed; its manifest and record are what is uploaded. */
async function resolveImage(inputs: BuildInputs, image: ImageBuildInputs, deadline: Deadline): Promise<Built> {
  deadline.stage = 'resolving the image';
  const result = await buildImage(image, inputs.outputDirectory);
  core.info(`Image digest: ${result.digest} (${result.image}; platforms ${result.record.platforms.join(', ')})`);
  return {
    files: result.files,
    digest: result.digest,
    otherwisePass: 'image',
    outputs: {
      digest: result.digest,
      image: result.image,
      platforms: result.record.platforms.join(','),
      'artifact-name': result.artifactName,
      size: String(result.size),
    },
    subject: {
      name: `${result.record.registry}/${result.record.repository}`,
      digest: result.digest,
      verifyTarget: `oci://${result.image}`,
    },
    summary: (uploaded, attestation) => renderImageSummary(result, uploaded, attestation),
  };
}

/** Uploaded (or said why not), then the outputs, the attestation and the summary. */
async function finish(
  built: Built,
  inputs: BuildInputs,
  decision: Decision,
  env: NodeJS.ProcessEnv,
  deadline: Deadline,
): Promise<void> {
  deadline.stage = 'uploading the build artifact';
  const uploaded = await storeBuildArtifact(
    env,
    {
      ...built,
      retentionDays: inputs.retentionDays,
      deadline,
    },
    coreLog,
  );
  for (const [name, value] of Object.entries(built.outputs)) core.setOutput(name, value);
  deadline.stage = 'attesting the build';
  const attestation = await attestIfAsked(inputs, decision, env, built.subject);
  if (env['GITHUB_STEP_SUMMARY']) await core.summary.addRaw(built.summary(uploaded, attestation)).write();
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
    core.setOutput('signer', attestation.workflowRef);
    core.info(`Attested ${subject.digest} as ${attestation.signer} (attestation ${attestation.id ?? '?'})`);
  } else core.warning(`The build is not attested: ${attestation.reason}`);
  return attestation;
}
