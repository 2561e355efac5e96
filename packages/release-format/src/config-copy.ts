/**
 * A copy of config.env in the release body: an HTML comment holding the
 * file's bytes in base64 (which cannot end the comment), written by the
 * release action before its marker. Whoever already holds the release
 * object (the next release, for its config diff and reset guard; deploy,
 * for the config it passes on and the summary's diff) reads the config
 * without downloading the asset.
 *
 * The body stays editable after publishing, so the copy is never taken on
 * its word: a reader uses it only when its sha256 is every digest the
 * release gives config.env (GitHub's own, and release.json's when verified),
 * and downloads the asset otherwise.
 */
import { hiddenText, hideText } from './hidden-text.ts';

/** Larger configs are not copied (the body holds notes up to GitHub's 125,000 characters). */
export const MAX_CONFIG_COPY = 8 * 1024;

const LABEL = 'build-release-run-config.env';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The comment for `configText`, or '' when the config is too large to copy. */
export function renderConfigCopy(configText: string): string {
  const bytes = Buffer.from(configText, 'utf8');
  if (bytes.length > MAX_CONFIG_COPY) return '';
  return hideText(LABEL, bytes.toString('base64'));
}

/** The copied config.env text in a release body, unchecked; undefined when there is none or it is not base64. */
export function configCopyOf(body: string | null | undefined): string | undefined {
  const encoded = hiddenText(body, LABEL);
  if (encoded === undefined || encoded.length % 4 !== 0 || !BASE64.test(encoded)) return undefined;
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length > MAX_CONFIG_COPY) return undefined;
  return bytes.toString('utf8');
}
