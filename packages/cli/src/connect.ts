/**
 * From the environment and --repo to a GitHub client, the same gateway the
 * actions use (retries, error hints), so brr works against GitHub, GitHub
 * Enterprise Server and the local server alike.
 */
import { getOctokit } from '@actions/github';
import { GitHubApi, type GitHubRequest } from '@build-release-run/github-api';
import type { ProgressFactory } from '@build-release-run/progress';
import { UsageError } from './args.ts';

export interface Connection {
  token: string;
  apiUrl: string;
  repository: string;
  /** The server the repository lives on (links, and the identity certificates name). */
  serverUrl: string;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function readConnection(env: NodeJS.ProcessEnv, repo: string | undefined, server?: string): Connection {
  const repository = repo ?? env['GITHUB_REPOSITORY'] ?? '';
  if (repository === '') throw new UsageError('no repository: pass --repo OWNER/REPO or set GITHUB_REPOSITORY');
  if (!REPOSITORY.test(repository)) {
    throw new UsageError(`--repo must be OWNER/REPO, got '${repository}'`);
  }
  const token = env['GITHUB_TOKEN'] || env['GH_TOKEN'] || '';
  if (token === '') throw new UsageError('no token: set GITHUB_TOKEN or GH_TOKEN (read access is enough)');
  const apiUrl = (env['GITHUB_API_URL'] || 'https://api.github.com').replace(/\/+$/, '');
  try {
    new URL(apiUrl);
  } catch {
    throw new UsageError(`GITHUB_API_URL is not a URL: '${apiUrl}'`);
  }
  const serverUrl = (server ?? (env['GITHUB_SERVER_URL'] || 'https://github.com')).replace(/\/+$/, '');
  // The base of the page's links: a scheme and a host (a port, a path prefix for GitHub Enterprise Server).
  if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[^\s?#]*)?$/.test(serverUrl)) {
    throw new UsageError(`--server (or GITHUB_SERVER_URL) must be an http(s) URL, got '${serverUrl}'`);
  }
  return { token, apiUrl, repository, serverUrl };
}

export function connect(connection: Omit<Connection, 'serverUrl'>, progress?: ProgressFactory): GitHubApi {
  const octokit = getOctokit(connection.token, { baseUrl: connection.apiUrl });
  const request: GitHubRequest = (route, parameters) => octokit.request(route, parameters);
  return new GitHubApi({
    request,
    repository: connection.repository,
    ...(progress === undefined ? {} : { transferProgress: progress }),
  });
}
