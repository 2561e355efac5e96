/**
 * With a data folder, the server's records survive a restart: they are
 * written to `<dataDir>/state.json` after every write request (atomically,
 * through a rename) and read back at start. Git refs need no saving: they
 * live in the served repositories. Without a data folder, state is memory only.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Mutex } from './http.ts';
import type { Asset, Deployment, Label, Release, RepositoryState } from './model.ts';

interface RepositorySnapshot {
  immutableReleases: boolean;
  releases: Release[];
  deployments: Deployment[];
  labels: Label[];
  immutableTags: string[];
  latestReleaseId: number | null;
}

export interface Snapshot {
  version: 1;
  nextId: number;
  repos: Record<string, RepositorySnapshot>;
  assets: Asset[];
}

export function stateFile(dataDir: string): string {
  return path.join(dataDir, 'state.json');
}

export function takeSnapshot(repos: Iterable<RepositoryState>, assets: Asset[], nextId: number): Snapshot {
  const snapshot: Snapshot = { version: 1, nextId, repos: {}, assets };
  for (const repo of repos) {
    snapshot.repos[repo.fullName.toLowerCase()] = {
      immutableReleases: repo.immutableReleases,
      releases: [...repo.releases.values()],
      deployments: [...repo.deployments.values()],
      labels: [...repo.labels.values()],
      immutableTags: [...repo.immutableTags],
      latestReleaseId: repo.latestReleaseId ?? null,
    };
  }
  return snapshot;
}

/** Restores what a snapshot holds for the repositories served now; returns the assets to keep. */
export function restoreSnapshot(snapshot: Snapshot, repos: Map<string, RepositoryState>): Asset[] {
  if (snapshot.version !== 1) throw new Error(`unsupported state.json version ${String(snapshot.version)}`);
  for (const [name, saved] of Object.entries(snapshot.repos)) {
    const repo = repos.get(name);
    if (repo === undefined) continue;
    repo.immutableReleases = saved.immutableReleases;
    for (const release of saved.releases) repo.releases.set(release.id, release);
    for (const deployment of saved.deployments) repo.deployments.set(deployment.id, deployment);
    for (const label of saved.labels) repo.labels.set(label.name.toLowerCase(), label);
    for (const tag of saved.immutableTags) repo.immutableTags.add(tag);
    repo.latestReleaseId = saved.latestReleaseId ?? undefined;
  }
  return snapshot.assets.filter((asset) => repos.has(asset.repo.toLowerCase()));
}

export async function readSnapshot(dataDir: string): Promise<Snapshot | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(dataDir), 'utf8')) as Snapshot;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes snapshots one at a time; each replaces the file whole. */
export class SnapshotWriter {
  readonly #dataDir: string;
  readonly #lock = new Mutex();

  constructor(dataDir: string) {
    this.#dataDir = dataDir;
  }

  write(snapshot: () => Snapshot): Promise<void> {
    return this.#lock.run(async () => {
      const file = stateFile(this.#dataDir);
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(snapshot()));
      await rename(temporary, file);
    });
  }
}
