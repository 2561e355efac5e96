import * as core from '@actions/core';
import { ConfigurationError, errorMessage } from '@build-release-run/contract';
import { decideAttest, visibilityFromEnv } from '@build-release-run/provenance';
import { type BuildAttestation, attestBuild } from './attest-build.ts';
import { findBuildOutput, packBuild, runBuildCommand } from './build.ts';
import { envInputReader, parseBuildInputs } from './inputs.ts';
import { renderSummary } from './summary.ts';

/** The build action's entry point: its one error boundary. */
export async function run(): Promise<void> {
  const env = process.env;
  try {
    const inputs = parseBuildInputs(envInputReader(env), env);
    const decision = decideAttest(inputs.attest, env, visibilityFromEnv(env), 'The build');
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
      await core.summary.addRaw(renderSummary(inputs, result, attestation)).write();
    }
  } catch (error: unknown) {
    if (!(error instanceof ConfigurationError) && error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(errorMessage(error));
  }
}
