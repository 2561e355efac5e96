/**
 * Finds what the `path` lines select, as upload-artifact users expect (the
 * same engine, action-kit's workspaceGlob): a line is a file, a folder (with
 * everything below it) or a glob; a line starting with '!' removes what it
 * matches (and everything below it), and a later line overrides an earlier
 * one; the packing root is the deepest folder holding every line's search
 * path.
 *
 * Symlinks are never followed. Nothing in a `.git` folder is selected
 * (isInGitFolder). collectEntries stats each entry afterwards.
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { workspaceGlob } from '@build-release-run/action-kit/path-globs';
import { isInGitFolder, isInside } from '@build-release-run/contract';

export interface Selection {
  /** The folder entries are named relative to. */
  root: string;
  /** Absolute paths of everything selected, folders and their contents included. */
  paths: string[];
}

/** `patterns`: absolute, exclusions prefixed with '!' (as BuildInputs holds them). */
export async function selectPaths(patterns: readonly string[], workspace: string): Promise<Selection> {
  const globber = await workspaceGlob(patterns, workspace, { folders: 'with-contents' });
  const paths: string[] = [];
  for await (const found of globber.globGenerator()) {
    // The checkout's token is kept there: never packed, whatever the lines select.
    if (!isInGitFolder(workspace, found)) paths.push(found);
  }
  return { root: await packingRoot(globber.getSearchPaths()), paths };
}

/**
 * Like actions/upload-artifact: the deepest folder holding every search path
 * that exists, so `path: dist` packs dist's contents and several paths keep
 * their layout.
 */
async function packingRoot(searchPaths: readonly string[]): Promise<string> {
  const existing: string[] = [];
  for (const searchPath of searchPaths) {
    if ((await lstat(searchPath).catch(() => undefined)) !== undefined) existing.push(path.resolve(searchPath));
  }
  const [first, ...rest] = existing;
  if (first === undefined) return '';
  let common = first;
  for (const searchPath of rest) {
    while (!isInside(common, searchPath)) common = path.dirname(common);
  }
  const stats = await lstat(common).catch(() => undefined);
  return stats?.isDirectory() ? common : path.dirname(common);
}
