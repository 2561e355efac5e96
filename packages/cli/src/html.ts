/** The HTML sink: release text becomes text, never markup, and only http(s) links. */
import { codePointEscape, replaceInvisible } from '@build-release-run/contract';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Tabs and line breaks are layout on a page; every other control or
// invisible character (a bidi control would let one tag read as another, a
// zero-width space hide in a name) is shown as a `\u{…}` escape, by the
// sinks' one rule (contract's visible.ts).
const LAYOUT: ReadonlySet<string> = new Set(['\t', '\n', '\r']);

/** Text for an HTML element or a quoted attribute value; invisible characters shown as escapes. */
export function escapeHtml(text: string): string {
  return replaceInvisible(text, codePointEscape, LAYOUT).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** The URL when it is http or https, for an href; undefined otherwise (javascript:, data:, garbage). */
export function safeLink(url: string | undefined | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
