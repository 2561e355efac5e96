// Runs steps as the runner does: `if:`, `env:`, `run:` in a shell, `uses:`
// of local node24 and composite actions and of the stand-ins, file commands
// and workflow commands, masking everything it records.
import { randomUUID } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, errorMessage } from '@build-release-run/contract';
import { type ActionModel, readAction } from './action-file.ts';
import type { ArtifactStore } from './artifact-store.ts';
import { type Contexts, type Json, type JobStatus, coerceToString, evaluateCondition } from './expressions.ts';
import { parseKeyValueFile, parsePathFile } from './file-commands.ts';
import type { Masker } from './masks.ts';
import { runProcess } from './process.ts';
import { resolveActionReference } from './action-reference.ts';
import { copyRepository } from './standins.ts';
import type { StepModel } from './step-model.ts';
import { evaluateStringMap, evaluateString, evaluateToken } from './template.ts';
import { type Annotation, REMOVED_COMMANDS, parseWorkflowCommand } from './workflow-commands.ts';

export type StepOutcome = 'success' | 'failure' | 'skipped';

export interface StepResult {
  id: string;
  name: string;
  outcome: StepOutcome;
  conclusion: StepOutcome;
  outputs: Record<string, string>;
  /** Steps of a composite action, by their own ids. */
  steps?: StepResult[];
}

/** GitHub limits a step summary to 1 MiB; a larger one is dropped with an error. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

/** What one job keeps while its steps run. */
export interface JobState {
  id: string;
  workspace: string;
  temp: string;
  /** Values written to GITHUB_ENV, visible to the following steps. */
  fileEnv: Record<string, string>;
  /** Directories written to GITHUB_PATH, latest first. */
  pathPrepends: string[];
  log: string[];
  summary: string[];
  annotations: Annotation[];
  posts: PostStep[];
  /** When the job's timeout-minutes runs out (epoch ms). */
  deadline?: number;
}

interface PostStep {
  name: string;
  action: ActionModel;
  env: Record<string, string>;
  condition: string;
  state: Record<string, string>;
  contexts: Contexts;
}

/** What every step of a run shares. */
export interface RunEnvironment {
  repoDir: string;
  workDir: string;
  repository: string;
  serverUrl: string;
  runId: string;
  store: ArtifactStore;
  masker: Masker;
  nodePath: string;
  /** Environment every process starts from (PATH, HOME, ...). */
  baseEnv: Record<string, string>;
  /** GITHUB_* and RUNNER_* variables of the job, which `env:` cannot override. */
  runnerEnv: Record<string, string>;
  onLine?: (jobId: string, line: string) => void;
  /** `owner/repo` → local folder, for `uses: owner/repo/path@ref`. */
  actionRepositories: Readonly<Record<string, string>>;
  /** Where mapped actions are copied (the runner's `_actions`). */
  actionsDir: string;
  downloadedActions: Set<string>;
}

/** The scope a list of steps runs in: a job's, or a composite action's. */
export interface StepScope {
  contexts: Contexts;
  /** The env context before the step's own `env:`. */
  env: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: StepOutcome; conclusion: StepOutcome }>;
  failed: boolean;
  /** Extra runner variables for this scope (GITHUB_ACTION_PATH in a composite). */
  extraEnv: Record<string, string>;
  /** A job's `defaults.run`, evaluated; composite steps have none. */
  defaults?: { shell?: string; workingDirectory?: string };
}

function record(run: RunEnvironment, job: JobState, line: string): void {
  const masked = run.masker.mask(line);
  job.log.push(masked);
  run.onLine?.(job.id, masked);
}

function annotate(run: RunEnvironment, job: JobState, level: Annotation['level'], message: string): void {
  const masked = run.masker.mask(message);
  job.annotations.push({ level, message: masked, properties: {} });
  record(run, job, `##[${level}]${masked}`);
}

