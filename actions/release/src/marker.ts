/**
 * Every release this action makes carries, at the end of its body, an HTML
 * comment (invisible on the release page) saying which run made it from what.
 * It lets a re-run find its own draft, and a later release find the previous
 * release of the same environment, from one page of the releases list,
 * without downloading anything.
 */
import { type Digest, isDigest } from '@build-release-run/contract';

export interface ReleaseMarker {
  /** GITHUB_RUN_ID of the run that made the release. */
  run: string;
  /** Attempt that created it: with createdAt, a resumed run rebuilds byte-identical assets. */
  attempt: string;
  environment: string;
  digest: Digest;
  config: Digest;
  commit: string;
  createdAt: string;
  previous: { tag: string; buildDigest: Digest; commit: string } | null;
}

const PREFIX = '<!-- build-release-run ';
const SUFFIX = ' -->';

export function renderMarker(marker: ReleaseMarker): string {
  // JSON.stringify escapes nothing that could end the comment except "-->",
  // which the values we put here (digests, ids, an environment name) cannot hold.
  return `${PREFIX}${JSON.stringify(marker).replaceAll('-->', '--\\u003e')}${SUFFIX}`;
}

export function parseMarker(body: string | null | undefined): ReleaseMarker | undefined {
  if (!body) return undefined;
  const start = body.lastIndexOf(PREFIX);
  if (start < 0) return undefined;
  const end = body.indexOf(SUFFIX, start + PREFIX.length);
  if (end < 0) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body.slice(start + PREFIX.length, end));
  } catch {
    return undefined;
  }
  const m = value as Partial<ReleaseMarker>;
  const strings = [m.run, m.attempt, m.environment, m.commit, m.createdAt];
  if (!strings.every((s) => typeof s === 'string')) return undefined;
  if (typeof m.digest !== 'string' || !isDigest(m.digest) || typeof m.config !== 'string' || !isDigest(m.config)) {
    return undefined;
  }
  if (m.previous !== null && (typeof m.previous !== 'object' || typeof m.previous.tag !== 'string')) return undefined;
  return m as ReleaseMarker;
}
