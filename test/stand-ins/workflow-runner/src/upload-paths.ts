// upload-artifact's `path` input: files, folders and globs, one per line,
// `!` lines excluding, hidden files left out unless asked for, and the root
// the artifact's paths are relative to (the deepest common folder).
import { glob, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

const GLOB_CHARS = /[*?[\]{}]/;

function isHidden(relative: string): boolean {
  return relative.split(path.sep).some((part) => part.startsWith('.') && part !== '.' && part !== '..');
}

async function filesUnder(dir: string, includeHidden: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (!includeHidden && isHidden(path.relative(dir, full))) continue;
    if (entry.isFile() || entry.isSymbolicLink()) out.push(full);
  }
  return out;
}

function commonAncestor(dirs: string[]): string {
  let common = dirs[0]!.split(path.sep);
  for (const dir of dirs.slice(1)) {
    const parts = dir.split(path.sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(path.sep) || path.sep;
}

/** Resolves upload-artifact's `path` lines (files, folders, globs, `!` exclusions) as the action does. */
export async function resolveUploadPaths(
  workspace: string,
  pathInput: string,
  includeHidden: boolean,
): Promise<{ root: string; files: string[] }> {
  const lines = pathInput
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const includes = lines.filter((l) => !l.startsWith('!'));
  const excludes = lines.filter((l) => l.startsWith('!')).map((l) => path.resolve(workspace, l.slice(1)));
  const files = new Set<string>();
  const roots: string[] = [];
  for (const line of includes) {
    const absolute = path.resolve(workspace, line);
    if (!GLOB_CHARS.test(line)) {
      const stats = await lstat(absolute).catch(() => undefined);
      if (!stats) continue;
      if (stats.isDirectory()) {
        roots.push(absolute);
        for (const file of await filesUnder(absolute, includeHidden)) files.add(file);
      } else {
        roots.push(path.dirname(absolute));
        files.add(absolute);
      }
      continue;
    }
    const parts = absolute.split(path.sep);
    const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
    const base = parts.slice(0, firstGlob).join(path.sep) || path.sep;
    roots.push(base);
    for await (const match of glob(absolute)) {
      if (!includeHidden && isHidden(path.relative(base, match))) continue;
      const stats = await lstat(match);
      if (stats.isDirectory()) for (const file of await filesUnder(match, includeHidden)) files.add(file);
      else files.add(match);
    }
  }
  const kept = [...files].filter((file) => !excludes.some((e) => file === e || path.matchesGlob(file, e))).sort();
  return { root: roots.length > 0 ? commonAncestor(roots) : workspace, files: kept };
}