/** Handles one line a step printed: workflow commands are obeyed, other lines logged. */
function handleOutputLine(run: RunEnvironment, job: JobState, line: string, stopped: { token?: string }): void {
  if (stopped.token !== undefined) {
    if (line.trim() === `::${stopped.token}::`) stopped.token = undefined;
    else record(run, job, line);
    return;
  }
  const command = parseWorkflowCommand(line);
  if (!command) {
    record(run, job, line);
    return;
  }
  switch (command.name) {
    case 'add-mask':
      run.masker.add(command.message);
      return;
    case 'error':
    case 'warning':
    case 'notice': {
      const masked = run.masker.mask(command.message);
      job.annotations.push({ level: command.name, message: masked, properties: command.properties });
      record(run, job, `##[${command.name}]${masked}`);
      return;
    }
    case 'group':
      record(run, job, `##[group]${command.message}`);
      return;
    case 'endgroup':
      record(run, job, '##[endgroup]');
      return;
    case 'debug':
      record(run, job, `##[debug]${command.message}`);
      return;
    case 'stop-commands':
      stopped.token = command.message;
      return;
    default: {
      const replacement = REMOVED_COMMANDS[command.name];
      if (replacement) {
        annotate(run, job, 'error', `The \`${command.name}\` command is disabled; ${replacement}.`);
        return;
      }
      record(run, job, line);
    }
  }
}

interface FileCommandFiles {
  GITHUB_OUTPUT: string;
  GITHUB_ENV: string;
  GITHUB_PATH: string;
  GITHUB_STATE: string;
  GITHUB_STEP_SUMMARY: string;
}

async function createFileCommandFiles(job: JobState): Promise<FileCommandFiles> {
  const id = randomUUID();
  const files = {
    GITHUB_OUTPUT: path.join(job.temp, '_runner_file_commands', `set_output_${id}`),
    GITHUB_ENV: path.join(job.temp, '_runner_file_commands', `set_env_${id}`),
    GITHUB_PATH: path.join(job.temp, '_runner_file_commands', `add_path_${id}`),
    GITHUB_STATE: path.join(job.temp, '_runner_file_commands', `save_state_${id}`),
    GITHUB_STEP_SUMMARY: path.join(job.temp, '_runner_file_commands', `step_summary_${id}`),
  };
  for (const file of Object.values(files)) await writeFile(file, '');
  return files;
}

/** Reads what the step wrote to its command files into the job; returns its outputs and state. */
async function collectFileCommands(
  run: RunEnvironment,
  job: JobState,
  files: FileCommandFiles,
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

function processEnv(
  run: RunEnvironment,
  job: JobState,
  scope: StepScope,
  envContext: Record<string, string>,
  files: FileCommandFiles,
  stepId: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    ...run.baseEnv,
    ...envContext,
    ...run.runnerEnv,
    ...scope.extraEnv,
    ...files,
    GITHUB_ACTION: stepId,
    ...extra,
  };
  const basePath = envContext['PATH'] ?? run.baseEnv['PATH'] ?? '';
  env['PATH'] = [...job.pathPrepends, basePath].filter((p) => p !== '').join(path.delimiter);
  return env;
}

