/**
 * Text the release action hides at the end of its release notes, one HTML
 * comment per kind (`<!-- <label> <text> -->`, invisible on the release
 * page): the marker (marker.ts) and the config copy (config-copy.ts). The
 * text is the writer's to keep free of "-->"; readers take the last comment
 * of their label and check what it holds by their own rules.
 */
const END = ' -->';

export function hideText(label: string, text: string): string {
  return `<!-- ${label} ${text}${END}`;
}

/** The text of the last comment with this label in `body`; undefined when there is none. */
export function hiddenText(body: string | null | undefined, label: string): string | undefined {
  if (!body) return undefined;
  const start = `<!-- ${label} `;
  const at = body.lastIndexOf(start);
  if (at < 0) return undefined;
  const end = body.indexOf(END, at + start.length);
  return end < 0 ? undefined : body.slice(at + start.length, end);
}
