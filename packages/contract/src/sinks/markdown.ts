/**
 * The markdown sinks (release notes, job summaries). Untrusted text is shown
 * as a code span (nothing inside one is markup: no link, no HTML, no
 * emphasis) or escaped as plain text; a table cell escapes its pipes; a link
 * is made only to this repository on this server, any other URL is shown as
 * text. Rules from CommonMark 0.31 and GitHub Flavored Markdown 0.29.
 */
import { visibleText } from './visible.ts';

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}

/**
 * A code span: on one line, fenced with one backtick more than the longest
 * run of backticks in the value (so nothing in it can close it), padded with
 * a space where the value starts or ends with a backtick or a space (the one
 * space CommonMark strips from each side).
 */
export function markdownCode(value: string): string {
  const shown = visibleText(value);
  const fence = '`'.repeat(longestRun(shown, '`') + 1);
  const pad = /^[ `]|[ `]$/.test(shown) || shown === '' ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in the text (so no line can close it). */
export function markdownCodeBlock(text: string, info = ''): string {
  const lines = text.split('\n').map((line) => visibleText(line));
  const fence = '`'.repeat(Math.max(3, longestRun(lines.join('\n'), '`') + 1));
  return [`${fence}${info}`, ...lines, fence].join('\n');
}

/**
 * Plain text that renders as itself: every ASCII punctuation character is
 * backslash-escaped (CommonMark allows it for all of them), so no link,
 * autolink (`http\://`, `www\.`, `a\@b`), HTML tag, entity or emphasis can
 * start; line breaks are shown as escapes.
 */
export function markdownText(value: string): string {
  // `|` as an entity: a backslash before it would read differently in GitHub's
  // table parser (cmark-gfm) and in the GFM spec's reference (micromark).
  return visibleText(value).replace(/[!-/:-@[-`{-~]/g, (char) => (char === '|' ? '&#124;' : `\\${char}`));
}

/**
 * A table cell from markdown already rendered for inline use (code spans,
 * escaped text): a `|` would end the cell, even inside a code span, so each
 * is escaped as `\|` (GFM unescapes it inside spans too). After a backslash
 * that escape is ambiguous (`\\|`: cmark-gfm keeps the pipe in the cell, the
 * GFM reference parser ends the cell), so there the pipe is shown as the
 * escape `\u{7c}` instead. A line break would end the row: none is left.
 */
export function markdownTableCell(markdown: string): string {
  return markdown
    .replace(/\r\n|[\r\n]/g, ' ')
    .replace(/(\\?)\|/g, (_match, backslash: string) => (backslash ? '\\\\u{7c}' : '\\|'));
}

/**
 * A link only when `url` is under `allowedBase` (e.g. the repository's page on
 * this server, `https://github.com/octo/app`): same origin, and a path below
 * it. Anything else (another host, `javascript:`, a look-alike prefix such as
 * `…/octo/app-evil`) is shown as plain text.
 */
export function markdownLink(text: string, url: string, allowedBase: string): string {
  const label = markdownText(text);
  let target: URL;
  let base: URL;
  try {
    target = new URL(url);
    base = new URL(allowedBase.replace(/\/*$/, '/'));
  } catch {
    return label;
  }
  const allowed =
    (target.protocol === 'https:' || target.protocol === 'http:') &&
    target.origin === base.origin &&
    target.username === '' &&
    target.password === '' &&
    `${target.pathname}/`.startsWith(base.pathname);
  // The URL's own serialization percent-encodes spaces and quotes; parentheses
  // and angle brackets are encoded too so the destination cannot end early.
  const href = target.href.replace(/[()<>]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return allowed ? `[${label}](${href})` : label;
}
