/**
 * An image release, checked before its build is used (deploy: before a
 * deployment is created; release: before it is promoted):
 * the release's manifest asset (verified like an archive: GitHub's digest,
 * SHA256SUMS, release.json) must be what the registry still serves under
 * the released digest, and every blob it references (config and layers, of
 * each platform) must be there. Nothing is looked up by tag, so a tag moved
 * since changes nothing; the command gets RELEASE_IMAGE pinned by digest and
 * nothing is unpacked.
 */
import { readFile } from 'node:fs/promises';
import { ConfigurationError, logText } from '@build-release-run/contract';
import type { GitHubApi } from '@build-release-run/github-api';
import {
  type CredentialInputs,
  parseRegistryHost,
  RegistryClient,
  registryCredentials,
  verifyReleasedImage,
} from '@build-release-run/registry';
import type { ReleaseConfig } from '@build-release-run/release-format';
import type { VerifyLog } from './inputs.ts';
import { type VerifiedManifest, readPayload } from './digest-chain.ts';

export interface VerifiedImageRelease {
  config: ReleaseConfig;
  /** RELEASE_IMAGE: `<registry>/<repository>@sha256:…`. */
  pinned: string;
  /** RELEASE_ASSETS_DIR: the attached files, verified. */
  assetsDir: string;
  /** The release's manifest asset on disk (the image's manifest bytes), verified. */
  archiveFile: string;
}

export interface RegistryAccess {
  given: CredentialInputs;
  actor: string | undefined;
  /** The job's token: ghcr.io's password when no credentials are given. */
  token: string;
}

/**
 * `registry`, `registry-username` / `registry-password`, read always (the
 * registry is known only once the release is read). The release names its
 * registry, so credentials need input `registry`: they go there only.
 */
export function readRegistryInputs(read: (name: string) => string): CredentialInputs {
  const given = { username: read('registry-username').trim(), password: read('registry-password').trim() };
  // Both or neither, checked now (no registry yet, so no ghcr.io default): a half pair fails before anything is fetched.
  registryCredentials('', given, {});
  const registry = read('registry').trim();
  if (registry !== '') return { ...given, registry: parseRegistryHost(registry, 'registry') };
  if (given.password !== '') {
    throw new ConfigurationError(
      "Input 'registry' is empty but 'registry-username' and 'registry-password' are set: name the registry host they are for (e.g. ghcr.io), so that they are never sent to a registry a release names.",
    );
  }
  return given;
}

/** Undefined for an archive release; for an image release, its config and pinned reference, all verified. */
export async function checkImage(
  api: GitHubApi,
  verified: VerifiedManifest,
  workDir: string,
  access: RegistryAccess,
  io: VerifyLog,
): Promise<VerifiedImageRelease | undefined> {
  const { release } = verified;
  const image = verified.manifest.image;
  if (image === undefined) return undefined;
  const payload = await readPayload(api, verified, workDir);
  const credentials = registryCredentials(image.registry, access.given, { actor: access.actor, token: access.token });
  const client = new RegistryClient({
    registry: image.registry,
    ...(credentials === undefined ? {} : { credentials }),
    subject: `The released image of ${release.tag_name}`,
  });
  const checked = await verifyReleasedImage(client, image, await readFile(payload.archiveFile));
  io.info(
    `Verified ${logText(checked.pinned)} in its registry: the released manifest, ${checked.check.manifests} platform manifest(s) and ${checked.check.blobs} blob(s)`,
  );
  return { ...payload, pinned: checked.pinned };
}
