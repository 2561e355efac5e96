import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { ConfigurationError } from '@build-release-run/contract';
import { loadWorkflowParser } from './parser-module.ts';
import { type Permissions, readPermissions } from './permissions.ts';
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

export interface JobModel {
  id: string;
  name?: TemplateToken;
  needs: string[];
  condition: string;
  env?: TemplateToken;
  outputs?: TemplateToken;
  environment?: TemplateToken;
  /** `defaults.run` of the job, over those of the workflow. */
  defaultShell?: TemplateToken;
  defaultWorkingDirectory?: TemplateToken;
  timeoutMinutes?: TemplateToken;
  /** GITHUB_TOKEN permissions (`permissions:` of the job, else of the workflow). */
  permissions: Permissions;
  steps: StepModel[];
}

export interface WorkflowModel {
  file: string;
  name: string;
  /** Events named under `on:`. */
  events: string[];
  dispatchInputs: Record<string, DispatchInput>;
  env?: TemplateToken;
  jobs: JobModel[];
}

/** Parses and validates a workflow file with GitHub's parser; every error is reported at once. */
export async function readWorkflow(file: string): Promise<WorkflowModel> {
  const content = await readFile(file, 'utf8');
  return parseWorkflowText(path.basename(file), content);
}

export async function parseWorkflowText(fileName: string, content: string): Promise<WorkflowModel> {
  const parser = await loadWorkflowParser();
  const parsed = parser.parseWorkflow({ name: fileName, content }, new parser.NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length > 0 || parsed.value === undefined) {
    throw new ConfigurationError(
      `The workflow ${fileName} is not valid:\n${errors.map((e) => `  ${e.message}`).join('\n')}`,
    );
  }
  const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
  if (template.errors && template.errors.length > 0) {
    throw new ConfigurationError(
      `The workflow ${fileName} is not valid:\n${template.errors.map((e) => `  ${e.Message}`).join('\n')}`,
    );
  }
  const root = parsed.value;
  const rawJobs = findKey(root, 'jobs');
  const jobs: JobModel[] = [];
  for (const job of template.jobs) {
    if (job.type !== 'job') {
      throw new ConfigurationError(
        `Job '${job.id.value}' in ${fileName} calls a reusable workflow, which the local runner does not run; use steps.`,
      );
    }
    const raw = findKey(rawJobs, job.id.value);
    for (const unsupported of ['strategy', 'services', 'container'] as const) {
      if (findKey(raw, unsupported) !== undefined) {
        throw new ConfigurationError(
          `Job '${job.id.value}' in ${fileName} uses '${unsupported}', which the local runner does not support; remove it or run the job on GitHub.`,
        );
      }
    }
    const jobDefaults = findKey(findKey(raw, 'defaults'), 'run');
    const workflowDefaults = findKey(findKey(root, 'defaults'), 'run');
    jobs.push({
      id: job.id.value,
      name: findKey(raw, 'name'),
      needs: (job.needs ?? []).map((n) => n.value),
      condition: job.if.expression,
      env: job.env,
      outputs: job.outputs,
      environment: job.environment,
      defaultShell: findKey(jobDefaults, 'shell') ?? findKey(workflowDefaults, 'shell'),
      defaultWorkingDirectory:
        findKey(jobDefaults, 'working-directory') ?? findKey(workflowDefaults, 'working-directory'),
      timeoutMinutes: findKey(raw, 'timeout-minutes'),
      permissions: readPermissions(findKey(raw, 'permissions'), findKey(root, 'permissions')),
      steps: stepModels(job.steps, sequenceItems(findKey(raw, 'steps'))),
    });
  }
  return {
    file: fileName,
    name: literalOf(findKey(root, 'name')) ?? fileName,
    events: eventNames(findKey(root, 'on')),
    dispatchInputs: dispatchInputs(findKey(findKey(findKey(root, 'on'), 'workflow_dispatch'), 'inputs')),
    env: template.env as TemplateToken | undefined,
    jobs,
  };
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
