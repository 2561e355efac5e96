/**
 * Input `from-release`: the build of a published release of this repository
 * (its archive or image, and its attached files), read through the one
 * reader deploy uses (packages/release-verify, with the same trust inputs),
 * for a new release with this environment's config. Nothing is rebuilt and
 * nothing is signed for the build: the digest is the source's, and its
 * build attestation (made by the build job) is the one deploy verifies.
 */
import path from 'node:path';
import type { Digest, RunContext } from '@build-release-run/contract';
import type { GitHubApi } from '@build-release-run/github-api';
import type { CredentialInputs, ImageRecord } from '@build-release-run/registry';
import {
  type TrustInputs,
  type VerifyLog,
  findRelease,
  readPayload,
  readRelease,
} from '@build-release-run/release-verify';
import type { VerifiedArchive } from './archive-file.ts';
import type { AttachedAsset } from './release-assets.ts';

export interface FromReleaseInputs {
  tag: string;
  /** Input 'digest' given beside it: the build the source must carry. */
  expectedDigest: Digest | undefined;
  trust: TrustInputs;
  registry: CredentialInputs;
}

export interface PromotedBuild {
  digest: Digest;
  archive: VerifiedArchive;
  image: ImageRecord | undefined;
  /** The commit and ref the build was made from, as the source release records them. */
  commit: string;
  ref: string;
  /** The reusable build workflow the source release says built it. */
  builder: string | undefined;
  attachments: AttachedAsset[];
  from: { tag: string; environment: string };
}

/** Everything checked before this returns; `workDir` holds the verified files until they are uploaded. */
export async function takeFromRelease(
  api: GitHubApi,
  inputs: FromReleaseInputs,
  context: RunContext & { token: string },
  env: NodeJS.ProcessEnv,
  workDir: string,
  log: VerifyLog,
): Promise<PromotedBuild> {
  const release = await findRelease(api, inputs.tag, 'from-release');
  const verified = await readRelease(api, release, {
    trust: inputs.trust,
    expectedDigest: inputs.expectedDigest,
    registry: { given: inputs.registry, actor: context.actor, token: context.token },
    context,
    env,
    workDir,
    log,
  });
  const { manifest, image } = verified;
  const payload = image ?? (await readPayload(api, verified, workDir));
  log.info(`Verified ${release.tag_name} (${manifest.environment}): build ${manifest.build.digest}`);
  return {
    digest: manifest.build.digest,
    archive: {
      file: payload.archiveFile,
      name: manifest.build.archive,
      format: manifest.build.format,
      size: manifest.build.size,
    },
    image: manifest.image,
    commit: manifest.build.commit,
    ref: manifest.build.ref,
    builder: manifest.build.builder,
    attachments: (manifest.attachments ?? []).map((attachment) => ({
      ...attachment,
      file: path.join(payload.assetsDir, attachment.name),
    })),
    from: { tag: release.tag_name, environment: manifest.environment },
  };
}
