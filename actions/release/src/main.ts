/**
 * The release action: inputs → verified archive and config → release.
 * One error boundary; user mistakes (ConfigurationError) are reported as
 * they are, and so is a token that may not write.
 */
import { appendFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { ConfigurationError, errorMessage } from '@build-release-run/contract';
import { GitHubApi, type GitHubRequest, explainTokenError } from '@build-release-run/github-api';
import { decideAttest, visibilityFromEnv } from '@build-release-run/provenance';
import { locateArchive, verifyArchive } from './archive-file.ts';
import { releaseAttester } from './attest-release.ts';
import { readContext, readInputs } from './inputs.ts';
import { renderSummary } from './notes.ts';
import { buildReleaseConfig } from './release-config.ts';
import { makeRelease } from './release-flow.ts';

export async function run(): Promise<void> {
  try {
    const context = readContext(process.env);
    const inputs = await readInputs((name) => core.getInput(name), context);
    const decision = decideAttest(inputs.attest, process.env, visibilityFromEnv(process.env), 'The release');
    const built = buildReleaseConfig(inputs.configEntries, inputs.secretKeys);
    for (const key of built.droppedSecretKeys) {
      core.notice(
        `config: the value given for ${key} is not stored: ${key} is listed in 'secret-keys', so deploy reads it from its own environment (the deploy job's secrets).`,
      );
    }

    const file = await locateArchive(inputs.archive, inputs.artifactPath);
    core.info(`Verifying ${file} against ${inputs.digest}`);
    const archive = await verifyArchive(file, inputs.digest);

    const octokit = getOctokit(inputs.token, { baseUrl: context.apiUrl });
    const request: GitHubRequest = (route, parameters) => octokit.request(route, parameters);
    const api = new GitHubApi({
      request,
      repository: context.repository,
      log: (m) => core.info(m),
      retry: { retries: inputs.maxRetries },
    });

    const result = await makeRelease(
      api,
      {
        digest: inputs.digest,
        archive,
        config: built.config,
        version: inputs.version,
        environment: inputs.environment,
        commit: inputs.commit,
        context,
        now: new Date(),
        attest: releaseAttester(decision, api.client, inputs.attest === 'true'),
      },
      { info: (m) => core.info(m), warning: (m) => core.warning(m) },
    );

    core.setOutput('tag', result.tag);
    core.setOutput('version', result.version);
    core.setOutput('release-id', String(result.releaseId));
    core.setOutput('release-url', result.releaseUrl);
    core.setOutput('manifest-digest', result.manifestDigest);
    core.setOutput('previous-tag', result.previousTag);
    const attestation = result.facts.attestation;
    core.setOutput('attestation-id', attestation?.attested ? String(attestation.id ?? '') : '');
    if (attestation?.attested) core.info(`Attested release.json (${attestation.subject}) as ${attestation.signer}`);
    else if (attestation && inputs.attest !== 'false') {
      if (decision.attest) core.warning(`The release is not attested: ${attestation.reason}`);
      else core.notice(attestation.reason);
    }
    core.info(`GitHub API requests: ${api.requestCount}`);

    const note =
      result.path === 'already-published'
        ? '_This run had already published this release; nothing was changed._'
        : result.path === 'resumed'
          ? "_Resumed this run's draft from an earlier attempt._"
          : undefined;
    // Appended directly rather than through core.summary, whose file path is
    // cached for the life of the process.
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) await appendFile(summaryFile, renderSummary(result.facts, result.releaseUrl, note));
  } catch (error: unknown) {
    core.setFailed(explain(error));
    return;
  }
}

function explain(error: unknown): string {
  if (error instanceof ConfigurationError) return error.message;
  return explainTokenError(error, 'write to this repository', "'permissions: contents: write'") ?? errorMessage(error);
}
