/**
 * The deploy action (its error boundary is runAction, index.ts). Inputs are read
 * once; deploy-flow.ts does the work; outputs and the summary come last.
 */
import * as core from '@actions/core';
import { type TokenUse, coreLog } from '@build-release-run/action-kit';
import { gitHubClient } from '@build-release-run/action-kit/github';
import { logText } from '@build-release-run/contract';
import type { RetryPolicy } from '@build-release-run/github-api';
import { deploy } from './deploy-flow.ts';
import { readContext, readInputs } from './inputs.ts';
import { deployOutputs } from './outputs.ts';
import { startMemoryPacer } from './memory-pacer.ts';
import { renderSummary } from './summary.ts';

export interface RunOptions {
  /** Tests shorten the backoff; the action uses the gateway's default. */
  retry?: Partial<RetryPolicy>;
}

export const TOKEN_USE: TokenUse = {
  mayNot: 'record deployments in this repository; nothing was run',
  needs: "'permissions: deployments: write' (and contents: read)",
};

export async function main(options: RunOptions = {}): Promise<void> {
  const context = readContext(process.env);
  const inputs = await readInputs((name) => core.getInput(name), context);
  const api = gitHubClient(
    {
      token: inputs.token,
      apiUrl: context.apiUrl,
      repository: context.repository,
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    },
    coreLog,
  );

  const stopPacer = startMemoryPacer();
  const result = await deploy(api, inputs, context, process.env, coreLog).finally(stopPacer);

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
          provenance: result.provenance,
        }),
      )
      .write();
  }
}

/** `owner/repo/.github/workflows/deploy.yml@refs/heads/main` → `deploy.yml`. */
function workflowFile(workflowRef: string | undefined): string | undefined {
  const match = /\/\.github\/workflows\/([^@/]+)@/.exec(workflowRef ?? '');
  return match?.[1];
}
