/**
 * Reads the ledger from the API: every release (its manifest verified the
 * way deploy verifies it, so the environment and build shown are the ones
 * deploy would trust) and every deployment with its statuses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorMessage } from '@build-release-run/contract';
import type { GitHubApi, Release } from '@build-release-run/github-api';
import { MANIFEST_ASSET } from '@build-release-run/release-format';
import { verifyManifest } from '@build-release-run/release-verify';
import { type Ledger, type LedgerDeploymentInput, type LedgerRelease, buildLedger } from './ledger-model.ts';

const PAGE = 100;
// Enough for any ledger a person reads; the API pages past this are not read.
const MAX_PAGES = 10;

export async function readLedger(api: GitHubApi, repository: string, environment?: string): Promise<Ledger> {
  const releases = await allPages((page) => api.listReleases(page, PAGE));
  const workDir = await mkdtemp(path.join(tmpdir(), 'brr-ledger-'));
  const facts: LedgerRelease[] = [];
  try {
    for (const release of releases) {
      if (release.draft) continue;
      facts.push(await releaseFacts(api, release, workDir));
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
  return buildLedger(repository, facts, inputs, environment);
}

async function releaseFacts(api: GitHubApi, release: Release, workDir: string): Promise<LedgerRelease> {
  const base = { id: release.id, tag: release.tag_name, publishedAt: release.published_at, url: release.html_url };
  if (!release.assets.some((asset) => asset.name === MANIFEST_ASSET)) {
    return {
      ...base,
      environment: undefined,
      buildDigest: undefined,
      commit: undefined,
      problem: `no ${MANIFEST_ASSET}: not made by the release action`,
    };
  }
  try {
    const { manifest } = await verifyManifest(api, release, workDir);
    return {
      ...base,
      environment: manifest.environment,
      buildDigest: manifest.build.digest,
      commit: manifest.build.commit,
    };
  } catch (error) {
    return { ...base, environment: undefined, buildDigest: undefined, commit: undefined, problem: errorMessage(error) };
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
