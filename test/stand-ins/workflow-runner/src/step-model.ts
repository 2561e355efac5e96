import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { findKey } from './template.ts';

/** A step of a job or of a composite action, with what the runner needs of it. */
export interface StepModel {
  /** The id given in YAML, or the parser's generated one (`__run`, `__self`, ...). */
  id: string;
  /** Whether the id was written by the user (only those are meaningful in `steps.<id>`). */
  named: boolean;
  name?: TemplateToken;
  /** The condition expression, already wrapped in success() when it names no status function. */
  condition: string;
  run?: TemplateToken;
  uses?: string;
  with?: TemplateToken;
  env?: TemplateToken;
  shell?: TemplateToken;
  workingDirectory?: TemplateToken;
  continueOnError?: TemplateToken;
  timeoutMinutes?: TemplateToken;
}

interface ConvertedStep {
  id: string;
  if?: { expression: string };
  uses?: { value: string };
  env?: TemplateToken;
}

/**
 * The action parser leaves ids of unnamed steps empty (the workflow parser
 * makes them up); they are made up here the same way: `__run`, or `__` and
 * the action's name, with `_2`, `_3`, ... when taken.
 */
function generatedId(step: ConvertedStep, taken: Set<string>): string {
  const base = step.uses
    ? `__${step.uses.value
        .replace(/@.*$/, '')
        .replace(/^\.\/?/, 'self_')
        .replace(/[^A-Za-z0-9]+/g, '_')
        .replace(/_+$/, '')}`
    : '__run';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}

/**
 * Joins the parser's converted steps (ids, conditions) with the raw step
 * mappings, because the converter leaves out `with`, `shell` and
 * `working-directory`, which a runner needs.
 */
export function stepModels(converted: readonly unknown[], raw: readonly TemplateToken[]): StepModel[] {
  const taken = new Set((converted as ConvertedStep[]).map((s) => s.id).filter((id) => id !== ''));
  return converted.map((value, index) => {
    const step = value as ConvertedStep;
    const token = raw[index];
    const written = findKey(token, 'id');
    return {
      id: step.id !== '' ? step.id : generatedId(step, taken),
      named: written !== undefined,
      name: findKey(token, 'name'),
      condition: step.if?.expression ?? 'success()',
      run: findKey(token, 'run'),
      uses: step.uses?.value,
      with: findKey(token, 'with'),
      env: findKey(token, 'env'),
      shell: findKey(token, 'shell'),
      workingDirectory: findKey(token, 'working-directory'),
      continueOnError: findKey(token, 'continue-on-error'),
      timeoutMinutes: findKey(token, 'timeout-minutes'),
    };
  });
}
