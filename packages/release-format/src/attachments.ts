/**
 * Files attached to a release beside its build (the release action's
 * `attach`: an SBOM, a binary for another platform). Their names follow one
 * rule, checked where the release action takes the files and where deploy
 * reads release.json: a narrow name, never one of the release's own assets.
 */
import { ATTACHMENT_NAME, type Digest, isName, nameError } from '@build-release-run/contract';
import { compareNames } from './checksums.ts';
import { CHECKSUMS_ASSET, CONFIG_ASSET, MANIFEST_ASSET } from './names.ts';

export interface ReleaseAttachment {
  /** The asset's name (the file's own name). */
  name: string;
  digest: Digest;
  /** Bytes. */
  size: number;
}

/**
 * Why `name` cannot be an attached asset's name beside a build stored as
 * `buildAsset` (the archive, or the image's manifest asset); undefined: it can.
 */
export function attachmentNameProblem(name: string, buildAsset: string): string | undefined {
  if (!isName(ATTACHMENT_NAME, name)) return nameError(ATTACHMENT_NAME, name, 'the name').replace(/\.$/, '');
  if (name === MANIFEST_ASSET || name === CHECKSUMS_ASSET || name === CONFIG_ASSET || name === buildAsset) {
    return `'${name}' is the name of one of the release's own assets (${[buildAsset, CONFIG_ASSET, MANIFEST_ASSET, CHECKSUMS_ASSET].join(', ')})`;
  }
  return undefined;
}

/** Attachments as release.json lists them: sorted by name (byte order), each name once. */
export function sortAttachments<T extends { name: string }>(attachments: readonly T[]): T[] {
  return [...attachments].sort((a, b) => compareNames(a.name, b.name));
}

/** The first name listed twice, if any. */
export function duplicateName(names: readonly string[]): string | undefined {
  return names.find((name, index) => names.indexOf(name) !== index);
}
