// Local stand-ins for the three actions every workflow here uses from
// GitHub: actions/checkout, actions/upload-artifact and
// actions/download-artifact, any version or SHA. They take the same inputs
// and give the same outputs as the real ones, on local folders.
import { cp, glob, lstat, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '@build-release-run/contract';
import { formatBytes } from '@build-release-run/progress';
import type { ArtifactStore, UploadEntry } from './artifact-store.ts';

export interface StandInContext {
  workspace: string;
  repoDir: string;
  /** The run's own folder, never copied even when it lies inside the repository. */
  workDir: string;
  repository: string;
  serverUrl: string;
  runId: string;
  store: ArtifactStore;
  info(line: string): void;
  warning(message: string): void;
}

export type StandIn = (inputs: Record<string, string>, context: StandInContext) => Promise<Record<string, string>>;

const STAND_INS: Record<string, StandIn> = {
  'actions/checkout': checkout,
  'actions/upload-artifact': uploadArtifact,
  'actions/download-artifact': downloadArtifact,
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

async function uploadArtifact(
  inputs: Record<string, string>,
  context: StandInContext,
): Promise<Record<string, string>> {
  const pathInput = inputs['path'] ?? '';
  if (pathInput.trim() === '') throw new ConfigurationError('Input required and not supplied: path');
  const archived = (inputs['archive'] ?? 'true') !== 'false';
  const includeHidden = inputs['include-hidden-files'] === 'true';
  const { root, files } = await resolveUploadPaths(context.workspace, pathInput, includeHidden);
  if (files.length === 0) {
    const behaviour = inputs['if-no-files-found'] || 'warn';
    const message = `No files were found with the provided path: ${pathInput}. No artifacts will be uploaded.`;
    if (behaviour === 'error') throw new Error(message);
    if (behaviour === 'warn') context.warning(message);
    else context.info(message);
    return {};
  }
  if (!archived && files.length !== 1) {
    throw new Error(`archive: false uploads exactly one file, but the path matched ${files.length} files.`);
  }
  const name = archived ? inputs['name'] || 'artifact' : path.basename(files[0]!);
  if (!archived && inputs['name'] && inputs['name'] !== 'artifact') {
    context.info(`archive: false: the artifact is named after the file (${name}); the 'name' input is not used.`);
  }
  const entries: UploadEntry[] = files.map((file) => ({
    name: archived ? path.relative(root, file).split(path.sep).join('/') : path.basename(file),
    source: file,
  }));
  const artifact = await context.store.upload(context.runId, name, entries, {
    archived,
    overwrite: inputs['overwrite'] === 'true',
  });
  const url = `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}/artifacts/${artifact.id}`;
  context.info(
    `Artifact ${name} (${files.length} file(s), ${formatBytes(artifact.size)}) uploaded, id ${artifact.id}, digest sha256:${artifact.digest}`,
  );
  return { 'artifact-id': String(artifact.id), 'artifact-url': url, 'artifact-digest': artifact.digest };
}

async function downloadArtifact(
  inputs: Record<string, string>,
  context: StandInContext,
): Promise<Record<string, string>> {
  const runId = inputs['run-id'] || context.runId;
  const target = path.resolve(context.workspace, inputs['path'] || '.');
  const name = inputs['name'] ?? '';
  if (name !== '') {
    const artifact = await context.store.find(runId, name);
    if (!artifact) throw new Error(`Unable to download artifact(s): Artifact not found for name: ${name}`);
    await context.store.download(artifact, target);
    context.info(`Artifact ${name} downloaded to ${target}`);
    return { 'download-path': target };
  }
  let artifacts = await context.store.list(runId);
  const ids = (inputs['artifact-ids'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length > 0) artifacts = artifacts.filter((a) => ids.includes(String(a.id)));
  const pattern = inputs['pattern'] ?? '';
  if (pattern !== '') artifacts = artifacts.filter((a) => path.matchesGlob(a.name, pattern));
  const merge = inputs['merge-multiple'] === 'true';
  for (const artifact of artifacts) {
    await context.store.download(artifact, merge ? target : path.join(target, artifact.name));
  }
  context.info(`${artifacts.length} artifact(s) downloaded to ${target}`);
  return { 'download-path': target };
}
