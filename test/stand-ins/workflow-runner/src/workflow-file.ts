import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { ConfigurationError } from '@build-release-run/contract';
import { loadWorkflowParser } from './parser-module.ts';
import { type PermissionsBlock, readPermissions } from './permissions.ts';
import { type StepModel, stepModels } from './step-model.ts';
import { findKey, literalOf, mappingPairs, sequenceItems } from './template.ts';

export const DISPATCH_INPUT_TYPES = ['string', 'boolean', 'choice', 'number', 'environment'] as const;
export type DispatchInputType = (typeof DISPATCH_INPUT_TYPES)[number];

export interface DispatchInput {
  type: DispatchInputType;
  required: boolean;
  default?: string;
  options: string[];
  description?: string;
}

/** What every job has, whether it runs steps or calls a reusable workflow. */
interface BaseJob {
  id: string;
  name?: TemplateToken;
  needs: string[];
  condition: string;
  /** `permissions:` of the job, else of the workflow; undefined when neither has one (the default applies). */
  permissions?: PermissionsBlock;
}

/** A job that runs steps on a runner. */
export interface StepsJob extends BaseJob {
  kind: 'steps';
  env?: TemplateToken;
  outputs?: TemplateToken;
  environment?: TemplateToken;
  /** `defaults.run` of the job, over those of the workflow. */
  defaultShell?: TemplateToken;
  defaultWorkingDirectory?: TemplateToken;
  timeoutMinutes?: TemplateToken;
  steps: StepModel[];
}

/** A job that calls a reusable workflow (`jobs.<id>.uses`). */
export interface CallJob extends BaseJob {
  kind: 'call';
  /** `./.github/workflows/x.yml` or `owner/repo/.github/workflows/x.yml@ref`. */
  uses: string;
  with?: TemplateToken;
  /** `secrets:` as a mapping; undefined with `secrets: inherit` or none. */
  secrets?: TemplateToken;
  inheritSecrets: boolean;
}

export type JobModel = StepsJob | CallJob;

/** A `workflow_call` input as the called workflow declares it. */
export interface CallInput {
  type: 'string' | 'boolean' | 'number';
  required: boolean;
  default?: TemplateToken;
}

/** What a reusable workflow declares under `on.workflow_call`. */
export interface WorkflowCallDeclarations {
  inputs: Record<string, CallInput>;
  /** Secret names, and whether the caller must pass them. */
  secrets: Record<string, { required: boolean }>;
  /** Output name → its `value:` (an expression over `jobs`). */
  outputs: Record<string, TemplateToken>;
}

/** Reads a called workflow's file for the parser's checks of `with:` and `secrets:` (see called-workflow.ts). */
export type CalledWorkflowFiles = (uses: string) => Promise<{ name: string; content: string }>;

export interface WorkflowModel {
  file: string;
  name: string;
  /** Events named under `on:`. */
  events: string[];
  dispatchInputs: Record<string, DispatchInput>;
  env?: TemplateToken;
  jobs: JobModel[];
  /** Set when the workflow can be called (`on: workflow_call`). */
  call?: WorkflowCallDeclarations;
}

/** Parses and validates a workflow file with GitHub's parser; every error is reported at once. */
export async function readWorkflow(file: string, calledFiles?: CalledWorkflowFiles): Promise<WorkflowModel> {
  const content = await readFile(file, 'utf8');
  return parseWorkflowText(path.basename(file), content, calledFiles);
}

/**
 * Parses and checks a workflow. With `calledFiles`, the parser also reads
 * every workflow a job calls and checks the call against it (inputs and
 * secrets that are required or not declared), as GitHub does before a run.
 */