/** `INPUT_<NAME>` as the runner names it: upper case, spaces to underscores. */
export function inputVariableName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Shells as `shell:` names them, with the runner's templates ({0} is the script file). */
function shellCommand(shell: string | undefined): { command: string; args: string[]; extension: string } {
  switch (shell) {
    case undefined:
    case '':
      return { command: 'bash', args: ['-e', '{0}'], extension: '.sh' };
    case 'bash':
      return { command: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', '{0}'], extension: '.sh' };
    case 'sh':
      return { command: 'sh', args: ['-e', '{0}'], extension: '.sh' };
    case 'node':
      return { command: 'node', args: ['{0}'], extension: '.js' };
    case 'python':
      return { command: 'python3', args: ['{0}'], extension: '.py' };
    default: {
      if (!shell.includes('{0}')) {
        throw new ConfigurationError(`shell '${shell}' is not supported here; use bash, sh or a command with {0}.`);
      }
      const [command, ...args] = shell.split(/\s+/);
      return { command: command!, args, extension: '.sh' };
    }
  }
}

function displayName(step: StepModel): string {
  if (step.uses) return `Run ${step.uses}`;
  // A script with expressions is a format() expression; its source is the text as written.
  const token = step.run as unknown as { value?: unknown; source?: unknown } | undefined;
  const text = typeof token?.value === 'string' ? token.value : typeof token?.source === 'string' ? token.source : '';
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return `Run ${first.trim()}`;
}

/**
 * The runner downloads `owner/repo@ref` into its actions folder once per job
 * run; here the mapped local folder is copied there, once per run.
 */
async function downloadAction(run: RunEnvironment, repository: string, source: string, ref: string): Promise<string> {
  const target = path.join(run.actionsDir, ...repository.split('/'), ref.replace(/[^\w.-]/g, '_'));
  if (!run.downloadedActions.has(target)) {
    run.downloadedActions.add(target);
    await rm(target, { recursive: true, force: true });
    await copyRepository(path.resolve(source), target, [run.workDir]);
  }
  return target;
}

/** Milliseconds a process of this step may run: the step's timeout-minutes, within the job's. */
async function processTimeout(
  job: JobState,
  step: StepModel | undefined,
  evaluation: Evaluation,
): Promise<number | undefined> {
  let limit: number | undefined;
  if (step?.timeoutMinutes) {
    const minutes = Number(await evaluateToken(step.timeoutMinutes, evaluation));
    if (Number.isFinite(minutes) && minutes > 0) limit = minutes * 60_000;
  }
  if (job.deadline !== undefined) {
    const left = Math.max(0, job.deadline - Date.now());
    limit = limit === undefined ? left : Math.min(limit, left);
  }
  return limit;
}

function reportExit(run: RunEnvironment, job: JobState, code: number, timedOut: boolean, what: string): void {
  if (timedOut) annotate(run, job, 'error', `The ${what} has timed out (timeout-minutes).`);
  else if (code !== 0)
    annotate(run, job, 'error', `${what === 'step' ? 'Process' : 'Node action'} completed with exit code ${code}.`);
}

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

function status(scope: StepScope): JobStatus {
  return { success: !scope.failed, failure: scope.failed, cancelled: false };
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
  const evaluation = { contexts, status: status(scope), workspace: job.workspace };
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

  record(run, job, `##[group]${name}`);
  record(run, job, '##[endgroup]');
  let outcome: StepOutcome;
  let outputs: Record<string, string> = {};
  let inner: StepResult[] | undefined;
  try {
    const stepEnv = await evaluateStringMap(step.env, evaluation);
    const envContext = { ...envNow, ...stepEnv };
    const stepContexts: Contexts = { ...contexts, env: envContext };
    const stepEvaluation = { ...evaluation, contexts: stepContexts };
    if (step.run) {
      ({ outcome, outputs } = await runScript(run, job, scope, step, stepEvaluation, envContext));
    } else if (step.uses) {
      ({ outcome, outputs, steps: inner } = await runUses(run, job, scope, step, stepEvaluation, envContext));
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

type Evaluation = { contexts: Contexts; status: JobStatus; workspace: string };

async function runScript(
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
  const workingDirectory = directory ? path.resolve(job.workspace, directory) : job.workspace;
  const scriptFile = path.join(job.temp, `${randomUUID()}${shell.extension}`);
  await writeFile(scriptFile, script);
  const files = await createFileCommandFiles(job);
  const env = processEnv(run, job, scope, envContext, files, step.id);
  const stopped: { token?: string } = {};
  const { code, timedOut } = await runProcess(
    {
      command: shell.command,
      args: shell.args.map((a) => a.replace('{0}', scriptFile)),
      cwd: workingDirectory,
      env,
      timeoutMs: await processTimeout(job, step, evaluation),
    },
    (line) => handleOutputLine(run, job, line, stopped),
  );
  const { outputs } = await collectFileCommands(run, job, files);
  reportExit(run, job, code, timedOut, 'step');
  return { outcome: code === 0 && !timedOut ? 'success' : 'failure', outputs };
}

async function runUses(
  run: RunEnvironment,
  job: JobState,
  scope: StepScope,
  step: StepModel,
  evaluation: Evaluation,
  envContext: Record<string, string>,
): Promise<{ outcome: StepOutcome; outputs: Record<string, string>; steps?: StepResult[] }> {
  const uses = step.uses!;
  const withInputs = await evaluateStringMap(step.with, evaluation);
  const reference = resolveActionReference(uses, run.actionRepositories);
  if (!reference) throw unsupportedUses(uses);
  if (reference.kind === 'stand-in') {
    const outputs = await reference.standIn(withInputs, {
      workspace: job.workspace,
      repoDir: run.repoDir,
      workDir: run.workDir,
      repository: run.repository,
      serverUrl: run.serverUrl,
      runId: run.runId,
      store: run.store,
      info: (line) => record(run, job, line),
      warning: (message) => annotate(run, job, 'warning', message),
    });
    return { outcome: 'success', outputs };
  }
  const dir =
    reference.kind === 'local'
      ? path.resolve(job.workspace, reference.path)
      : path.join(await downloadAction(run, reference.repository, reference.dir, reference.ref), reference.path);
  let action: ActionModel;
  try {
    action = await readAction(dir);
  } catch (error) {
    if (reference.kind === 'local' && error instanceof ConfigurationError && /No action\.yml/.test(error.message)) {
      throw new ConfigurationError(
        `Can't find 'action.yml' or 'action.yaml' under '${dir}'. Did you forget to run actions/checkout before running your local action?`,
      );
    }
    throw error;
  }
  const actionContexts: Contexts = {
    ...evaluation.contexts,
    github: { ...(evaluation.contexts['github'] as Record<string, Json>), action_path: dir },
  };
  const inputs = await resolveActionInputs(run, job, action, withInputs, { ...evaluation, contexts: actionContexts });
  if (action.runs.using === 'node') {
    return runNodeAction(run, job, scope, step, action, inputs, envContext, actionContexts);
  }
  return runComposite(run, job, scope, action, inputs, envContext, actionContexts);
}

export function unsupportedUses(uses: string): ConfigurationError {
  return new ConfigurationError(
    `'uses: ${uses}' is not supported by the local runner. It runs local actions by path ('./actions/build', './'), ` +
      'actions of repositories mapped to a local folder (actionRepositories), ' +
      'and stands in for actions/checkout, actions/upload-artifact and actions/download-artifact.',
  );
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

async function runNodeAction(
  run: RunEnvironment,
  job: JobState,
  scope: StepScope,
  step: StepModel,
  action: ActionModel,
  inputs: Record<string, string>,
  envContext: Record<string, string>,
  contexts: Contexts,
): Promise<{ outcome: StepOutcome; outputs: Record<string, string> }> {
  if (action.runs.using !== 'node') throw new Error('not a node action');
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputVariableName(k), v]));
  const actionEnv = { ...inputEnv, GITHUB_ACTION_PATH: action.dir };
  const timeoutMs = await processTimeout(job, step, { contexts, status: status(scope), workspace: job.workspace });
  const { code, outputs, state } = await runNodeScript(
    run,
    job,
    scope,
    step.id,
    path.resolve(action.dir, action.runs.main),
    envContext,
    actionEnv,
    timeoutMs,
  );
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
  return { outcome: code === 0 ? 'success' : 'failure', outputs };
}

async function runNodeScript(
  run: RunEnvironment,
  job: JobState,
  scope: StepScope,
  stepId: string,
  script: string,
  envContext: Record<string, string>,
  extra: Record<string, string>,
  timeoutMs?: number,
): Promise<{ code: number; outputs: Record<string, string>; state: Record<string, string> }> {
  const files = await createFileCommandFiles(job);
  const env = processEnv(run, job, scope, envContext, files, stepId, extra);
  const stopped: { token?: string } = {};
  const result = await runProcess(
    { command: run.nodePath, args: [script], cwd: job.workspace, env, timeoutMs },
    (line) => handleOutputLine(run, job, line, stopped),
  );
  const { outputs, state } = await collectFileCommands(run, job, files);
  reportExit(run, job, result.code, result.timedOut, 'action');
  return { code: result.timedOut ? 1 : result.code, outputs, state };
}

/** Runs the post steps of node actions, last registered first, as the runner does at the end of a job. */
export async function runPostSteps(run: RunEnvironment, job: JobState, scope: StepScope): Promise<void> {
  for (const post of [...job.posts].reverse()) {
    if (post.action.runs.using !== 'node' || !post.action.runs.post) continue;
    const go = await evaluateCondition(post.condition, {
      contexts: { ...post.contexts, steps: scope.steps },
      status: status(scope),
      workspace: job.workspace,
    }).catch(() => false);
    if (!go) continue;
    record(run, job, `##[group]${post.name}`);
    record(run, job, '##[endgroup]');
    const stateEnv = Object.fromEntries(Object.entries(post.state).map(([k, v]) => [`STATE_${k}`, v]));
    const { code } = await runNodeScript(
      run,
      job,
      scope,
      'post',
      path.resolve(post.action.dir, post.action.runs.post),
      post.env,
      stateEnv,
    );
    if (code !== 0) scope.failed = true;
  }
}

async function runComposite(
  run: RunEnvironment,
  job: JobState,
  outer: StepScope,
  action: ActionModel,
  inputs: Record<string, string>,
  envContext: Record<string, string>,
  contexts: Contexts,
): Promise<{ outcome: StepOutcome; outputs: Record<string, string>; steps: StepResult[] }> {
  if (action.runs.using !== 'composite') throw new Error('not a composite action');
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
    status: status(scope),
    workspace: job.workspace,
  };
  for (const output of action.outputs) {
    if (output.value === undefined) continue;
    outputs[output.id] = coerceToString(await evaluateToken(output.value, evaluation));
  }
  return { outcome: scope.failed ? 'failure' : 'success', outputs, steps: results };
}
