/**
 * SHA256SUMS: `<hex>  <name>` lines sorted by name, the text `sha256sum -c`
 * reads (two spaces: text mode, which is what GNU coreutils prints by default).
 */
import type { Digest } from '@build-release-run/contract';
import type { ReleaseManifest } from './manifest.ts';
import { MANIFEST_ASSET } from './names.ts';

export interface Checksum {
  name: string;
  /** 64 lowercase hex digits. */
  sha256: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function formatChecksums(checksums: readonly Checksum[]): string {
  const sorted = [...checksums].sort((a, b) => compareNames(a.name, b.name));
  const seen = new Set<string>();
  let text = '';
  for (const { name, sha256 } of sorted) {
    if (!HEX64.test(sha256)) throw new Error(`not a sha256 hex digest for ${name}: ${sha256}`);
    // sha256sum escapes names with a newline or backslash; asset names never have them.
    if (/[\n\\]/.test(name) || name.length === 0)
      throw new Error(`asset name not allowed in SHA256SUMS: ${JSON.stringify(name)}`);
    if (seen.has(name)) throw new Error(`duplicate name in SHA256SUMS: ${name}`);
    seen.add(name);
    text += `${sha256}  ${name}\n`;
  }
  return text;
}

/** Reads SHA256SUMS; accepts the binary-mode marker `*` too. Throws on any malformed line. */
export function parseChecksums(text: string): Checksum[] {
  const result: Checksum[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, index) => {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) throw new Error(`SHA256SUMS line ${index + 1} is not '<sha256 hex>  <name>'`);
    const name = match[2] as string;
    if (seen.has(name)) throw new Error(`SHA256SUMS names ${name} twice`);
    seen.add(name);
    result.push({ sha256: match[1] as string, name });
  });
  return result;
}

/** Byte order, so every machine and locale sorts the same way. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * The lines of the SHA256SUMS a release's manifest implies: the build
 * archive, the config and each attachment with the digest release.json
 * gives it, and release.json itself. The release action writes exactly
 * `formatChecksums` of these, so SHA256SUMS is a function of release.json
 * and can be checked against GitHub's digest of it without being read.
 */
export function releaseChecksums(manifest: ReleaseManifest, manifestDigest: Digest): Checksum[] {
  const line = (name: string, digest: string): Checksum => ({ name, sha256: digest.slice('sha256:'.length) });
  return [
    line(manifest.build.archive, manifest.build.digest),
    line(manifest.config.asset, manifest.config.digest),
    line(MANIFEST_ASSET, manifestDigest),
    ...(manifest.attachments ?? []).map((attachment) => line(attachment.name, attachment.digest)),
  ];
}
