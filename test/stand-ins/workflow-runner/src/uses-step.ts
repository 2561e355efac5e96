// A `uses:` step: a stand-in for one of GitHub's own actions, or an action
// read from its action.yml, its inputs resolved, run as node or composite.
import type { ActionModel } from './action-file.ts';
import { loadAction, unsupportedUses } from './action-download.ts';
import { resolveActionReference } from './action-reference.ts';
import { type StepsRunner, runComposite } from './composite-action.ts';
import { type Contexts, type Json, coerceToString } from './expressions.ts';
import { annotate, record } from './job-log.ts';
import { runNodeAction } from './node-action.ts';
import type { Evaluation, JobState, RunEnvironment, StepOutcome, StepResult, StepScope } from './run-model.ts';
import type { StepModel } from './step-model.ts';
import { evaluateStringMap, evaluateToken } from './template.ts';

export async function runUses(
  run: RunEnvironment,
  job: JobState,
  scope: StepScope,
  step: StepModel,
  evaluation: Evaluation,
  envContext: Record<string, string>,
  runSteps: StepsRunner,
): Promise<{ outcome: StepOutcome; outputs: Record<string, string>; steps?: StepResult[] }> {
  const uses = step.uses!;
  const withInputs = await evaluateStringMap(step.with, evaluation);
  const reference = resolveActionReference(uses, run.actions.repositories);
  if (!reference) throw unsupportedUses(uses);
  if (reference.kind === 'stand-in') {
    const outputs = await reference.standIn(withInputs, {
      workspace: job.workspace,
      repoDir: run.paths.repoDir,
      workDir: run.paths.workDir,
      repository: run.identity.repository,
      serverUrl: run.identity.serverUrl,
      runId: run.identity.runId,
      info: (line) => record(run, job, line),
      warning: (message) => annotate(run, job, 'warning', message),
    });
    return { outcome: 'success', outputs };
  }
  const loaded = await loadAction(run, job, reference);
  // GITHUB_ACTION_REPOSITORY and GITHUB_ACTION_REF: the owner/repo and ref a
  // repository action was named by ("Store information in variables",
  // default environment variables), as the runner sets them for its steps.
  const action =
    reference.kind === 'mapped'
      ? { ...loaded, origin: { repository: reference.repository, ref: reference.ref } }
      : loaded;
  const actionContexts: Contexts = {
    ...evaluation.contexts,
    github: { ...(evaluation.contexts['github'] as Record<string, Json>), action_path: action.dir },
  };
  const inputs = await resolveActionInputs(run, job, action, withInputs, { ...evaluation, contexts: actionContexts });
  const { runs } = action;
  if (runs.using === 'node') {
    return runNodeAction(run, job, scope, step, { ...action, runs }, inputs, envContext, actionContexts);
  }
  return runComposite(run, job, scope, { ...action, runs }, inputs, envContext, actionContexts, runSteps);
}

/** `with:` values, then defaults from action.yml (expressions evaluated), for every declared input. */
async function resolveActionInputs(
  run: RunEnvironment,
  job: JobState,
  action: ActionModel,
  given: Record<string, string>,
  evaluation: Evaluation,
): Promise<Record<string, string>> {
  const declared = new Set(action.inputs.map((i) => i.id.toLowerCase()));
  const unexpected = Object.keys(given).filter((k) => !declared.has(k.toLowerCase()));
  if (unexpected.length > 0) {
    annotate(
      run,
      job,
      'warning',
      `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${action.inputs.map((i) => i.id).join("', '")}']`,
    );
  }
  const inputs: Record<string, string> = { ...given };
  for (const input of action.inputs) {
    const givenKey = Object.keys(given).find((k) => k.toLowerCase() === input.id.toLowerCase());
    if (givenKey !== undefined) continue;
    if (input.default !== undefined) {
      inputs[input.id] = coerceToString(await evaluateToken(input.default, evaluation));
    }
  }
  return inputs;
}
