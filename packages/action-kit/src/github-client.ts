/**
 * The one place an action makes its GitHub client: Octokit (from
 * @actions/github, with the job's API URL) under the gateway's retries,
 * logging through the action's log (progress of long transfers included). Its own module (package export
 * `./github`): the build, which calls no API, does not load Octokit.
 */
import { getOctokit } from '@actions/github';
import { GitHubApi, type GitHubRequest, type RetryPolicy } from '@build-release-run/github-api';
import { progressTo } from '@build-release-run/progress';
import type { ActionLog } from './action-log.ts';

export interface ClientSettings {
  token: string;
  /** GITHUB_API_URL. */
  apiUrl: string;
  /** owner/name. */
  repository: string;
  retry?: Partial<RetryPolicy>;
}

export function gitHubClient(settings: ClientSettings, log: Pick<ActionLog, 'info'>): GitHubApi {
  const octokit = getOctokit(settings.token, { baseUrl: settings.apiUrl });
  const request: GitHubRequest = (route, parameters) => octokit.request(route, parameters);
  return new GitHubApi({
    request,
    repository: settings.repository,
    log: (message) => log.info(message),
    // Long uploads and downloads say how far along they are, in the same log.
    transferProgress: progressTo((line) => log.info(line)),
    ...(settings.retry === undefined ? {} : { retry: settings.retry }),
  });
}
