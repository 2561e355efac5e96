// The files a step writes its file commands to (GITHUB_OUTPUT, GITHUB_ENV,
// GITHUB_PATH, GITHUB_STATE, GITHUB_STEP_SUMMARY): created empty before the
// step, read into the job after it (file-commands.ts parses them).
import { randomUUID } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseKeyValueFile, parsePathFile } from './file-commands.ts';
import { annotate } from './job-log.ts';
import type { JobState, RunEnvironment } from './run-model.ts';

/** GitHub limits a step summary to 1 MiB; a larger one is dropped with an error. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

export interface CommandFiles {
  GITHUB_OUTPUT: string;
  GITHUB_ENV: string;
  GITHUB_PATH: string;
  GITHUB_STATE: string;
  GITHUB_STEP_SUMMARY: string;
}

/** The folder under the job's temp folder where the runner puts them. */
export function commandFilesDir(temp: string): string {
  return path.join(temp, '_runner_file_commands');
}

export async function createCommandFiles(job: JobState): Promise<CommandFiles> {
  const id = randomUUID();
  const dir = commandFilesDir(job.temp);
  const files = {
    GITHUB_OUTPUT: path.join(dir, `set_output_${id}`),
    GITHUB_ENV: path.join(dir, `set_env_${id}`),
    GITHUB_PATH: path.join(dir, `add_path_${id}`),
    GITHUB_STATE: path.join(dir, `save_state_${id}`),
    GITHUB_STEP_SUMMARY: path.join(dir, `step_summary_${id}`),
  };
  for (const file of Object.values(files)) await writeFile(file, '');
  return files;
}

/** Reads what the step wrote to its command files into the job; returns its outputs and state. */
export async function collectCommandFiles(
  run: RunEnvironment,
  job: JobState,
  files: CommandFiles,
): Promise<{ outputs: Record<string, string>; state: Record<string, string> }> {
  const outputs = parseKeyValueFile(await readFile(files.GITHUB_OUTPUT, 'utf8'), 'GITHUB_OUTPUT');
  const env = parseKeyValueFile(await readFile(files.GITHUB_ENV, 'utf8'), 'GITHUB_ENV');
  for (const [name, value] of Object.entries(env)) {
    if (name === 'NODE_OPTIONS') {
      annotate(run, job, 'warning', 'Setting NODE_OPTIONS through GITHUB_ENV is ignored by the runner.');
      continue;
    }
    job.fileEnv[name] = value;
  }
  for (const dir of parsePathFile(await readFile(files.GITHUB_PATH, 'utf8'))) job.pathPrepends.unshift(dir);
  const state = parseKeyValueFile(await readFile(files.GITHUB_STATE, 'utf8'), 'GITHUB_STATE');
  const summarySize = (await stat(files.GITHUB_STEP_SUMMARY)).size;
  if (summarySize > STEP_SUMMARY_LIMIT) {
    annotate(
      run,
      job,
      'error',
      `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k, got ${Math.ceil(summarySize / 1024)}k.`,
    );
  } else if (summarySize > 0) {
    job.summary.push(run.masker.mask(await readFile(files.GITHUB_STEP_SUMMARY, 'utf8')));
  }
  return { outputs, state };
}
