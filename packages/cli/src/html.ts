/** The HTML sink: release text becomes text, never markup, and only http(s) links. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Control characters other than tab and line breaks (they mean nothing in a
// page), and bidi controls (they would let one tag read as another): dropped.
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text for an HTML element or a quoted attribute value. Control characters are dropped. */
export function escapeHtml(text: string): string {
  return text.replace(CONTROL, '').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
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
