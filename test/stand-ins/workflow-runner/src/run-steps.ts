// Runs a list of steps (a job's, or a composite action's) as the runner
// does: each step's name, `if:`, `env:` and `continue-on-error`, then its
// `run:` script or its `uses:` action.
import { ConfigurationError, errorMessage } from '@build-release-run/contract';
import { type Contexts, type Json, evaluateCondition } from './expressions.ts';
import { annotate, record, recordStepHeader } from './job-log.ts';
import {
  type JobState,
  type RunEnvironment,
  type StepOutcome,
  type StepResult,
  type StepScope,
  scopeStatus,
} from './run-model.ts';
import { runScript } from './script-step.ts';
import type { StepModel } from './step-model.ts';
import { evaluateString, evaluateStringMap, evaluateToken } from './template.ts';
import { runUses } from './uses-step.ts';

/** Runs the steps of a job or composite action in order; returns their results. */
export async function runSteps(
  run: RunEnvironment,
  job: JobState,
  scope: StepScope,
  steps: readonly StepModel[],
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    const result = await runStep(run, job, scope, step);
    results.push(result);
    scope.steps[step.id] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.conclusion };
    if (result.conclusion === 'failure') scope.failed = true;
  }
  return results;
}

function displayName(step: StepModel): string {
  if (step.uses) return `Run ${step.uses}`;
  // A script with expressions is a format() expression; its source is the text as written.
  const token = step.run as unknown as { value?: unknown; source?: unknown } | undefined;
  const text = typeof token?.value === 'string' ? token.value : typeof token?.source === 'string' ? token.source : '';
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return `Run ${first.trim()}`;
}

async function runStep(run: RunEnvironment, job: JobState, scope: StepScope, step: StepModel): Promise<StepResult> {
  const envNow = { ...scope.env, ...job.fileEnv };
  const jobContext = scope.contexts['job'] as Record<string, Json> | undefined;
  const contexts: Contexts = {
    ...scope.contexts,
    env: envNow,
    steps: scope.steps,
    ...(jobContext ? { job: { ...jobContext, status: scope.failed ? 'failure' : 'success' } } : {}),
  };
  const evaluation = { contexts, status: scopeStatus(scope), workspace: job.workspace };
  let name = step.id;
  try {
    name = step.name ? await evaluateString(step.name, evaluation) : displayName(step);
    if (!(await evaluateCondition(step.condition, evaluation))) {
      record(run, job, `Skipped: ${name}`);
      return { id: step.id, name, outcome: 'skipped', conclusion: 'skipped', outputs: {} };
    }
  } catch (error) {
    annotate(run, job, 'error', `${name}: ${errorMessage(error)}`);
    return { id: step.id, name, outcome: 'failure', conclusion: 'failure', outputs: {} };
  }

  recordStepHeader(run, job, name);
  let outcome: StepOutcome;
  let outputs: Record<string, string> = {};
  let inner: StepResult[] | undefined;
  try {
    const stepEnv = await evaluateStringMap(step.env, evaluation);
    const envContext = { ...envNow, ...stepEnv };
    const stepEvaluation = { ...evaluation, contexts: { ...contexts, env: envContext } };
    if (step.run) {
      ({ outcome, outputs } = await runScript(run, job, scope, step, stepEvaluation, envContext));
    } else if (step.uses) {
      ({ outcome, outputs, steps: inner } = await runUses(run, job, scope, step, stepEvaluation, envContext, runSteps));
    } else {
      throw new ConfigurationError(`Step '${name}' has neither run nor uses.`);
    }
  } catch (error) {
    annotate(run, job, 'error', errorMessage(error));
    outcome = 'failure';
  }
  let conclusion = outcome;
  if (outcome === 'failure' && step.continueOnError) {
    const value = await evaluateToken(step.continueOnError, evaluation).catch(() => false);
    if (value === true || value === 'true') conclusion = 'success';
  }
  return { id: step.id, name, outcome, conclusion, outputs, ...(inner ? { steps: inner } : {}) };
}
