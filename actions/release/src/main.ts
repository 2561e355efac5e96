/**
 * The release action: inputs → verified archive and config → release →
 * outputs and summary. Its error boundary is runAction (index.ts).
 */
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import {
  type TokenUse,
  actionInput,
  coreLog,
  maskSecretInput,
  startDeadline,
  withinDeadline,
} from '@build-release-run/action-kit';
import { gitHubClient } from '@build-release-run/action-kit/github';
import type { Deadline, GitHubApi } from '@build-release-run/github-api';
import { type AttestDecision, decideAttest, visibilityFromEnv } from '@build-release-run/provenance';
import type { ReleaseConfig } from '@build-release-run/release-format';
import { releaseAttester } from './attest-release.ts';
import { type ReleaseInputs, type WorkflowContext, readContext, readInputs } from './inputs.ts';
import { renderSummary } from './notes.ts';
import { buildReleaseConfig } from './release-config.ts';
import { makeRelease } from './release-flow.ts';
import { type ReleaseSource, releaseSource } from './release-source.ts';

/** The workflow's name and run number, as the Actions tab names a run; undefined outside a runner. */
function runOfWorkflow(env: NodeJS.ProcessEnv): { name: string; runNumber: string } | undefined {
  const name = env.GITHUB_WORKFLOW?.trim() ?? '';
  const runNumber = env.GITHUB_RUN_NUMBER?.trim() ?? '';
  return name !== '' && /^[1-9]\d{0,15}$/.test(runNumber) ? { name, runNumber } : undefined;
}

export const TOKEN_USE: TokenUse = { mayNot: 'write to this repository', needs: "'permissions: contents: write'" };

export async function main(): Promise<void> {
  maskSecretInput('registry-password');
  const context = readContext(process.env);
  const inputs = await readInputs(actionInput, context);
  const deadline = startDeadline(inputs.deadlineMinutes, 'fetching and verifying the archive');
  await withinDeadline(
    deadline,
    {
      action: 'release',
      minutes: inputs.deadlineMinutes,
      leftBehind:
        'Nothing half-made was published: a release is published only once all its assets are uploaded, nothing is published after the deadline, and a draft left behind is resumed or replaced by a re-run.',
    },
    () => release(context, inputs, deadline),
  );
}

async function release(context: WorkflowContext, inputs: ReleaseInputs, deadline: Deadline): Promise<void> {
  const decision = decideAttest(inputs.attest, process.env, visibilityFromEnv(process.env), 'The release');
  const config = buildReleaseConfig(inputs.configEntries, inputs.secretKeys);

  const api = gitHubClient(
    {
      token: inputs.token,
      apiUrl: context.apiUrl,
      repository: context.repository,
      retry: { retries: inputs.maxRetries },
      deadline,
    },
    coreLog,
  );
  // A promoted build is downloaded here, verified, and removed once released.
  const workDir = await mkdtemp(path.join(context.runnerTemp, 'brr-release-'));
  try {
    const source = await releaseSource(api, context, inputs, workDir, deadline);
    deadline.stage = 'making the release';
    await publish(api, context, inputs, source, config, decision);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function publish(
  api: GitHubApi,
  context: WorkflowContext,
  inputs: ReleaseInputs,
  source: ReleaseSource,
  config: ReleaseConfig,
  decision: AttestDecision,
): Promise<void> {
  const result = await makeRelease(
    api,
    {
      digest: source.digest,
      archive: source.archive,
      image: source.image,
      config,
      attachments: source.attachments,
      ...(source.promoted === undefined ? {} : { promotedFrom: source.promoted.from, ref: source.promoted.ref }),
      version: inputs.version,
      environment: inputs.environment,
      commit: source.commit,
      ...(source.builder === undefined ? {} : { builder: source.builder }),
      context,
      now: new Date(),
      attest: releaseAttester(decision, api.client, inputs.attest === 'true'),
      publish: {
        prerelease: inputs.prerelease,
        makeLatest: inputs.makeLatest,
        latestEnvironment: inputs.latestEnvironment,
      },
      configReset: inputs.configReset,
      allowMutableRelease: inputs.allowMutableRelease,
      notes: inputs.notes,
      workflow: runOfWorkflow(process.env),
    },
    coreLog,
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
}
