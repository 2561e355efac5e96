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
 * Joins the parser's converted steps (ids, conditions) with the raw step
 * mappings, because the converter leaves out `with`, `shell` and
 * `working-directory`, which a runner needs.
 */
export function stepModels(converted: readonly unknown[], raw: readonly TemplateToken[]): StepModel[] {
  return converted.map((value, index) => {
    const step = value as ConvertedStep;
    const token = raw[index];
    const written = findKey(token, 'id');
    return {
      id: step.id,
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
