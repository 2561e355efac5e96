// The local stand-in for actions/checkout, any version or SHA: it takes the
// same inputs and gives the same outputs as the real one, on local folders.
// actions/upload-artifact and download-artifact are run as node actions over
// the same @actions/artifact library as the real ones (stand-in-actions/).
import { cp, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '@build-release-run/contract';

export interface StandInContext {
  workspace: string;
  repoDir: string;
  /** The run's own folder, never copied even when it lies inside the repository. */
  workDir: string;
  repository: string;
  serverUrl: string;
  runId: string;
  info(line: string): void;
  warning(message: string): void;
}

export type StandIn = (inputs: Record<string, string>, context: StandInContext) => Promise<Record<string, string>>;

const STAND_INS: Record<string, StandIn> = {
  'actions/checkout': checkout,
};

/** The stand-in for `uses: actions/<name>@<ref>`, or undefined. */
export function standInFor(uses: string): StandIn | undefined {
  const at = uses.indexOf('@');
  if (at < 0) return undefined;
  return STAND_INS[uses.slice(0, at).toLowerCase()];
}

function within(root: string, relative: string, inputName: string): string {
  const target = path.resolve(root, relative);
  if (target !== root && !target.startsWith(root + path.sep)) {
    throw new ConfigurationError(`Input '${inputName}' (${relative}) must stay under the workspace ${root}.`);
  }
  return target;
}

/**
 * A copy of the local repository in the workspace (or under `path`). The
 * working tree is copied as it is, uncommitted changes included, so a test
 * runs the files it sees; `node_modules` folders are linked, not copied, and
 * `.git` is left out.
 */
async function checkout(inputs: Record<string, string>, context: StandInContext): Promise<Record<string, string>> {
  const wanted = inputs['repository'];
  if (wanted && wanted !== context.repository) {
    throw new ConfigurationError(
      `actions/checkout stand-in can only check out this repository (${context.repository}), not '${wanted}'.`,
    );
  }
  const target = within(context.workspace, inputs['path'] || '.', 'path');
  if (inputs['clean'] !== 'false') {
    await rm(target, { recursive: true, force: true });
  }
  await mkdir(target, { recursive: true });
  const source = path.resolve(context.repoDir);
  await copyRepository(source, target, [context.workDir]);
  context.info(`Copied ${source} into ${target}`);
  return { ref: inputs['ref'] ?? '', commit: '' };
}

/**
 * Copies a working tree: `.git` left out, `node_modules` folders linked
 * rather than copied, and the excluded folders (the run's own, when it lies
 * inside the repository) skipped.
 */
export async function copyRepository(source: string, target: string, exclude: string[] = []): Promise<void> {
  const root = path.resolve(source);
  const skipped = [...exclude, target].map((p) => path.resolve(p));
  const links: string[] = [];
  const filter = (from: string): boolean => {
    const resolved = path.resolve(from);
    if (skipped.includes(resolved)) return false;
    const name = path.basename(resolved);
    if (name === '.git' && path.dirname(resolved) === root) return false;
    if (name === 'node_modules') {
      links.push(resolved);
      return false;
    }
    return true;
  };
  // fs.cp refuses a destination inside its source even when a filter would
  // skip it, so folders that hold an excluded path are walked, not copied whole.
  const copyDir = async (dir: string): Promise<void> => {
    await mkdir(path.join(target, path.relative(root, dir)), { recursive: true });
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const from = path.join(dir, entry.name);
      if (!filter(from)) continue;
      const holdsSkipped = skipped.some((s) => s.startsWith(from + path.sep));
      if (entry.isDirectory() && holdsSkipped) await copyDir(from);
      else
        await cp(from, path.join(target, path.relative(root, from)), {
          recursive: true,
          filter,
          verbatimSymlinks: true,
        });
    }
  };
  await copyDir(root);
  for (const from of links) {
    const to = path.join(target, path.relative(root, from));
    await mkdir(path.dirname(to), { recursive: true });
    await symlink(from, to);
  }
}