export async function parseWorkflowText(
  fileName: string,
  content: string,
  calledFiles?: CalledWorkflowFiles,
): Promise<WorkflowModel> {
  const parser = await loadWorkflowParser();
  const parsed = parser.parseWorkflow({ name: fileName, content }, new parser.NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length > 0 || parsed.value === undefined) {
    throw new ConfigurationError(
      `The workflow ${fileName} is not valid:\n${errors.map((e) => `  ${e.message}`).join('\n')}`,
    );
  }
  // The parser answers any failure to read a called file with "Unable to
  // find reusable workflow"; the runner's own reason is the better message.
  const unreadable: unknown[] = [];
  const fileProvider = calledFiles && {
    getFileContent: (ref: { path: string; owner?: string; repository?: string; version?: string }) =>
      calledFiles(ref.owner ? `${ref.owner}/${ref.repository}/${ref.path}@${ref.version}` : `./${ref.path}`).catch(
        (error: unknown) => {
          unreadable.push(error);
          throw error;
        },
      ),
  };
  const template = await parser.convertWorkflowTemplate(
    parsed.context,
    parsed.value,
    fileProvider,
    fileProvider ? { fetchReusableWorkflowDepth: 1 } : undefined,
  );
  if (unreadable[0] instanceof ConfigurationError) throw unreadable[0];
  if (template.errors && template.errors.length > 0) {
    throw new ConfigurationError(
      `The workflow ${fileName} is not valid:\n${template.errors.map((e) => `  ${e.Message}`).join('\n')}`,
    );
  }
  const root = parsed.value;
  const rawJobs = findKey(root, 'jobs');
  const jobs: JobModel[] = [];
  for (const job of template.jobs) {
    const raw = findKey(rawJobs, job.id.value);
    const permissions = readPermissions(findKey(raw, 'permissions'), findKey(root, 'permissions'));
    const base = {
      id: job.id.value,
      name: findKey(raw, 'name'),
      needs: (job.needs ?? []).map((n) => n.value),
      condition: job.if.expression,
      ...(permissions ? { permissions } : {}),
    };
    if (findKey(raw, 'strategy') !== undefined) throw unsupported(job.id.value, fileName, 'strategy');
    if (job.type !== 'job') {
      const secrets = findKey(raw, 'secrets');
      jobs.push({
        ...base,
        kind: 'call',
        uses: job.ref.value,
        with: findKey(raw, 'with'),
        inheritSecrets: job['inherit-secrets'] === true,
        ...(job['inherit-secrets'] ? {} : { secrets }),
      });
      continue;
    }
    for (const key of ['services', 'container'] as const) {
      if (findKey(raw, key) !== undefined) throw unsupported(job.id.value, fileName, key);
    }
    const jobDefaults = findKey(findKey(raw, 'defaults'), 'run');
    const workflowDefaults = findKey(findKey(root, 'defaults'), 'run');
    jobs.push({
      ...base,
      kind: 'steps',
      env: job.env,
      outputs: job.outputs,
      environment: job.environment,
      defaultShell: findKey(jobDefaults, 'shell') ?? findKey(workflowDefaults, 'shell'),
      defaultWorkingDirectory:
        findKey(jobDefaults, 'working-directory') ?? findKey(workflowDefaults, 'working-directory'),
      timeoutMinutes: findKey(raw, 'timeout-minutes'),
      steps: stepModels(job.steps, sequenceItems(findKey(raw, 'steps'))),
    });
  }
  const events = eventNames(findKey(root, 'on'));
  const callEvent = findKey(findKey(root, 'on'), 'workflow_call');
  return {
    file: fileName,
    name: literalOf(findKey(root, 'name')) ?? fileName,
    events,
    dispatchInputs: dispatchInputs(findKey(findKey(findKey(root, 'on'), 'workflow_dispatch'), 'inputs')),
    env: template.env as TemplateToken | undefined,
    jobs,
    ...(events.includes('workflow_call') ? { call: callDeclarations(callEvent) } : {}),
  };
}

function unsupported(jobId: string, fileName: string, key: string): ConfigurationError {
  return new ConfigurationError(
    `Job '${jobId}' in ${fileName} uses '${key}', which the local runner does not support; remove it or run the job on GitHub.`,
  );
}

/** `on.workflow_call`: inputs (typed, string by default), secrets and outputs. */
function callDeclarations(token: TemplateToken | undefined): WorkflowCallDeclarations {
  const inputs: Record<string, CallInput> = {};
  for (const { key, value } of mappingPairs(findKey(token, 'inputs'))) {
    const type = literalOf(findKey(value, 'type'));
    inputs[key] = {
      type: type === 'boolean' || type === 'number' ? type : 'string',
      required: literalOf(findKey(value, 'required')) === 'true',
      ...(findKey(value, 'default') ? { default: findKey(value, 'default') } : {}),
    };
  }
  const secrets: Record<string, { required: boolean }> = {};
  for (const { key, value } of mappingPairs(findKey(token, 'secrets'))) {
    secrets[key] = { required: literalOf(findKey(value, 'required')) === 'true' };
  }
  const outputs: Record<string, TemplateToken> = {};
  for (const { key, value } of mappingPairs(findKey(token, 'outputs'))) {
    const expression = findKey(value, 'value');
    if (expression) outputs[key] = expression;
  }
  return { inputs, secrets, outputs };
}

function eventNames(on: TemplateToken | undefined): string[] {
  if (on === undefined) return [];
  const single = literalOf(on);
  if (single !== undefined) return [single];
  const items = sequenceItems(on);
  if (items.length > 0) return items.map((t) => literalOf(t) ?? '');
  return mappingPairs(on).map((p) => p.key);
}

function dispatchInputs(token: TemplateToken | undefined): Record<string, DispatchInput> {
  const inputs: Record<string, DispatchInput> = {};
  for (const { key, value } of mappingPairs(token)) {
    const type = (literalOf(findKey(value, 'type')) ?? 'string') as DispatchInputType;
    if (!DISPATCH_INPUT_TYPES.includes(type)) {
      throw new ConfigurationError(
        `workflow_dispatch input '${key}' has type '${type}'; use one of ${DISPATCH_INPUT_TYPES.join(', ')}.`,
      );
    }
    inputs[key] = {
      type,
      required: literalOf(findKey(value, 'required')) === 'true',
      default: literalOf(findKey(value, 'default')),
      options: sequenceItems(findKey(value, 'options')).map((t) => literalOf(t) ?? ''),
      description: literalOf(findKey(value, 'description')),
    };
  }
  return inputs;
}
