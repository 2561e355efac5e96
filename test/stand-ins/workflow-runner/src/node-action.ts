// A node24 action: `runs.main` with the runner's Node, and its `runs.post`
// registered to run at the end of the job (last registered first).
import path from 'node:path';
import type { ActionModel, ActionRuns } from './action-file.ts';
import { type Contexts, evaluateCondition } from './expressions.ts';
import { recordStepHeader } from './job-log.ts';
import { nodeActionVariables } from './process-env.ts';
import { type JobState, type RunEnvironment, type StepOutcome, type StepScope, scopeStatus } from './run-model.ts';
import { processTimeout, runStepProcess } from './step-process.ts';
import type { StepModel } from './step-model.ts';

export type NodeAction = ActionModel & { runs: Extract<ActionRuns, { using: 'node' }> };

export function isNodeAction(action: ActionModel): action is NodeAction {
  return action.runs.using === 'node';
}

export async function runNodeAction(
  run: RunEnvironment,
  job: JobState,
  scope: StepScope,
  step: StepModel,
  action: NodeAction,
  inputs: Record<string, string>,
  envContext: Record<string, string>,
  contexts: Contexts,
): Promise<{ outcome: StepOutcome; outputs: Record<string, string> }> {
  const actionEnv = nodeActionVariables(job, action, inputs);
  const { succeeded, outputs, state } = await runStepProcess(run, job, scope, {
    kind: 'action',
    command: run.machine.nodePath,
    args: [path.resolve(action.dir, action.runs.main)],
    cwd: job.workspace,
    stepId: step.id,
    envContext,
    extra: actionEnv,
    timeoutMs: await processTimeout(job, step, { contexts, status: scopeStatus(scope), workspace: job.workspace }),
  });
  if (action.runs.post) {
    job.posts.push({
      name: `Post ${step.uses}`,
      action,
      env: { ...envContext, ...actionEnv },
      condition: action.runs.postIf ?? 'always()',
      state,
      contexts,
    });
  }
  return { outcome: succeeded ? 'success' : 'failure', outputs };
}

/** Runs the post steps of node actions, last registered first, as the runner does at the end of a job. */
export async function runPostSteps(run: RunEnvironment, job: JobState, scope: StepScope): Promise<void> {
  for (const post of [...job.posts].reverse()) {
    if (!isNodeAction(post.action) || !post.action.runs.post) continue;
    const go = await evaluateCondition(post.condition, {
      contexts: { ...post.contexts, steps: scope.steps },
      status: scopeStatus(scope),
      workspace: job.workspace,
    }).catch(() => false);
    if (!go) continue;
    recordStepHeader(run, job, post.name);
    const stateEnv = Object.fromEntries(Object.entries(post.state).map(([k, v]) => [`STATE_${k}`, v]));
    const { succeeded } = await runStepProcess(run, job, scope, {
      kind: 'action',
      command: run.machine.nodePath,
      args: [path.resolve(post.action.dir, post.action.runs.post)],
      cwd: job.workspace,
      stepId: 'post',
      envContext: post.env,
      extra: stateEnv,
    });
    if (!succeeded) scope.failed = true;
  }
}
