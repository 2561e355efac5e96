/**
 * The build action: inputs → build command, pack → artifact upload →
 * outputs and summary. Its error boundary is runAction (index.ts).
 */
import * as core from '@actions/core';
import { hasArtifactStorage } from '@build-release-run/action-kit';
import { formatBytes, progressTo } from '@build-release-run/progress';
import { findBuildOutput, packBuild, runBuildCommand } from './build.ts';
import { envInputReader, parseBuildInputs } from './inputs.ts';
import { renderSummary } from './summary.ts';

export async function main(): Promise<void> {
  const env = process.env;
  const inputs = parseBuildInputs(envInputReader(env), env);
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
  if (env['GITHUB_STEP_SUMMARY']) {
    await core.summary.addRaw(renderSummary(inputs, result, uploaded)).write();
  }
}
