// A composite action: its steps run in a scope of their own, with the
// `inputs` context and no `secrets` or `needs`; its outputs are evaluated
// from `outputs.<id>.value` when its steps are done.
import type { ActionModel, ActionRuns } from './action-file.ts';
import { type Contexts, type Json, coerceToString } from './expressions.ts';
import {
  type JobState,
  type RunEnvironment,
  type StepOutcome,
  type StepResult,
  type StepScope,
  scopeStatus,
} from './run-model.ts';
import type { StepModel } from './step-model.ts';
import { evaluateToken } from './template.ts';

export type CompositeAction = ActionModel & { runs: Extract<ActionRuns, { using: 'composite' }> };

/** Runs a list of steps in a scope (run-steps.ts); passed in, as composite steps are steps like any other. */
export type StepsRunner = (
  run: RunEnvironment,
  job: JobState,
  scope: StepScope,
  steps: readonly StepModel[],
) => Promise<StepResult[]>;

export async function runComposite(
  run: RunEnvironment,
  job: JobState,
  outer: StepScope,
  action: CompositeAction,
  inputs: Record<string, string>,
  envContext: Record<string, string>,
  contexts: Contexts,
  runSteps: StepsRunner,
): Promise<{ outcome: StepOutcome; outputs: Record<string, string>; steps: StepResult[] }> {
  const inputsContext: Record<string, Json> = {};
  for (const [key, value] of Object.entries(inputs)) inputsContext[key] = value;
  // Composite actions see no `secrets` and no `needs`: what they use comes in through inputs.
  const { secrets: _secrets, needs: _needs, ...visible } = contexts;
  void _secrets;
  void _needs;
  const scope: StepScope = {
    contexts: { ...visible, inputs: inputsContext },
    env: envContext,
    steps: {},
    failed: false,
    extraEnv: { ...outer.extraEnv, GITHUB_ACTION_PATH: action.dir },
  };
  const results = await runSteps(run, job, scope, action.runs.steps);
  const outputs: Record<string, string> = {};
  const evaluation = {
    contexts: { ...scope.contexts, env: { ...envContext, ...job.fileEnv }, steps: scope.steps },
    status: scopeStatus(scope),
    workspace: job.workspace,
  };
  for (const output of action.outputs) {
    if (output.value === undefined) continue;
    outputs[output.id] = coerceToString(await evaluateToken(output.value, evaluation));
  }
  return { outcome: scope.failed ? 'failure' : 'success', outputs, steps: results };
}
