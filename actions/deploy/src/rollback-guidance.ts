/**
 * How to go back: the summary's "Roll back" section. A `gh workflow run`
 * command is offered only for a workflow that can take it (workflow_dispatch
 * with the inputs the deploy step reads, workflow-dispatch.ts): the running
 * one, or else another workflow of the repository. Otherwise the section
 * says what to add. Every value in a command is a quoted shell word.
 */
import { markdownCode, markdownCodeBlock, shellWord } from '@build-release-run/contract';
import type { DispatchShape } from './workflow-dispatch.ts';
import type { WorkflowFacts } from './workflow-files.ts';

export interface GoBack {
  /** The tag to deploy again. */
  target: string;
  environment: string;
  /** e.g. octo/app */
  repository: string;
  workflows: WorkflowFacts;
}

export function rollbackGuidance(facts: GoBack): string[] {
  const { target, environment, workflows } = facts;
  const heading = ['### Roll back', ''];
  const what = `deploy ${markdownCode(target)} to ${markdownCode(environment)} again`;
  const { running, file } = workflows;
  const named = file === undefined ? 'this workflow' : markdownCode(file);

  if (running.kind === 'dispatchable' && file !== undefined) {
    return [
      ...heading,
      `To ${what}: run ${named} from the Actions tab ("Run workflow") with ${inputsText(running.shape, target, environment)}, or:`,
      '',
      markdownCodeBlock(command(file, running.shape, facts), 'sh'),
    ];
  }
  const why =
    running.kind === 'not-dispatchable'
      ? `${named} cannot be run by hand (its triggers: ${running.triggers.map((t) => markdownCode(t)).join(', ') || 'none'}; no ${markdownCode('workflow_dispatch')}).`
      : running.kind === 'no-inputs'
        ? `${named} has ${markdownCode('workflow_dispatch')}, but the deploy step's ${markdownCode('tag')} and ${markdownCode('environment')} do not come from its inputs (${running.inputs.map((i) => markdownCode(i)).join(', ') || 'none'}).`
        : `Whether ${named} can be run by hand is not known: ${running.kind === 'unreadable' ? running.reason : 'GITHUB_WORKFLOW_REF names no workflow file'}.`;
  const [other] = workflows.alternatives;
  if (other !== undefined) {
    return [
      ...heading,
      `${why} To ${what}, run ${markdownCode(other.file)} from the Actions tab with ${inputsText(other.shape, target, environment)}, or:`,
      '',
      markdownCodeBlock(command(other.file, other.shape, facts), 'sh'),
    ];
  }
  return [
    ...heading,
    `${why} To ${what}, run a workflow whose ${markdownCode('workflow_dispatch')} inputs reach the deploy step, with tag ${markdownCode(target)}. If there is none, add one (a workflow of its own, so pushes keep deploying as they do), e.g.:`,
    '',
    markdownCodeBlock(DISPATCH_EXAMPLE, 'yaml'),
  ];
}

const DISPATCH_EXAMPLE = [
  'on:',
  '  workflow_dispatch:',
  '    inputs:',
  '      environment: { type: environment, required: true }',
  '      tag: { type: string, required: true }',
  '# … and in the deploy step:',
  '        with:',
  '          tag: ${{ inputs.tag }}',
  '          environment: ${{ inputs.environment }}',
].join('\n');

function inputsText(shape: DispatchShape, target: string, environment: string): string {
  const tag = `${markdownCode(shape.tagInput)} ${markdownCode(target)}`;
  return shape.environmentInput === null
    ? tag
    : `${tag} and ${markdownCode(shape.environmentInput)} ${markdownCode(environment)}`;
}

function command(file: string, shape: DispatchShape, facts: GoBack): string {
  const words = ['gh', 'workflow', 'run', shellWord(file), '--repo', shellWord(facts.repository)];
  words.push('-f', shellWord(`${shape.tagInput}=${facts.target}`));
  if (shape.environmentInput !== null) words.push('-f', shellWord(`${shape.environmentInput}=${facts.environment}`));
  return words.join(' ');
}
