import { getOctokit } from '@actions/github';
import { GitHubApi } from '@build-release-run/github-api';
import { TEST_TOKEN } from '../../../test/helpers/github-server.ts';
import { startDeployHarness } from '../../../test/helpers/deploy-harness.ts';
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
