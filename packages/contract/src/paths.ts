/**
 * Path inputs. Every path a user gives an action is resolved against the
 * workspace, symbolic links included, and refused when it lands outside the
 * folders the action may use (the workspace, or the runner's temp folder
 * where that is the point): `config-file: ../outside.env` or
 * `/proc/self/environ` would otherwise be read into a public release asset.
 * Nor may it lie in a root's `.git` folder, which holds the checkout's token.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from './errors.ts';
import { quoteRefused } from './names.ts';

/** Whether `child` is `parent` or below it (lexically; links are not resolved). */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * Whether `child` lies in a `.git` folder below `root` (the workspace's, or a
 * nested clone's): actions/checkout keeps the job's token in `.git/config`
 * (persist-credentials), so nothing there is an input or a build's content.
 */
export function isInGitFolder(root: string, child: string): boolean {
  return isInside(root, child) && path.relative(root, child).split(path.sep).includes('.git');
}

/** The part of a pattern before its first wildcard segment: the folder its matches can be in. */
export function searchPath(pattern: string): string {
  const segments = pattern.split(path.sep);
  const wildcard = segments.findIndex((segment) => /[*?[\]{}]/.test(segment));
  return wildcard === -1 ? pattern : segments.slice(0, wildcard).join(path.sep) || path.sep;
}

/**
 * The real path of `absolute`: links resolved in every part that exists, the
 * rest (a file not written yet) appended as it is.
 */
export function realPathOf(absolute: string): string {
  const missing: string[] = [];
  let existing = path.resolve(absolute);
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = path.dirname(existing);
      // ENOENT: not there yet; ENOTDIR: a file where a folder was expected. Any
      // other error (a loop, no permission) is the input's problem to report.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === existing) throw error;
      missing.push(path.basename(existing));
      existing = parent;
    }
  }
}

export interface AllowedRoot {
  /** An absolute folder. */
  readonly path: string;
  /** How the error names it: "the workspace", "the runner's temp folder". */
  readonly name: string;
}

/** The workspace: where a path input may point. */
export function workspaceRoot(workspace: string): AllowedRoot {
  return { path: workspace, name: 'the workspace' };
}

/** The runner's temp folder: where one step leaves files for the next (the build's archive, a download). */
export function runnerTempRoot(runnerTemp: string): AllowedRoot {
  return { path: runnerTemp, name: "the runner's temp folder" };
}

export interface PathInput {
  /** The input's name, for errors. */
  readonly inputName: string;
  /** What the user wrote (quoted in errors). */
  readonly given: string;
  /** The path to check when it is not `given` itself (the folder a glob searches). */
  readonly target?: string;
  /** The folder a relative path is relative to (usually the workspace). */
  readonly base: string;
  /** Where the resolved path may be; the first is named in the fix. */
  readonly roots: readonly [AllowedRoot, ...AllowedRoot[]];
}

/**
 * The real, absolute path of a path input, or a ConfigurationError naming the
 * input when it resolves (links included) outside every allowed root. The
 * path need not exist yet; its existing part is resolved.
 */
export function resolveInputPath({ inputName, given, target, base, roots }: PathInput): string {
  if (given.includes('\0')) {
    throw new ConfigurationError(`Input '${inputName}' contains a NUL character; give a plain path.`);
  }
  const absolute = path.resolve(base, target ?? given);
  let real: string;
  try {
    real = realPathOf(absolute);
  } catch (error) {
    throw new ConfigurationError(
      `Input '${inputName}': cannot resolve ${quoteRefused(given)} (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a path inside ${roots[0].name}.`,
    );
  }
  for (const root of roots) {
    const rootReal = realPathOf(root.path);
    if (!isInside(rootReal, real)) continue;
    // However a link or a glob reaches it.
    if (isInGitFolder(rootReal, real)) {
      throw new ConfigurationError(
        `Input '${inputName}' is ${quoteRefused(given)}, which is inside a .git folder in ${root.name}, where actions/checkout keeps the job's token. Give a path outside it.`,
      );
    }
    return real;
  }
  const where = real === absolute ? '' : ` (through a symbolic link, to ${quoteRefused(real)})`;
  throw new ConfigurationError(
    `Input '${inputName}' is ${quoteRefused(given)}, which is outside ${roots.map((r) => `${r.name} (${r.path})`).join(' and ')}${where}. Give a path inside ${roots[0].name}.`,
  );
}
