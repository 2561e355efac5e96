/**
 * The one glob engine of path inputs (build's `path`, release's `attach`):
 * @actions/glob, what actions/upload-artifact reads its `path` with, so a
 * line means here what it means there: `*`, `?`, `[...]`, `**`, dotfiles
 * matched, a line starting with '!' excludes, and a later line overrides an
 * earlier one.
 *
 * Lines come in as absolute paths (the input's line resolved against its
 * folder, exclusions keeping their '!'); the workspace's own part is escaped,
 * so glob characters in the runner's folders cannot change what a line means.
 * Links are never followed: a link is a match of its own, for the caller to
 * resolve and check.
 */
import path from 'node:path';
import { type Globber, create } from '@actions/glob';
import { minimatch } from 'minimatch';

export interface PathGlobOptions {
  /** A matched folder brings everything below it (build's `path`); else only what a line names (`attach`). */
  folders: 'with-contents' | 'never';
}

/** A globber over `lines` (absolute, exclusions prefixed with '!'), each rooted at the literal `workspace`. */
export function workspaceGlob(lines: readonly string[], workspace: string, options: PathGlobOptions): Promise<Globber> {
  const root = minimatch.escape(workspace, { magicalBraces: true });
  const rooted = lines.map((line) => {
    const exclude = line.startsWith('!');
    const relative = path
      .relative(workspace, exclude ? line.slice(1) : line)
      .split(path.sep)
      .join('/');
    return `${exclude ? '!' : ''}${root}${relative === '' ? '' : `/${relative}`}`;
  });
  const withContents = options.folders === 'with-contents';
  return create(rooted.join('\n'), {
    followSymbolicLinks: false,
    implicitDescendants: withContents,
    matchDirectories: withContents,
    excludeHiddenFiles: false,
  });
}
