/**
 * The list of changes GitHub generates for a release (`POST
 * /releases/generate-notes`: one bullet per merged pull request). Titles
 * and author names are anyone's text, so the body is never pasted: each
 * bullet is parsed and rendered again through the markdown sinks, with the
 * pull request's link made here, to this repository only. Pure.
 */
import { markdownLink, markdownText } from '@build-release-run/contract';

export interface ChangeEntry {
  title: string;
  author: string;
  number: number;
}

/** At most this many pull requests are listed; the rest are counted. */
const MAX_ENTRIES = 100;

// `* Fix the thing by @octocat in https://github.com/octo/app/pull/12` (GitHub's wording).
const BULLET = /^[*-] (.+) by @([A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?) in \S+\/pull\/([1-9]\d{0,9})$/;

export function parseChangeList(body: string): ChangeEntry[] {
  const entries: ChangeEntry[] = [];
  for (const line of body.split(/\r?\n/)) {
    const match = BULLET.exec(line.trim());
    if (match) entries.push({ title: match[1] as string, author: match[2] as string, number: Number(match[3]) });
  }
  return entries;
}

export function renderChangeList(
  entries: readonly ChangeEntry[],
  since: string | undefined,
  place: { serverUrl: string; repository: string },
): string[] {
  const repo = `${place.serverUrl}/${place.repository}`;
  const lines = [`### Pull requests ${since ? `since ${markdownText(since)}` : 'in this release'}`, ''];
  if (entries.length === 0) lines.push('No pull requests were merged.');
  for (const entry of entries.slice(0, MAX_ENTRIES)) {
    const pull = markdownLink(`#${entry.number}`, `${repo}/pull/${entry.number}`, repo);
    lines.push(`- ${markdownText(entry.title)} by @${markdownText(entry.author)} in ${pull}`);
  }
  if (entries.length > MAX_ENTRIES) lines.push(`- … and ${entries.length - MAX_ENTRIES} more`);
  return lines;
}
