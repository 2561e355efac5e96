import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getOctokit } from '@actions/github';
import { GitHubApi } from '@build-release-run/github-api';
import { TEST_TOKEN } from '@build-release-run/test-helpers/github-server';
import { startDeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { runAction } from '@build-release-run/action-kit';
import { TOKEN_USE, main } from '../src/main.ts';

/** Fast backoff: the retry rules are the gateway's; here only their outcome matters. */
export const FAST_RETRY = { retries: 3, baseDelayMs: 5, maxDelayMs: 20 };

export function gatewayFor(baseUrl: string, token = TEST_TOKEN): GitHubApi {
  const octokit = getOctokit(token, { baseUrl });
  return new GitHubApi({
    request: (route, parameters) => octokit.request(route, parameters),
    repository: 'octo/app',
    retry: FAST_RETRY,
  });
}

export function startHarness() {
  return startDeployHarness(
    (url) => gatewayFor(url),
    () => runAction(() => main({ retry: FAST_RETRY }), TOKEN_USE),
  );
}

/** Puts workflow files where a checkout puts them (GITHUB_WORKSPACE/.github/workflows). */
export async function checkOutWorkflows(workspace: string, files: Record<string, string>): Promise<void> {
  const folder = path.join(workspace, '.github', 'workflows');
  await mkdir(folder, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(folder, name), text);
}

/** The example repository's deploy workflow (workflow_dispatch with environment and tag). */
export function exampleDeployWorkflow(): Promise<string> {
  return readFile(path.resolve(import.meta.dirname, '../../../examples/app/.github/workflows/deploy.yml'), 'utf8');
}
