/**
 * The ledger as data: which release is live in each environment, and what
 * happened there, in order. Pure: the reader (ledger-read.ts) fetches the
 * releases, deployments and statuses; this decides what they mean.
 */

export interface LedgerRelease {
  id: number;
  tag: string;
  /** From release.json once its digest chain verified; undefined otherwise. */
  environment: string | undefined;
  buildDigest: string | undefined;
  commit: string | undefined;
  publishedAt: string | null;
  /** The release's page on this server, made from the server, the repository and the tag (never an API answer's URL). */
  url: string;
  /** Would deploy (with this policy) accept it: verified; unattested (nothing signed it); refused. */
  standing: 'verified' | 'unattested' | 'refused';
  /** Why it is unattested or refused (or what was not checked). */
  why?: string;
}

export interface LedgerDeploymentInput {
  id: number;
  tag: string;
  environment: string;
  createdAt: string;
  /** Statuses oldest first. */
  statuses: { state: string; description: string | null; createdAt: string; environmentUrl?: string }[];
}

export type DeployKind = 'deploy' | 'rollback' | 'redeploy';

export interface LedgerEvent {
  deploymentId: number;
  tag: string;
  at: string;
  /** The deployment's last state: success, failure, error, inactive, in_progress… */
  state: string;
  /** Did it ever reach success (an inactive one was live before a later deploy). */
  succeeded: boolean;
  kind: DeployKind;
  /** The tag that was live before this deploy, if any. */
  replaced: string | undefined;
  description: string | null;
  environmentUrl: string | undefined;
}

export interface LedgerEnvironment {
  name: string;
  /** The tag live now: the newest deployment whose last state is success. */
  live: { tag: string; deploymentId: number; since: string; environmentUrl: string | undefined } | undefined;
  /** Oldest first. */
  events: LedgerEvent[];
  /** Releases made for this environment, oldest first. */
  releases: string[];
}

export interface Ledger {
  repository: string;
  /** e.g. https://github.com: the ledger page links only to this repository on this server. */
  serverUrl: string;
  /** The one environment asked for (`--environment`), when it was. */
  only?: string;
  /** Every environment the releases and deployments read name, asked for or not. */
  known: string[];
  environments: LedgerEnvironment[];
  /**
   * The releases read, oldest first: with `only`, those of that environment
   * and those whose manifest did not verify (their environment is unknown).
   */
  releases: LedgerRelease[];
}

function byTime<T extends { at: string }>(a: T & { id: number }, b: T & { id: number }): number {
  return a.at.localeCompare(b.at) || a.id - b.id;
}

export function buildLedger(
  { repository, serverUrl }: { repository: string; serverUrl: string },
  releases: readonly LedgerRelease[],
  deployments: readonly LedgerDeploymentInput[],
  only?: string,
): Ledger {
  const ordered = [...releases].sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? '') || a.id - b.id);
  // A release's place in the ledger: a deploy of an older one than what was live is a rollback.
  const rank = new Map(ordered.map((release, index) => [release.tag, index]));
  const names = new Set<string>();
  for (const release of ordered) if (release.environment !== undefined) names.add(release.environment);
  for (const deployment of deployments) names.add(deployment.environment);

  const environments: LedgerEnvironment[] = [];
  for (const name of [...names].sort()) {
    if (only !== undefined && name !== only) continue;
    const own = deployments
      .filter((deployment) => deployment.environment === name)
      .map((deployment) => ({ ...deployment, at: deployment.createdAt }))
      .sort(byTime);
    const events: LedgerEvent[] = [];
    let current: string | undefined;
    for (const deployment of own) {
      const last = deployment.statuses.at(-1);
      const succeeded = deployment.statuses.some((status) => status.state === 'success');
      const kind: DeployKind =
        current === undefined
          ? 'deploy'
          : current === deployment.tag
            ? 'redeploy'
            : (rank.get(deployment.tag) ?? Infinity) < (rank.get(current) ?? -Infinity)
              ? 'rollback'
              : 'deploy';
      const url = [...deployment.statuses].reverse().find((status) => status.environmentUrl)?.environmentUrl;
      events.push({
        deploymentId: deployment.id,
        tag: deployment.tag,
        at: deployment.createdAt,
        state: last?.state ?? 'pending',
        succeeded,
        kind,
        replaced: current,
        description: last?.description ?? null,
        environmentUrl: url,
      });
      if (succeeded) current = deployment.tag;
    }
    const liveEvent = [...events].reverse().find((event) => event.state === 'success');
    environments.push({
      name,
      live:
        liveEvent === undefined
          ? undefined
          : {
              tag: liveEvent.tag,
              deploymentId: liveEvent.deploymentId,
              since: liveEvent.at,
              environmentUrl: liveEvent.environmentUrl,
            },
      events,
      releases: ordered.filter((release) => release.environment === name).map((release) => release.tag),
    });
  }
  // A release whose manifest did not verify may be the asked environment's:
  // it stays in view, under its problem, rather than vanish from the filter.
  const shown =
    only === undefined
      ? ordered
      : ordered.filter((release) => release.environment === only || release.environment === undefined);
  return {
    repository,
    serverUrl,
    ...(only === undefined ? {} : { only }),
    known: [...names].sort(),
    environments,
    releases: shown,
  };
}
