// The workflow run's artifact storage as GitHub's runner sees it: a Twirp
// results service (ACTIONS_RESULTS_URL) that node actions reach with their
// ACTIONS_RUNTIME_TOKEN, and blob storage (azurite) behind signed URLs. The
// official @actions/artifact library, and so actions/upload-artifact and
// download-artifact, work against it unchanged.
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import type { BlockBlobClient } from '@azure/storage-blob';
import { ARTIFACT_SERVICE, artifactMethods } from './artifact-methods.ts';
import { type ArtifactRecord, ArtifactRecords } from './artifact-records.ts';
import { type BlobEmulator, startBlobEmulator } from './azurite.ts';
import { BlobStore } from './blob-store.ts';
import { RuntimeTokens, backendIdsFor } from './runtime-token.ts';
import { twirpHandler } from './twirp.ts';

export type { ArtifactRecord } from './artifact-records.ts';

export interface ArtifactService {
  /** ACTIONS_RESULTS_URL. */
  readonly resultsUrl: string;
  /** ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL for a node action of this job. */
  actionEnv(runId: string, jobId: string): Record<string, string>;
  /** The live artifacts of a run, oldest first. */
  list(runId: string): ArtifactRecord[];
  /** The blob holding an artifact's bytes (as uploaded: a zip, or the single file). */
  blob(record: ArtifactRecord): Promise<BlockBlobClient>;
  stop(): Promise<void>;
}

/**
 * Starts the results service with its data under `dir`. Azurite, which takes
 * seconds to start, starts with the first request that needs blob storage,
 * so a run that uploads nothing does not wait for it.
 */
export async function startArtifactService(dir: string): Promise<ArtifactService> {
  let emulator: Promise<BlobEmulator> | undefined;
  let store: Promise<BlobStore> | undefined;
  const blobs = (): Promise<BlobStore> => {
    store ??= (async () => {
      await mkdir(path.join(dir, 'blobs'), { recursive: true });
      emulator = startBlobEmulator(path.join(dir, 'blobs'));
      return BlobStore.open((await emulator).accountUrl);
    })();
    return store;
  };
  const records = await ArtifactRecords.open(dir);
  const tokens = new RuntimeTokens();
  const handler = twirpHandler(ARTIFACT_SERVICE, artifactMethods({ records, blobs, tokens }));
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the results service has no address');
  const resultsUrl = `http://127.0.0.1:${address.port}/`;
  return {
    resultsUrl,
    actionEnv: (runId, jobId) => ({
      ACTIONS_RUNTIME_TOKEN: tokens.issue(backendIdsFor(runId, jobId)),
      ACTIONS_RESULTS_URL: resultsUrl,
    }),
    list: (runId) => records.list(backendIdsFor(runId, '').workflowRunBackendId, new Date()),
    blob: async (record) => (await blobs()).container.getBlockBlobClient(record.blobName),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const started = await emulator?.catch(() => undefined);
      await started?.stop();
    },
  };
}
