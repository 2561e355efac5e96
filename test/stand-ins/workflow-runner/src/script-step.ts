// A `run:` step: the script written to a file and run by its shell, in the
// step's working directory.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Evaluation, JobState, RunEnvironment, StepOutcome, StepScope } from './run-model.ts';
import { shellCommand } from './shells.ts';
import { processTimeout, runStepProcess } from './step-process.ts';
import type { StepModel } from './step-model.ts';
import { evaluateString } from './template.ts';

export async function runScript(
  run: RunEnvironment,
  job: JobState,
  scope: StepScope,
  step: StepModel,
  evaluation: Evaluation,
  envContext: Record<string, string>,
): Promise<{ outcome: StepOutcome; outputs: Record<string, string> }> {
  const script = await evaluateString(step.run, evaluation);
  const shellName = step.shell ? await evaluateString(step.shell, evaluation) : scope.defaults?.shell;
  const shell = shellCommand(shellName);
  const directory = step.workingDirectory
    ? await evaluateString(step.workingDirectory, evaluation)
    : scope.defaults?.workingDirectory;
  const scriptFile = path.join(job.temp, `${randomUUID()}${shell.extension}`);
  await writeFile(scriptFile, script);
  const { succeeded, outputs } = await runStepProcess(run, job, scope, {
    kind: 'script',
    command: shell.command,
    args: shell.args.map((a) => a.replace('{0}', scriptFile)),
    cwd: directory ? path.resolve(job.workspace, directory) : job.workspace,
    stepId: step.id,
    envContext,
    timeoutMs: await processTimeout(job, step, evaluation),
  });
  return { outcome: succeeded ? 'success' : 'failure', outputs };
}
