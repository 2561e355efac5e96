/**
 * The build stage's work: run the user's build command, find what it made,
 * and pack it into one archive named after its digest.
 */
import { mkdir, realpath, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import * as exec from '@actions/exec';
import { type Entry, archiveMtime, collectEntries, packArchive } from '@build-release-run/archive';
import {
  ConfigurationError,
  type Digest,
  artifactNameForDigest,
  isInside,
  shortDigest,
} from '@build-release-run/contract';
import type { BuildInputs } from './inputs.ts';

import { selectPaths } from './select-paths.ts';

export interface BuildResult {
  digest: Digest;
  archive: string;
  artifactName: string;
  size: number;
  files: number;
  entries: Entry[];
  root: string;
}

export async function runBuildCommand(inputs: BuildInputs): Promise<void> {
  if (inputs.run === undefined) return;
  const exists = await stat(inputs.workingDirectory).catch(() => undefined);
  if (!exists?.isDirectory()) {
    throw new ConfigurationError(
      `Input 'working-directory': '${path.relative(inputs.workspace, inputs.workingDirectory) || '.'}' is not a folder in the workspace. Create it first or fix the path.`,
    );
  }
  // The same shell GitHub uses for `run:` steps: errors and failed pipes stop it.
  const code = await exec.exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', inputs.run], {
    cwd: inputs.workingDirectory,
    ignoreReturnCode: true,
  });
  if (code !== 0) {
    throw new ConfigurationError(
      `Input 'run': the build command exited with code ${code} (its output is above). Fix the command; nothing was packed.`,
    );
  }
}

/** Finds the files the `path` patterns select and the root they are packed relative to. */
export async function findBuildOutput(inputs: BuildInputs): Promise<{ root: string; entries: Entry[] }> {
  const { root, paths } = await selectPaths(inputs.patterns, inputs.workspace);
  if (paths.length === 0) {
    throw new ConfigurationError(
      `Input 'path' matched nothing in '${inputs.workingDirectory}' (patterns: ${inputs.patterns.join(', ')}). Check that the build ran and wrote its output there.`,
    );
  }
  const workspaceReal = await realpath(inputs.workspace);
  if (!isInside(workspaceReal, await realpath(root))) {
    throw new ConfigurationError(
      `Input 'path' resolves to '${root}', outside the workspace (${inputs.workspace}), through a symlink. List the real folder inside the checkout.`,
    );
  }
  return { root, entries: await collectEntries(root, paths, 'path') };
}

export async function packBuild(inputs: BuildInputs, root: string, entries: Entry[]): Promise<BuildResult> {
  await mkdir(inputs.outputDirectory, { recursive: true });
  const unnamed = path.join(inputs.outputDirectory, `${inputs.name}.${process.pid}.${inputs.format}`);
  const packed = await packArchive({
    entries,
    format: inputs.format,
    mtime: archiveMtime(),
    output: unnamed,
    inputName: 'path',
  });
  const archive = path.join(inputs.outputDirectory, `${inputs.name}-${shortDigest(packed.digest)}.${inputs.format}`);
  await rename(unnamed, archive);
  return { ...packed, archive, artifactName: artifactNameForDigest(packed.digest), entries, root };
}
