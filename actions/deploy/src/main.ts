/**
 * The deploy action's entry point: its one error boundary. Inputs are read
 * once; deploy-flow.ts does the work; outputs and the summary come last.
 */
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { ConfigurationError, errorMessage, logText } from '@build-release-run/contract';
import { GitHubApi, explainTokenError, type GitHubRequest, type RetryPolicy } from '@build-release-run/github-api';
import { deploy } from './deploy-flow.ts';
import { readContext, readInputs } from './inputs.ts';
import { deployOutputs } from './outputs.ts';
import { startMemoryPacer } from './memory-pacer.ts';
import { renderSummary } from './summary.ts';

export interface RunOptions {
  /** Tests shorten the backoff; the action uses the gateway's default. */
  retry?: Partial<RetryPolicy>;
}

export async function run(options: RunOptions = {}): Promise<void> {
  try {
    const context = readContext(process.env);
    const inputs = await readInputs((name) => core.getInput(name), context);
    const octokit = getOctokit(inputs.token, { baseUrl: context.apiUrl });
    const request: GitHubRequest = (route, parameters) => octokit.request(route, parameters);
    const api = new GitHubApi({
      request,
      repository: context.repository,
      log: (m) => core.info(m),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    });

    const stopPacer = startMemoryPacer();
    const result = await deploy(api, inputs, context, process.env, {
      info: (message) => core.info(message),
      mask: (value) => core.setSecret(value),
    }).finally(stopPacer);

    for (const [name, value] of Object.entries(deployOutputs(result))) core.setOutput(name, value);
    core.info(
      `Deployed ${logText(result.tag)} to ${logText(result.environment)} (deployment ${result.deploymentId}; GitHub API requests: ${api.requestCount})`,
    );
    if (process.env['GITHUB_STEP_SUMMARY']) {
      await core.summary
        .addRaw(
          renderSummary({
            manifest: result.manifest,
            config: result.config,
            environment: result.environment,
            releaseUrl: `${context.serverUrl}/${context.repository}/releases/tag/${encodeURIComponent(result.tag)}`,
            serverUrl: context.serverUrl,
            deploymentId: result.deploymentId,
            replacedTag: result.previousTag,
            repository: context.repository,
            workflow: workflowFile(process.env['GITHUB_WORKFLOW_REF']),
          }),
        )
        .write();
    }
  } catch (error: unknown) {
    if (!(error instanceof ConfigurationError) && error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(explain(error));
    return;
  }
}

function explain(error: unknown): string {
  if (error instanceof ConfigurationError) return error.message;
  return (
    explainTokenError(
      error,
      'record deployments in this repository; nothing was run',
      "'permissions: deployments: write' (and contents: read)",
    ) ?? errorMessage(error)
  );
}

/** `owner/repo/.github/workflows/deploy.yml@refs/heads/main` → `deploy.yml`. */
function workflowFile(workflowRef: string | undefined): string | undefined {
  const match = /\/\.github\/workflows\/([^@/]+)@/.exec(workflowRef ?? '');
  return match?.[1];
}
