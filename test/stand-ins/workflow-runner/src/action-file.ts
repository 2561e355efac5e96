import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { ConfigurationError } from '@build-release-run/contract';
import { loadWorkflowParser } from './parser-module.ts';
import { type StepModel, stepModels } from './step-model.ts';
import { findKey, sequenceItems } from './template.ts';

export interface ActionInput {
  id: string;
  required: boolean;
  /** A literal or an expression such as `${{ github.token }}`, evaluated when the step runs. */
  default?: TemplateToken;
}

export interface ActionOutput {
  id: string;
  /** Composite actions map outputs from `steps.*.outputs` through `value`. */
  value?: TemplateToken;
}

export type ActionRuns =
  | { using: 'node'; version: string; main: string; pre?: string; post?: string; postIf?: string }
  | { using: 'composite'; steps: StepModel[] };

export interface ActionModel {
  /** The folder of action.yml: github.action_path. */
  dir: string;
  file: string;
  name: string;
  inputs: ActionInput[];
  outputs: ActionOutput[];
  runs: ActionRuns;
  /** For an action of a repository (`owner/repo[/path]@ref`): that repository and ref. */
  origin?: { repository: string; ref: string };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Reads action.yml (or action.yaml) in `dir` and validates it with GitHub's parser. */
export async function readAction(dir: string): Promise<ActionModel> {
  let file = path.join(dir, 'action.yml');
  if (!(await exists(file))) file = path.join(dir, 'action.yaml');
  if (!(await exists(file))) {
    throw new ConfigurationError(`No action.yml or action.yaml in ${dir}.`);
  }
  const content = await readFile(file, 'utf8');
  const parser = await loadWorkflowParser();
  const parsed = parser.parseAction({ name: file, content }, new parser.NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors();
  if (errors.length > 0 || parsed.value === undefined) {
    throw new ConfigurationError(`The action ${file} is not valid:\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
  }
  const template = parser.convertActionTemplate(parsed.context, parsed.value);
  const runs = template.runs;
  let model: ActionRuns;
  if (runs.using === 'composite') {
    const raw = sequenceItems(findKey(findKey(parsed.value, 'runs'), 'steps'));
    model = { using: 'composite', steps: stepModels(runs.steps, raw) };
  } else if (runs.using === 'docker') {
    throw new ConfigurationError(
      `The action ${file} is a Docker action; the local runner runs node and composite actions.`,
    );
  } else {
    if (runs.using !== 'node24') {
      throw new ConfigurationError(
        `The action ${file} uses ${runs.using}; declare 'runs.using: node24' (older Node runtimes are removed from runners).`,
      );
    }
    model = {
      using: 'node',
      version: runs.using,
      main: runs.main,
      pre: runs.pre,
      post: runs.post,
      postIf: runs.postIf,
    };
  }
  return {
    dir,
    file,
    name: template.name,
    inputs: (template.inputs ?? []).map((i) => ({ id: i.id, required: i.required ?? false, default: i.default })),
    outputs: (template.outputs ?? []).map((o) => ({ id: o.id, value: o.value })),
    runs: model,
  };
}
