/**
 * Runs an action's `run()` in-process as the runner would: INPUT_* and
 * GITHUB_* variables set, file commands in temporary files, stdout captured.
 * process.env and process.exitCode are restored afterwards.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseKeyValueFile } from '@build-release-run/workflow-runner';

export interface ActionRun {
  outputs: Record<string, string>;
  summary: string;
  /** Everything written to stdout: logs and workflow commands (::error:: …). */
  stdout: string;
  failed: boolean;
  /** The message of the ::error:: command, when the action failed. */
  error: string | undefined;
}

/** Input names as the runner passes them: INPUT_ + upper-cased name, spaces as '_'. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
}

export async function runAction(run: () => Promise<void>, env: Record<string, string | undefined>): Promise<ActionRun> {
  const files = await mkdtemp(path.join(tmpdir(), 'brr-runner-files-'));
  const outputFile = path.join(files, 'output');
  // @actions/core remembers the summary file of its first use, so one file per
  // test process stands for the file a real step would get.
  const summaryFile = path.join(tmpdir(), `brr-step-summary-${process.pid}`);
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');

  const savedEnv = { ...process.env };
  const savedExitCode = process.exitCode;
  const originalWrite = process.stdout.write.bind(process.stdout);
  let stdout = '';
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('INPUT_') || key.startsWith('GITHUB_') || key.startsWith('RUNNER_')) delete process.env[key];
  }
  Object.assign(process.env, { GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile }, env);
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  let failed: boolean;
  // Only this run's outcome counts, not an exit code an earlier test left.
  process.exitCode = undefined;
  try {
    await run();
    failed = process.exitCode === 1;
  } finally {
    process.stdout.write = originalWrite;
    process.exitCode = savedExitCode;
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
  const outputs = parseKeyValueFile(await readFile(outputFile, 'utf8'), 'GITHUB_OUTPUT');
  const summary = await readFile(summaryFile, 'utf8');
  await rm(files, { recursive: true, force: true });
  await rm(summaryFile, { force: true });
  const errorLine = stdout.split('\n').find((line) => line.startsWith('::error::'));
  return {
    outputs,
    summary,
    stdout,
    failed,
    error: errorLine === undefined ? undefined : unescapeCommand(errorLine.slice('::error::'.length)),
  };
}

function unescapeCommand(value: string): string {
  return value.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}
