/**
 * What an environment has run, read from GitHub Deployments: the source of
 * truth for `previous` (rollback) and for what a deploy replaces.
 */
import { isTagName } from '@build-release-run/contract';
import type { Deployment, GitHubApi } from '@build-release-run/github-api';

// Enough history for any rollback a person would do by hand.
const MAX_DEPLOYMENTS = 100;

/**
 * The newest `count` successful tags of an environment. Statuses are read
 * newest deployment first and only until `count` are known: what is live
 * costs one read, `previous` two.
 */
export type History = (environment: string, count: number) => Promise<string[]>;

/**
 * One read of the history per deploy: resolving `previous` or `current`,
 * what the deploy replaces and the summary all ask the same question, and
 * nothing this deploy did changes the answer before it records success. A
 * later question that needs more than was read reads on from where the
 * last one stopped; no deployment's statuses are read twice.
 */
export function historyOnce(api: GitHubApi): History {
  const environments = new Map<string, Promise<Reader>>();
  return async (environment, count) => {
    let reader = environments.get(environment);
    if (reader === undefined) {
      reader = api
        .listDeployments({ environment, task: 'deploy' }, 1, MAX_DEPLOYMENTS)
        .then((deployments) => readerOf(api, deployments));
      environments.set(environment, reader);
    }
    return (await reader)(count);
  };
}

type Reader = (count: number) => Promise<string[]>;

function readerOf(api: GitHubApi, deployments: readonly Deployment[]): Reader {
  const newestFirst = [...deployments].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  const tags: string[] = [];
  let next = 0;
  // One reader at a time: questions asked together never read the same statuses twice. A failed read
  // stays failed: a later question must not answer from past the deployment it could not read.
  let reading: Promise<unknown> = Promise.resolve();
  return (count) => {
    const answer = reading.then(async () => {
      while (tags.length < count && next < newestFirst.length) {
        const deployment = newestFirst[next++] as Deployment;
        // A deployment's ref is untrusted text (anyone with deployments: write sets it): only release tags count.
        if (tags.includes(deployment.ref) || !isTagName(deployment.ref)) continue;
        // A deployment that succeeded once stays "was deployed", even after later ones made it inactive.
        const statuses = await api.listDeploymentStatuses(deployment.id);
        if (statuses.some((status) => status.state === 'success')) tags.push(deployment.ref);
      }
      return tags.slice(0, count);
    });
    reading = answer;
    return answer;
  };
}

/** What deploying `tag` replaces: the newest successful tag other than itself (also the rollback target). */
export function replacedTag(successful: readonly string[], tag: string): string | undefined {
  return successful.find((candidate) => candidate !== tag);
}
