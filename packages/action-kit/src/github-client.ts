/**
 * The one place an action makes its GitHub client: Octokit (from
 * @actions/github, with the job's API URL) under the gateway's retries,
 * logging through the action's log (progress of long transfers included). Its own module (package export
 * `./github`): the build, which calls no API, does not load Octokit.
 *
 * Every request (JSON calls and asset bodies alike) goes through the
 * gateway's transport: connect and idle timeouts, and the proxy
 * @actions/http-client names for that URL (HTTPS_PROXY, HTTP_PROXY,
 * NO_PROXY, loopback never proxied), the rule @actions/github's own proxy
 * fetch follows, so a redirect to storage is proxied as the storage host asks.
 */
import { getOctokit } from '@actions/github';
import { getProxyUrl } from '@actions/http-client';
import {
  type Deadline,
  GitHubApi,
  type GitHubRequest,
  type RetryPolicy,
  type Timeouts,
} from '@build-release-run/github-api';
import { progressTo } from '@build-release-run/progress';
import type { ActionLog } from './action-log.ts';

export interface ClientSettings {
  token: string;
  /** GITHUB_API_URL. */
  apiUrl: string;
  /** owner/name. */
  repository: string;
  retry?: Partial<RetryPolicy>;
  /** The action's overall deadline. */
  deadline?: Deadline;
  /** Default: the gateway's DEFAULT_TIMEOUTS. */
  timeouts?: Partial<Timeouts>;
}

/** The proxy for one URL, by @actions/http-client's rule; undefined to go direct. */
export function proxyFor(url: URL): string | undefined {
  return getProxyUrl(url.href) || undefined;
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
    transport: { proxyFor, ...(settings.timeouts === undefined ? {} : { timeouts: settings.timeouts }) },
    ...(settings.retry === undefined ? {} : { retry: settings.retry }),
    ...(settings.deadline === undefined ? {} : { deadline: settings.deadline }),
  });
}
