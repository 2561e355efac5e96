/**
 * How to go back: the summary's "Roll back" section, a copy-paste command
 * whose every value is a quoted shell word.
 */
import { markdownCode, markdownCodeBlock, shellWord } from '@build-release-run/contract';

export interface GoBack {
  /** The tag to deploy again. */
  target: string;
  environment: string;
  /** e.g. octo/app */
  repository: string;
  /** The running workflow's file name (deploy.yml), when known. */
  workflow: string | undefined;
}

export function rollbackGuidance(facts: GoBack): string[] {
  const workflow = facts.workflow === undefined ? '<this workflow>' : shellWord(facts.workflow);
  const command = [
    'gh workflow run',
    workflow,
    '--repo',
    shellWord(facts.repository),
    '-f',
    shellWord(`tag=${facts.target}`),
    '-f',
    shellWord(`environment=${facts.environment}`),
  ].join(' ');
  return [
    '### Roll back',
    '',
    `Deploy ${markdownCode(facts.target)} again: run this workflow from the Actions tab ("Run workflow") with tag ${markdownCode(facts.target)} and environment ${markdownCode(facts.environment)}, or:`,
    '',
    markdownCodeBlock(command, 'sh'),
  ];
}
