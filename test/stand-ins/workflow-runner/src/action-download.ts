// Where a `uses:` action's files come from: `./path` in the workspace, or a
// mapped repository's folder copied into the run's actions folder, as the
// runner downloads `owner/repo@ref` once per run.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '@build-release-run/contract';
import { type ActionModel, readAction } from './action-file.ts';
import type { ActionReference } from './action-reference.ts';
import type { JobState, RunEnvironment } from './run-model.ts';
import { copyRepository } from './standins.ts';

/** The action a local, bundled or mapped reference names, read from its action.yml. */
export async function loadAction(
  run: RunEnvironment,
  job: JobState,
  reference: Exclude<ActionReference, { kind: 'stand-in' }>,
): Promise<ActionModel> {
  const dir =
    reference.kind === 'local'
      ? path.resolve(job.workspace, reference.path)
      : reference.kind === 'bundled'
        ? reference.dir
        : path.join(await downloadAction(run, reference.repository, reference.dir, reference.ref), reference.path);
  try {
    return await readAction(dir);
  } catch (error) {
    if (reference.kind === 'local' && error instanceof ConfigurationError && /No action\.yml/.test(error.message)) {
      throw new ConfigurationError(
        `Can't find 'action.yml' or 'action.yaml' under '${dir}'. Did you forget to run actions/checkout before running your local action?`,
      );
    }
    throw error;
  }
}

async function downloadAction(run: RunEnvironment, repository: string, source: string, ref: string): Promise<string> {
  const target = path.join(run.actions.dir, ...repository.split('/'), ref.replace(/[^\w.-]/g, '_'));
  if (!run.actions.downloaded.has(target)) {
    run.actions.downloaded.add(target);
    await rm(target, { recursive: true, force: true });
    await copyRepository(path.resolve(source), target, [run.paths.workDir]);
  }
  return target;
}

export function unsupportedUses(uses: string): ConfigurationError {
  return new ConfigurationError(
    `'uses: ${uses}' is not supported by the local runner. It runs local actions by path ('./actions/build', './'), ` +
      'actions of repositories mapped to a local folder (actionRepositories), ' +
      'and stands in for actions/checkout, actions/upload-artifact and actions/download-artifact.',
  );
}
