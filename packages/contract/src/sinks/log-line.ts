/**
 * The log sink. The runner reads a workflow command from any line of a
 * step's output that starts with `::` (after leading spaces), and the older
 * `##[command]` form anywhere in a line. Text from a release, the API or an
 * archive therefore goes to the log through logText: it stays on one line,
 * and a `::` or `##[` in it is broken with an escape, so wherever the text
 * lands in the line it cannot start a command. `%0A` needs nothing: the
 * runner decodes it only inside a command's own data, which @actions/core
 * escapes (`%` as `%25`).
 */
import { visibleText } from './visible.ts';

export function logText(value: string): string {
  return visibleText(value).replace(/::/g, ':\\u{3a}').replace(/##\[/g, '#\\u{23}[');
}
