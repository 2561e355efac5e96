/**
 * Reads the ledger from the API: every release, read by deploy's reader with
 * the policy (judgeRelease: verified, unattested or refused, and why; the
 * environment and build shown are release.json's once its digest chain
 * verified), and every deployment with its statuses.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { releasePageUrl } from '@build-release-run/contract';
import type { GitHubApi, Release } from '@build-release-run/github-api';
import { type ReadOptions, judgeRelease } from '@build-release-run/release-verify';
import { type Ledger, type LedgerDeploymentInput, type LedgerRelease, buildLedger } from './ledger-model.ts';
import { asFlags } from './policy.ts';

const PAGE = 100;
// Enough for any ledger a person reads; the API pages past this are not read.
const MAX_PAGES = 10;

export async function readLedger(
  api: GitHubApi,
  options: Omit<ReadOptions, 'workDir'>,
  environment?: string,
): Promise<Ledger> {
  const { repository, serverUrl } = options.context;
  const releases = await allPages((page) => api.listReleases(page, PAGE));
  const workDir = await mkdtemp(path.join(tmpdir(), 'brr-ledger-'));
  const facts: LedgerRelease[] = [];
  try {
    for (const release of releases) {
      if (release.draft) continue;
      facts.push(await releaseFacts(api, release, { ...options, workDir: path.join(workDir, String(release.id)) }));
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const deployments = await allPages((page) =>
    api.listDeployments(environment === undefined ? { task: 'deploy' } : { task: 'deploy', environment }, page, PAGE),
  );
  const inputs: LedgerDeploymentInput[] = [];
  for (const deployment of deployments) {
    const statuses = await allPages((page) => api.listDeploymentStatuses(deployment.id, page, PAGE));
    inputs.push({
      id: deployment.id,
      tag: deployment.ref,
      environment: deployment.environment,
      createdAt: deployment.created_at,
      statuses: statuses
        .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id)
        .map((status) => ({
          state: status.state,
          description: status.description,
          createdAt: status.created_at,
          ...(status.environment_url ? { environmentUrl: status.environment_url } : {}),
        })),
    });
  }
  return buildLedger({ repository, serverUrl }, facts, inputs, environment);
}

async function releaseFacts(api: GitHubApi, release: Release, options: ReadOptions): Promise<LedgerRelease> {
  await mkdir(options.workDir, { recursive: true });
  try {
    const judged = await judgeRelease(api, release, options);
    const { manifest } = judged;
    return {
      id: release.id,
      tag: release.tag_name,
      publishedAt: release.published_at,
      url: releasePageUrl(options.context, release.tag_name),
      environment: manifest?.environment,
      buildDigest: manifest?.build.digest,
      commit: manifest?.build.commit,
      standing: judged.standing,
      ...(judged.standing === 'verified'
        ? judged.provenance.checked
          ? {}
          : { why: 'provenance not checked (--verify-provenance false)' }
        : { why: asFlags(judged.reason) }),
    };
  } finally {
    await rm(options.workDir, { recursive: true, force: true });
  }
}

async function allPages<T>(read: (page: number) => Promise<T[]>): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const batch = await read(page);
    all.push(...batch);
    if (batch.length < PAGE) break;
  }
  return all;
}
