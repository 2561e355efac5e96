/**
 * What an environment has run, read from GitHub Deployments: the source of
 * truth for `previous` (rollback) and for what a deploy replaces.
 */
import { isTagName } from '@build-release-run/contract';
import type { GitHubApi } from '@build-release-run/github-api';

// Enough history for any rollback a person would do by hand.
const MAX_DEPLOYMENTS = 100;

/**
 * The tags (deployment refs) that reached `success` in the environment,
 * newest first, each once, at most `limit` of them. Statuses are read only
 * until enough are found.
 */
export async function successfulTags(api: GitHubApi, environment: string, limit = 2): Promise<string[]> {
  const deployments = await api.listDeployments({ environment, task: 'deploy' }, 1, MAX_DEPLOYMENTS);
  const newestFirst = [...deployments].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  const tags: string[] = [];
  for (const deployment of newestFirst) {
    if (tags.length >= limit) break;
    // A deployment's ref is untrusted text (anyone with deployments: write sets it): only release tags count.
    if (tags.includes(deployment.ref) || !isTagName(deployment.ref)) continue;
    // A deployment that succeeded once stays "was deployed", even after later ones made it inactive.
    const statuses = await api.listDeploymentStatuses(deployment.id);
    if (statuses.some((status) => status.state === 'success')) tags.push(deployment.ref);
  }
  return tags;
}

/** The newest successful tags of an environment (at most 2), each environment read at most once. */
export type History = (environment: string) => Promise<string[]>;

/**
 * One read of the history per deploy: resolving `previous` or `current`,
 * what the deploy replaces and the summary all ask the same question, and
 * nothing this deploy did changes the answer before it records success.
 */
export function historyOnce(api: GitHubApi): History {
  const read = new Map<string, Promise<string[]>>();
  return (environment) => {
    let tags = read.get(environment);
    if (tags === undefined) {
      tags = successfulTags(api, environment, 2);
      read.set(environment, tags);
    }
    return tags;
  };
}

/** What deploying `tag` replaces: the newest successful tag other than itself (also the rollback target). */
export function replacedTag(successful: readonly string[], tag: string): string | undefined {
  return successful.find((candidate) => candidate !== tag);
}
