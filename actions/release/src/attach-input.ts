/**
 * Input `attach`: files that become release assets beside the build. Each
 * line is a path or glob relative to the workspace, read by the same engine
 * as build's `path` (action-kit's workspaceGlob: upload-artifact's globs);
 * a line names files, never a folder's contents. Its search folder and
 * every match (links resolved) must lie inside the workspace, by the
 * contract's one path rule. An asset is named after its file, so two files
 * of one name, or a name the release uses itself, are refused here.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { workspaceGlob } from '@build-release-run/action-kit/path-globs';
import {
  ConfigurationError,
  quoteRefused,
  resolveInputPath,
  searchPath,
  workspaceRoot,
} from '@build-release-run/contract';
import { attachmentNameProblem, duplicateName, sortAttachments } from '@build-release-run/release-format';

export interface AttachedFile {
  name: string;
  /** Absolute, real. */
  file: string;
}

const INPUT = 'attach';

/** The files `attach` names, sorted by asset name; empty when the input is. */
export async function readAttachInput(text: string, workspace: string): Promise<AttachedFile[]> {
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const roots = [workspaceRoot(workspace)] as const;
  const found = new Map<string, AttachedFile>();
  const names: string[] = [];
  for (const pattern of patterns) {
    // The folder the glob searches, checked before anything is listed.
    resolveInputPath({
      inputName: INPUT,
      given: pattern,
      target: searchPath(path.resolve(workspace, pattern)),
      base: workspace,
      roots,
    });
    let matched = 0;
    const globber = await workspaceGlob([path.resolve(workspace, pattern)], workspace, { folders: 'never' });
    for await (const item of globber.globGenerator()) {
      const match = path.relative(workspace, item);
      const file = resolveInputPath({ inputName: INPUT, given: match, base: workspace, roots });
      if (!(await stat(file)).isFile()) continue;
      matched += 1;
      // A file two lines select is attached once.
      if (found.has(file)) continue;
      const name = path.basename(match);
      found.set(file, { name, file });
      names.push(name);
    }
    if (matched === 0) {
      throw new ConfigurationError(
        `Input '${INPUT}': ${quoteRefused(pattern)} matches no file in the workspace. Build the file first, or remove the line.`,
      );
    }
  }
  const twice = duplicateName(names);
  if (twice !== undefined) {
    throw new ConfigurationError(
      `Input '${INPUT}' selects two files named ${quoteRefused(twice)}; each becomes an asset named after its file, so the names must differ.`,
    );
  }
  for (const name of names) {
    // The build's own asset is checked once it is known (checkAttachedNames); here, the fixed names.
    const problem = attachmentNameProblem(name, '');
    if (problem !== undefined) throw new ConfigurationError(`Input '${INPUT}': ${problem}.`);
  }
  return sortAttachments([...found.values()]);
}

/** Refuses an attached file named like the build's own asset (the archive, or the image's manifest). */
export function checkAttachedNames(files: readonly AttachedFile[], buildAsset: string): void {
  for (const { name } of files) {
    const problem = attachmentNameProblem(name, buildAsset);
    if (problem !== undefined) throw new ConfigurationError(`Input '${INPUT}': ${problem}.`);
  }
}
