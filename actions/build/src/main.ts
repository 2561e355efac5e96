import * as core from '@actions/core';
import { ConfigurationError, errorMessage } from '@build-release-run/contract';
import { findBuildOutput, packBuild, runBuildCommand } from './build.ts';
import { parseImageBuildInputs, renderImageSummary, resolveImageBuild } from './image-build.ts';
import { envInputReader, parseBuildInputs } from './inputs.ts';
import { renderSummary } from './summary.ts';

/** The build action's entry point: its one error boundary. */
export async function run(): Promise<void> {
  const env = process.env;
  try {
    const imageInputs = parseImageBuildInputs(envInputReader(env), env);
    if (imageInputs !== undefined) {
      if (imageInputs.credentials) core.setSecret(imageInputs.credentials.password);
      const image = await resolveImageBuild(imageInputs);
      core.setOutput('digest', image.digest);
      core.setOutput('image', image.pinned);
      core.setOutput('platforms', image.platforms.join(','));
      core.info(`Build digest: ${image.digest} (${image.pinned}, ${image.platforms.join(', ')})`);
      if (env['GITHUB_STEP_SUMMARY']) await core.summary.addRaw(renderImageSummary(image)).write();
      return;
    }
    const inputs = parseBuildInputs(envInputReader(env), env);
    await runBuildCommand(inputs);
    const { root, entries } = await findBuildOutput(inputs);
    core.info(`Packing ${entries.length} entries from ${root} as ${inputs.format}`);
    const result = await packBuild(inputs, root, entries);

    core.setOutput('digest', result.digest);
    core.setOutput('archive', result.archive);
    core.setOutput('artifact-name', result.artifactName);
    core.setOutput('size', String(result.size));
    core.setOutput('files', String(result.files));
    core.info(`Build digest: ${result.digest} (${result.size} bytes, ${result.files} files)`);
    if (env['GITHUB_STEP_SUMMARY']) {
      await core.summary.addRaw(renderSummary(inputs, result)).write();
    }
  } catch (error: unknown) {
    if (!(error instanceof ConfigurationError) && error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(errorMessage(error));
  }
}
