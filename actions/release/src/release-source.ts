/**
 * The build a release is made of: the one given (input `digest` with
 * `archive`, `image` or this run's artifact), or the build of a verified
 * release (`from-release`); and the files of `attach`, measured. Everything
 * here is checked before anything is written.
 */
import * as core from '@actions/core';
import { coreLog } from '@build-release-run/action-kit';
import { ConfigurationError, type Digest } from '@build-release-run/contract';
import type { Deadline, GitHubApi } from '@build-release-run/github-api';
import { progressTo } from '@build-release-run/progress';
import { digestFile, duplicateName } from '@build-release-run/release-format';
import type { ImageRecord } from '@build-release-run/registry';
import type { VerifiedArchive } from './archive-file.ts';
import { checkAttachedNames } from './attach-input.ts';
import { takeFromRelease } from './from-release.ts';
import { releaseBuild } from './image-build.ts';
import type { ReleaseInputs, WorkflowContext } from './inputs.ts';
import type { AttachedAsset } from './release-assets.ts';

export interface ReleaseSource {
  digest: Digest;
  archive: VerifiedArchive;
  image: ImageRecord | undefined;
  commit: string;
  /** The reusable build workflow that built it (input 'builder', or the promoted release's). */
  builder: string | undefined;
  attachments: AttachedAsset[];
  /** With `from-release`: the source release and the ref its build was made on. */
  promoted?: { from: { tag: string; environment: string }; ref: string };
}

/** `workDir` holds a promoted build's verified files until they are uploaded. */
export async function releaseSource(
  api: GitHubApi,
  context: WorkflowContext,
  inputs: ReleaseInputs,
  workDir: string,
  deadline?: Deadline,
): Promise<ReleaseSource> {
  if (inputs.fromRelease !== undefined) {
    core.info(`Verifying release ${inputs.fromRelease.tag}, whose build this release promotes`);
    const taken = await takeFromRelease(
      api,
      inputs.fromRelease,
      { ...context, token: inputs.token },
      process.env,
      workDir,
      coreLog,
    );
    checkAttachedNames(inputs.attach, taken.archive.name);
    const attachments = [...taken.attachments, ...(await measure(inputs.attach))];
    const twice = duplicateName(attachments.map((attachment) => attachment.name));
    if (twice !== undefined) {
      throw new ConfigurationError(
        `Input 'attach' selects a file named ${twice}, but ${taken.from.tag} (input 'from-release') already carries an attached file of that name; rename the file or drop the line.`,
      );
    }
    return { ...taken, attachments, promoted: { from: taken.from, ref: taken.ref } };
  }
  const digest = inputs.digest as Digest;
  core.info(`Verifying the build against ${digest}`);
  const { archive, image } = await releaseBuild(
    digest,
    inputs.archive,
    inputs.image,
    process.env,
    progressTo((line) => core.info(line)),
    deadline,
  );
  checkAttachedNames(inputs.attach, archive.name);
  return {
    digest,
    archive,
    image,
    commit: inputs.commit,
    builder: inputs.builder,
    attachments: await measure(inputs.attach),
  };
}

function measure(files: ReleaseInputs['attach']): Promise<AttachedAsset[]> {
  return Promise.all(files.map(async ({ name, file }) => ({ name, file, ...(await digestFile(file)) })));
}
