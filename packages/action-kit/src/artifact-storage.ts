/**
 * Whether this step can reach the workflow's artifact storage, and the build
 * artifact's upload as every build ends it: stored, or a line saying why
 * nothing was and which output to pass on instead.
 */
import type { Digest } from '@build-release-run/contract';
import type { Deadline } from '@build-release-run/github-api';
import type { ActionLog } from './action-log.ts';

/**
 * Node actions get ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL from the
 * runner; `run:` steps, composite steps and a plain `node dist/…` do not.
 */
export function hasArtifactStorage(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env['ACTIONS_RUNTIME_TOKEN'] && env['ACTIONS_RESULTS_URL']);
}

export interface BuildArtifactUpload {
  /** The archive, or an image build's manifest and record; all in one folder. */
  files: string | readonly string[];
  digest: Digest;
  retentionDays: number | undefined;
  /** The build output the release takes instead when nothing is uploaded: 'archive' or 'image'. */
  otherwisePass: string;
  deadline?: Deadline;
}

/** Uploads the build artifact when the step has artifact storage; true when it did. */
export async function storeBuildArtifact(
  env: NodeJS.ProcessEnv,
  upload: BuildArtifactUpload,
  log: Pick<ActionLog, 'info'>,
): Promise<boolean> {
  if (!hasArtifactStorage(env)) {
    log.info(
      `No artifact storage in this environment (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set), so nothing was uploaded. Pass the '${upload.otherwisePass}' output to the release action.`,
    );
    return false;
  }
  // Loaded only here: the artifact client and the Azure SDK are most of a bundle's start-up time.
  const { uploadBuildArtifact } = await import('./build-artifact.ts');
  await uploadBuildArtifact(upload.files, upload.digest, upload.retentionDays, upload.deadline, log);
  return true;
}
