/**
 * Fetches this run's build artifact by its digest; release-format's
 * build-files checks its bytes against the digest before anything is created.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasArtifactStorage } from '@build-release-run/action-kit';
import type { Deadline } from '@build-release-run/github-api';
import { ConfigurationError, type Digest, artifactNameForDigest } from '@build-release-run/contract';

export type { VerifiedArchive } from '@build-release-run/release-format';

/** This run's build artifact (named from the digest), downloaded under RUNNER_TEMP; the folder it is in. */
export async function downloadBuild(digest: Digest, env: NodeJS.ProcessEnv, deadline?: Deadline): Promise<string> {
  if (!hasArtifactStorage(env)) {
    throw new ConfigurationError(
      "Input 'archive' is empty and this step has no artifact storage to fetch the build from (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set, as in a `run:` step or outside a runner): give 'archive', the build action's 'archive' output.",
    );
  }
  const folder = path.join(env['RUNNER_TEMP'] || tmpdir(), 'build-release-run', artifactNameForDigest(digest));
  await rm(folder, { recursive: true, force: true });
  const { downloadBuildArtifact } = await import('@build-release-run/action-kit/build-artifact');
  await downloadBuildArtifact(digest, folder, deadline);
  return folder;
}
