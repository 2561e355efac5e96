/**
 * Finds what the `path` lines select, as upload-artifact users expect: a line
 * is a file, a folder (with everything below it) or a glob; a line starting
 * with '!' removes what it matches (and everything below it); the packing
 * root is the deepest folder holding every line's search path.
 *
 * One readdir walk per search path and no stat calls: collectEntries stats
 * each entry once afterwards. Symlinks are never followed. Nothing in a
 * `.git` folder is selected (isInGitFolder).
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { walk } from '@build-release-run/archive';
import { minimatch } from 'minimatch';
import { isInGitFolder, isInside, searchPath } from '@build-release-run/contract';

export interface Selection {
  /** The folder entries are named relative to. */
  root: string;
  /** Absolute paths of everything selected, folders and their contents included. */
  paths: string[];
}

// Patterns are matched against paths relative to the workspace, so a
// workspace path with glob characters in it cannot change their meaning.
const MATCH_OPTIONS = { dot: true, nocomment: true, nonegate: true } as const;

/** `patterns`: absolute, exclusions prefixed with '!' (as BuildInputs holds them). */
export async function selectPaths(patterns: readonly string[], workspace: string): Promise<Selection> {
  const includes = patterns.filter((pattern) => !pattern.startsWith('!'));
  const excludes = patterns
    .filter((pattern) => pattern.startsWith('!'))
    .map((pattern) => relativePattern(workspace, pattern.slice(1)));
  const excluded = (relative: string) =>
    excludes.some(
      (exclude) => minimatch(relative, exclude, MATCH_OPTIONS) || minimatch(relative, `${exclude}/**`, MATCH_OPTIONS),
    );

  const selected = new Set<string>();
  const searchPaths: string[] = [];
  for (const pattern of includes) {
    const base = searchPath(pattern);
    const stats = await lstat(base).catch(() => undefined);
    if (stats === undefined) continue;
    searchPaths.push(base);
    const glob = base === pattern ? undefined : relativePattern(workspace, pattern);
    const below: string[] = stats.isDirectory() ? await walk(base) : [];
    // A matched folder brings everything below it; `inside` tracks the
    // matched folder the walk is currently in (the walk lists parents first).
    let inside: string | undefined;
    for (const candidate of [base, ...below]) {
      // The checkout's token is kept there: never packed, whatever the lines select.
      if (isInGitFolder(workspace, candidate)) continue;
      if (inside !== undefined && !isInside(inside, candidate)) inside = undefined;
      const relative = path.relative(workspace, candidate).split(path.sep).join('/');
      const matched = inside !== undefined || glob === undefined || minimatch(relative, glob, MATCH_OPTIONS);
      if (!matched || excluded(relative)) continue;
      selected.add(candidate);
      if (glob !== undefined && inside === undefined) inside = candidate;
    }
  }
  return { root: await packingRoot(searchPaths), paths: [...selected] };
}

function relativePattern(workspace: string, absolute: string): string {
  return path.relative(workspace, absolute).split(path.sep).join('/');
}

/**
 * Like actions/upload-artifact: the deepest folder holding every search path,
 * so `path: dist` packs dist's contents and several paths keep their layout.
 */
async function packingRoot(searchPaths: string[]): Promise<string> {
  if (searchPaths.length === 0) return '';
  let common = path.resolve(searchPaths[0] as string);
  for (const searchPath of searchPaths.slice(1)) {
    while (!isInside(common, path.resolve(searchPath))) common = path.dirname(common);
  }
  const stats = await lstat(common).catch(() => undefined);
  return stats?.isDirectory() ? common : path.dirname(common);
}
