/**
 * The build action: inputs → build command, pack → artifact upload →
 * attestation → outputs and summary. Its error boundary is runAction
 * (index.ts).
 */
import * as core from '@actions/core';
import { hasArtifactStorage } from '@build-release-run/action-kit';
import { ConfigurationError } from '@build-release-run/contract';
import { formatBytes, progressTo } from '@build-release-run/progress';
import { decideAttest, visibilityFromEnv } from '@build-release-run/provenance';
import { type BuildAttestation, attestBuild } from './attest-build.ts';
import { findBuildOutput, packBuild, runBuildCommand } from './build.ts';
import { envInputReader, parseBuildInputs } from './inputs.ts';
import { renderSummary } from './summary.ts';

export async function main(): Promise<void> {
  const env = process.env;
  const inputs = parseBuildInputs(envInputReader(env), env);
  const decision = decideAttest(inputs.attest, env, visibilityFromEnv(env), 'The build');
  await runBuildCommand(inputs);
  const { root, entries } = await findBuildOutput(inputs);
  core.info(`Packing ${entries.length} entries from ${root} as ${inputs.format}`);
  const result = await packBuild(inputs, root, entries, progressTo((line) => core.info(line))('Packing'));
  core.info(`Build digest: ${result.digest} (${formatBytes(result.size)}, ${result.files} files)`);

  let uploaded = false;
  if (hasArtifactStorage(env)) {
    const { uploadBuildArtifact } = await import('@build-release-run/action-kit/build-artifact');
    await uploadBuildArtifact(result.archive, result.digest, inputs.retentionDays);
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

  let attestation: BuildAttestation | undefined;
  if (decision.attest) {
    attestation = await attestBuild(
      decision,
      {
        token: inputs.token,
        apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
        repository: env['GITHUB_REPOSITORY'] ?? '',
      },
      result,
    );
    if (!attestation.attested && inputs.attest === 'true') {
      throw new ConfigurationError(`Input 'attest' is 'true': ${attestation.reason} Set 'attest: auto' or 'false'.`);
    }
    if (attestation.attested) {
      core.setOutput('attestation-id', attestation.id === undefined ? '' : String(attestation.id));
      core.info(`Attested ${result.digest} as ${attestation.signer} (attestation ${attestation.id ?? '?'})`);
    } else core.warning(`The build is not attested: ${attestation.reason}`);
  } else if (decision.notice) core.notice(decision.notice);

  if (env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(renderSummary(inputs, result, uploaded, attestation)).write();
  }
}
