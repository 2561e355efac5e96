/**
 * The build archive as a workflow artifact, through @actions/artifact (the
 * library inside actions/upload-artifact and download-artifact): named from
 * the digest alone (artifactNameForDigest), stored as upload-artifact stores
 * it (a zip with no compression: the archive is compressed already), and
 * checked against the digest the service recorded at upload when it comes
 * back. Its own module (package export `./build-artifact`), imported only
 * when the job has artifact storage (hasArtifactStorage): the client and the
 * Azure SDK are most of a bundle's start-up time, and deploy never needs them.
 *
 * The client takes no abort signal and its service requests have no timeout
 * (toolkit packages/artifact/src/internal/shared/artifact-twirp-client.ts):
 * each call waits under the action's deadline (serviceAnswer), so a service
 * that never answers fails the action at its deadline, saying so.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ArtifactNotFoundError, DefaultArtifactClient } from '@actions/artifact';
import { ConfigurationError, type Digest, artifactNameForDigest } from '@build-release-run/contract';
import type { Deadline } from '@build-release-run/github-api';
import { formatBytes } from '@build-release-run/progress';
import type { ActionLog } from './action-log.ts';
import { serviceAnswer } from './deadline.ts';

const SERVICE = 'the artifact service';

export interface UploadedArtifact {
  name: string;
  id: number;
}

/**
 * `files`: the archive, or an image build's manifest and record; all in one
 * folder. The size is said once, in binary units; how far the upload is,
 * the library says itself (its `Uploaded bytes N` lines, as upload-artifact
 * prints them).
 */
export async function uploadBuildArtifact(
  files: string | readonly string[],
  digest: Digest,
  retentionDays: number | undefined,
  deadline?: Deadline,
  log?: Pick<ActionLog, 'info'>,
): Promise<UploadedArtifact> {
  const client = new DefaultArtifactClient();
  const name = artifactNameForDigest(digest);
  // Same name means same digest means same bytes: replacing an artifact left
  // by an earlier attempt of this job is safe (upload-artifact's `overwrite`).
  try {
    await serviceAnswer(deadline, { service: SERVICE, for: `whether artifact '${name}' exists` }, () =>
      client.deleteArtifact(name),
    );
  } catch (error) {
    if (!(error instanceof ArtifactNotFoundError)) throw error;
  }
  const list = typeof files === 'string' ? [files] : [...files];
  // The zip stores the files as they are: its size is theirs and a few hundred bytes of headers.
  const total = (await Promise.all(list.map(async (file) => (await stat(file)).size))).reduce((a, b) => a + b, 0);
  log?.info(`Uploading the build artifact '${name}' (${formatBytes(total)}).`);
  const { id } = await serviceAnswer(deadline, { service: SERVICE, for: `the upload of artifact '${name}'` }, () =>
    client.uploadArtifact(name, list, path.dirname(list[0] ?? ''), {
      compressionLevel: 0,
      ...(retentionDays === undefined ? {} : { retentionDays }),
    }),
  );
  if (id === undefined) throw new Error(`The artifact service did not return an id for artifact '${name}'.`);
  return { name, id };
}

/** Downloads the build artifact of this workflow run into `directory`; refuses bytes that changed since upload. */
export async function downloadBuildArtifact(digest: Digest, directory: string, deadline?: Deadline): Promise<void> {
  const client = new DefaultArtifactClient();
  const name = artifactNameForDigest(digest);
  let found;
  try {
    found = await serviceAnswer(deadline, { service: SERVICE, for: `where artifact '${name}' is` }, () =>
      client.getArtifact(name),
    );
  } catch (error) {
    if (!(error instanceof ArtifactNotFoundError)) throw error;
    throw new ConfigurationError(
      `Input 'digest': this workflow run has no artifact '${name}'. Run the build action in an earlier job of this run (and list it in 'needs:'), and pass its 'digest' output; or give 'archive'.`,
    );
  }
  const artifact = found.artifact;
  const { digestMismatch } = await serviceAnswer(
    deadline,
    { service: SERVICE, for: `the download of artifact '${name}'` },
    () =>
      client.downloadArtifact(artifact.id, {
        path: directory,
        ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
      }),
  );
  if (digestMismatch) {
    throw new Error(
      `The build artifact '${name}' changed after it was uploaded: the downloaded bytes do not match the digest recorded at upload (${found.artifact.digest}). Nothing was created; re-run the build job.`,
    );
  }
}
