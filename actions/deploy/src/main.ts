/**
 * The deploy action (its error boundary is runAction, index.ts). Inputs are read
 * once; deploy-flow.ts does the work; outputs come last. A summary is written
 * on every outcome: a failure is caught only to write it, then rethrown.
 */
import * as core from '@actions/core';
import {
  type TokenUse,
  coreLog,
  failureMessage,
  maskSecretInput,
  startDeadline,
  withinDeadline,
} from '@build-release-run/action-kit';
import { gitHubClient } from '@build-release-run/action-kit/github';
import { errorMessage, logText } from '@build-release-run/contract';
import type { GitHubApi, RetryPolicy } from '@build-release-run/github-api';
import { CommandFailedError } from './deploy-errors.ts';
import { type DeployTrace, deploy } from './deploy-flow.ts';
import { type DeployContext, readContext, readInputs } from './inputs.ts';
import { checkJobEnvironment } from './job-environment.ts';
import { deployOutputs } from './outputs.ts';
import { rollbackGuidance } from './rollback-guidance.ts';
import { type DeployOutcome, renderSummary } from './summary.ts';
import { gatherSummaryFacts } from './summary-facts.ts';
import { readWorkflowFacts } from './workflow-files.ts';

export interface RunOptions {
  /** Tests shorten the backoff; the action uses the gateway's default. */
  retry?: Partial<RetryPolicy>;
}

export const TOKEN_USE: TokenUse = {
  mayNot: 'record deployments in this repository; nothing was run',
  needs: "'permissions: deployments: write' (and contents: read)",
};

export async function main(options: RunOptions = {}): Promise<void> {
  maskSecretInput('registry-password');
  const context = readContext(process.env);
  const summary = summaryWriter(context);
  let inputs;
  try {
    inputs = await readInputs((name) => core.getInput(name), context);
    await checkJobEnvironment(inputs.environment, process.env, () => core.getIDToken(), coreLog);
  } catch (error) {
    await summary(undefined, {}, stopped(error));
    throw error;
  }
  const deadline = startDeadline(inputs.deadlineMinutes, 'deploying');
  const api = gitHubClient(
    {
      token: inputs.token,
      apiUrl: context.apiUrl,
      repository: context.repository,
      deadline,
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    },
    coreLog,
  );

  const trace: DeployTrace = {};
  let result;
  try {
    result = await withinDeadline(
      deadline,
      {
        action: 'deploy',
        minutes: inputs.deadlineMinutes,
        leftBehind:
          'Nothing was left half-made: no deployment is created after the deadline, one created before it is marked error, and a deploy command still running was stopped.',
      },
      () => deploy(api, inputs, context, process.env, coreLog, trace),
    );
  } catch (error) {
    await summary(api, trace, stopped(error), inputs.environmentUrl);
    throw error;
  }

  for (const [name, value] of Object.entries(deployOutputs(result))) core.setOutput(name, value);
  core.info(
    `Deployed ${logText(result.tag)} to ${logText(result.environment)} (deployment ${result.deploymentId}; GitHub API requests: ${api.requestCount})`,
  );
  await summary(api, trace, { kind: 'deployed' }, inputs.environmentUrl);
}

function stopped(error: unknown): DeployOutcome {
  const message = failureMessage(error, TOKEN_USE);
  return error instanceof CommandFailedError ? { kind: 'command-failed', message } : { kind: 'stopped', message };
}

/** Writes the step summary; a failure to write it is a warning, never the step's error. */
function summaryWriter(context: DeployContext) {
  return async (api: GitHubApi | undefined, trace: DeployTrace, outcome: DeployOutcome, environmentUrl?: string) => {
    if (!process.env['GITHUB_STEP_SUMMARY']) return;
    try {
      const workflows = await readWorkflowFacts(process.env);
      const facts = await gatherSummaryFacts(api, trace, outcome, {
        asked: { tag: core.getInput('tag').trim(), environment: core.getInput('environment').trim() },
        environmentUrl,
        serverUrl: context.serverUrl,
        repository: context.repository,
        runId: context.runId,
        goBack: (target, environment) =>
          rollbackGuidance({ target, environment, repository: context.repository, workflows }),
      });
      await core.summary.addRaw(renderSummary(facts)).write();
    } catch (error) {
      core.warning(`Could not write the job summary: ${logText(errorMessage(error))}`);
    }
  };
}
