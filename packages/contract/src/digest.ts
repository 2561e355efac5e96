import { createHash } from 'node:crypto';
import { ConfigurationError } from './errors.ts';
import { quoteRefused } from './names.ts';

/** `sha256:` followed by 64 lowercase hex digits: the identity of a build. */
export type Digest = `sha256:${string}`;

export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export function formatDigest(hex: string): Digest {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`not a sha256 hex digest: ${hex}`);
  return `sha256:${hex}`;
}

export function isDigest(value: string): value is Digest {
  return DIGEST_PATTERN.test(value);
}

/**
 * Reads a digest given by a user: the one parse every side uses (the release
 * action's artifact step included). Surrounding white space is ignored and
 * the whole value is lower-cased, so `SHA256:<HEX>` reads as `sha256:<hex>`;
 * anything else is refused with the fix.
 */
export function parseDigest(value: string, inputName: string): Digest {
  const trimmed = value.trim();
  const normalised = trimmed.toLowerCase();
  if (isDigest(normalised)) return normalised;
  throw new ConfigurationError(
    `Input '${inputName}' must be a build digest of the form sha256:<64 hex digits>, as the build action's 'digest' output gives it; got ${quoteRefused(trimmed)}.`,
  );
}

/** The digest of bytes held in memory (small assets, a registry's manifests). */
export function digestOf(bytes: string | Uint8Array): Digest {
  return formatDigest(createHash('sha256').update(bytes).digest('hex'));
}

/** The hex part of a digest. */
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

/** The first 12 hex digits, enough to tell builds apart in a file name. */
export function shortDigest(digest: Digest): string {
  return digestHex(digest).slice(0, 12);
}

/**
 * The workflow artifact that carries a build between jobs. It is named from
 * the digest alone, so a later job needs nothing else to fetch it. Artifact
 * names may not contain ':', hence the dash.
 */
export function artifactNameForDigest(digest: Digest): string {
  return `build-sha256-${digestHex(digest)}`;
}
