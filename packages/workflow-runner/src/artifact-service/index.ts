// The workflow run's artifact storage as GitHub's runner sees it: a Twirp
// results service (ACTIONS_RESULTS_URL) that node actions reach with their
// ACTIONS_RUNTIME_TOKEN, and blob storage (azurite) behind signed URLs. The
// official @actions/artifact library, and so actions/upload-artifact and
// download-artifact, work against it unchanged.
import { mkdir } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import path from 'node:path';
import type { BlockBlobClient } from '@azure/storage-blob';
import { ARTIFACT_SERVICE, artifactMethods } from './artifact-methods.ts';
import { type ArtifactRecord, ArtifactRecords } from './artifact-records.ts';
import { startBlobEmulator } from './azurite.ts';
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
  blob(record: ArtifactRecord): BlockBlobClient;
  stop(): Promise<void>;
}

/** Starts the results service and azurite with their data under `dir`. */
export async function startArtifactService(dir: string): Promise<ArtifactService> {
  await mkdir(path.join(dir, 'blobs'), { recursive: true });
  const emulator = await startBlobEmulator(path.join(dir, 'blobs'));
  let server: Server | undefined;
  try {
    const blobs = await BlobStore.open(emulator.accountUrl);
    const records = await ArtifactRecords.open(dir);
    const tokens = new RuntimeTokens();
    const handler = twirpHandler(ARTIFACT_SERVICE, artifactMethods({ records, blobs, tokens }));
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('the results service has no address');
    const resultsUrl = `http://127.0.0.1:${address.port}/`;
    const running = server;
    return {
      resultsUrl,
      actionEnv: (runId, jobId) => ({
        ACTIONS_RUNTIME_TOKEN: tokens.issue(backendIdsFor(runId, jobId)),
        ACTIONS_RESULTS_URL: resultsUrl,
      }),
      list: (runId) => records.list(backendIdsFor(runId, '').workflowRunBackendId, new Date()),
      blob: (record) => blobs.container.getBlockBlobClient(record.blobName),
      async stop() {
        running.closeAllConnections();
        await new Promise<void>((resolve) => running.close(() => resolve()));
        await emulator.stop();
      },
    };
  } catch (error) {
    server?.close();
    await emulator.stop();
    throw error;
  }
}
