/**
 * Can a workflow be run by hand to deploy a given tag? Read from its YAML:
 * the `workflow_dispatch` trigger, its inputs, and which of them the deploy
 * step's `tag` and `environment` take. The summary offers a
 * `gh workflow run` command only when the answer is yes; a command for a
 * workflow without those inputs fails (`gh` refuses unknown inputs).
 */
import { parse } from 'yaml';
import { errorMessage } from '@build-release-run/contract';

export interface DispatchShape {
  /** The workflow_dispatch input the deploy step's `tag` takes. */
  tagInput: string;
  /**
   * The input the deploy step's `environment` takes; null when the step's
   * environment is fixed in the file (the workflow deploys to it alone).
   */
  environmentInput: string | null;
}

export type WorkflowShape =
  /** No workflow_dispatch trigger: it cannot be run by hand. */
  | { kind: 'not-dispatchable'; triggers: string[] }
  /** workflow_dispatch, but the deploy step's tag (or environment) does not come from one of its inputs. */
  | { kind: 'no-inputs'; inputs: string[] }
  | { kind: 'dispatchable'; shape: DispatchShape }
  | { kind: 'unreadable'; reason: string };

// `${{ inputs.tag }}`, `${{ github.event.inputs.tag }}`, `${{ inputs.tag || 'latest' }}`.
const INPUT_REFERENCE = /\$\{\{[^}]*?\b(?:github\.event\.)?inputs\.([A-Za-z_][A-Za-z0-9_-]*)/;
const DEPLOY_ACTION = /(?:^|\/)actions\/deploy(?:@|$)/;

export function workflowShape(text: string): WorkflowShape {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    return { kind: 'unreadable', reason: `not valid YAML (${errorMessage(error).split('\n')[0]})` };
  }
  if (!isRecord(document)) return { kind: 'unreadable', reason: 'not a workflow (no mapping at its top)' };
  const on = document['on'];
  const triggers =
    typeof on === 'string' ? [on] : Array.isArray(on) ? on.map(String) : isRecord(on) ? Object.keys(on) : [];
  if (!triggers.includes('workflow_dispatch')) return { kind: 'not-dispatchable', triggers };
  const dispatch = isRecord(on) ? on['workflow_dispatch'] : undefined;
  const declared = isRecord(dispatch) && isRecord(dispatch['inputs']) ? Object.keys(dispatch['inputs']) : [];

  const step = deployStep(document);
  const tagInput = step === undefined ? 'tag' : inputOf(step['tag']);
  const environment = step?.['environment'];
  // A literal environment (or none: the release's own) is fixed; an expression must name an input.
  const fixed =
    step !== undefined &&
    (environment === undefined || (typeof environment === 'string' && !environment.includes('${{')));
  const environmentInput = step === undefined ? 'environment' : fixed ? null : inputOf(environment);
  if (
    tagInput === undefined ||
    !declared.includes(tagInput) ||
    environmentInput === undefined ||
    (environmentInput !== null && !declared.includes(environmentInput))
  ) {
    return { kind: 'no-inputs', inputs: declared };
  }
  return { kind: 'dispatchable', shape: { tagInput, environmentInput } };
}

/** The `with:` of the first step that uses the deploy action. */
function deployStep(document: Record<string, unknown>): Record<string, unknown> | undefined {
  const jobs = isRecord(document['jobs']) ? Object.values(document['jobs']) : [];
  for (const job of jobs) {
    const steps = isRecord(job) && Array.isArray(job['steps']) ? job['steps'] : [];
    for (const step of steps) {
      if (isRecord(step) && typeof step['uses'] === 'string' && DEPLOY_ACTION.test(step['uses'])) {
        return isRecord(step['with']) ? step['with'] : {};
      }
    }
  }
  return undefined;
}

function inputOf(value: unknown): string | undefined {
  return typeof value === 'string' ? INPUT_REFERENCE.exec(value)?.[1] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
