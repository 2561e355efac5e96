/**
 * The build stage's work: run the user's build command, find what it made,
 * and pack it into one archive named after its digest.
 */
import { mkdir, realpath, rename, stat } from 'node:fs/promises';
import path from 'node:path';
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

export async function runBuildCommand(inputs: BuildInputs, signal?: AbortSignal): Promise<void> {
  if (inputs.run === undefined) return;
  const exists = await stat(inputs.workingDirectory).catch(() => undefined);
  if (!exists?.isDirectory()) {
    throw new ConfigurationError(
      `Input 'working-directory': '${path.relative(inputs.workspace, inputs.workingDirectory) || '.'}' is not a folder in the workspace. Create it first or fix the path.`,
    );
  }
  const { code, signal: killedBy } = await runBash(inputs.run, inputs.workingDirectory, signal);
  if (signal?.aborted) throw signal.reason as Error;
  if (code !== 0) {
    throw new ConfigurationError(
      `Input 'run': the build command ${killedBy ? `was stopped by ${killedBy}` : `exited with code ${code}`} (its output is above). Fix the command; nothing was packed.`,
    );
  }
}

/**
 * The same shell GitHub uses for `run:` steps (errors and failed pipes stop
 * it), its output straight to the step's log. Spawned here rather than
 * through @actions/exec, which takes no signal and does not hand out its
 * child: the deadline must stop the command and everything it started, so
 * it runs in a process group of its own, ended as a whole (SIGTERM) when
 * `signal` aborts or the action itself is told to stop.
 */
async function runBash(
  script: string,
  cwd: string,
  signal: AbortSignal | undefined,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  // Loaded on first use: child_process is a start-up cost a build without `run` need not pay.
  const { spawn } = await import('node:child_process');
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const stopGroup = (): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // The group has ended already.
    }
  };
  signal?.addEventListener('abort', stopGroup, { once: true });
  process.once('SIGTERM', stopGroup).once('SIGINT', stopGroup);
  try {
    return await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, killedBy) => resolve({ code, signal: killedBy }));
    });
  } finally {
    signal?.removeEventListener('abort', stopGroup);
    process.off('SIGTERM', stopGroup).off('SIGINT', stopGroup);
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

export async function packBuild(
  inputs: BuildInputs,
  root: string,
  entries: Entry[],
  onProgress?: (done: number, total: number) => void,
): Promise<BuildResult> {
  await mkdir(inputs.outputDirectory, { recursive: true });
  const unnamed = path.join(inputs.outputDirectory, `${inputs.name}.${process.pid}.${inputs.format}`);
  const packed = await packArchive({
    entries,
    format: inputs.format,
    mtime: archiveMtime(),
    output: unnamed,
    inputName: 'path',
    ...(onProgress ? { onProgress } : {}),
  });
  const archive = path.join(inputs.outputDirectory, `${inputs.name}-${shortDigest(packed.digest)}.${inputs.format}`);
  await rename(unnamed, archive);
  return { ...packed, archive, artifactName: artifactNameForDigest(packed.digest), entries, root };
}
