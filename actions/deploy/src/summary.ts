/**
 * The job summary a maintainer reads: what went out, what it replaced, how
 * to roll back. Every value from the release or the API goes through its
 * sink: code spans in table cells, a link only to this repository, shell
 * words in the copy-paste command.
 */
import {
  markdownCode,
  markdownCodeBlock,
  markdownLink,
  markdownTableCell,
  shellWord,
} from '@build-release-run/contract';
import type { ReleaseConfig, ReleaseManifest } from '@build-release-run/release-format';
import { type ProvenanceOutcome, provenanceCell } from './provenance-check.ts';

export interface SummaryFacts {
  manifest: ReleaseManifest;
  config: ReleaseConfig;
  environment: string;
  releaseUrl: string;
  /** e.g. https://github.com: links go only to this repository on this server. */
  serverUrl: string;
  deploymentId: number;
  replacedTag: string | undefined;
  /** e.g. octo/app */
  repository: string;
  /** The workflow file name, when known, for the rollback command. */
  workflow: string | undefined;
  provenance: ProvenanceOutcome;
}

const row = (label: string, cell: string): string => `| ${label} | ${markdownTableCell(cell)} |`;
const codeList = (names: readonly string[]): string => names.map((name) => markdownCode(name)).join(', ');

export function renderSummary(facts: SummaryFacts): string {
  const { manifest, config, environment } = facts;
  const keys = Object.keys(config.values).sort();
  const repositoryUrl = `${facts.serverUrl}/${facts.repository}`;
  const lines = [
    `## Deployed ${markdownCode(manifest.tag)} to ${markdownCode(environment)}`,
    '',
    '| | |',
    '| --- | --- |',
    row(
      'Release',
      `${markdownLink(manifest.tag, facts.releaseUrl, repositoryUrl)} (version ${markdownCode(manifest.version)})`,
    ),
    row('Build digest', `${markdownCode(manifest.build.digest)} (verified)`),
    row('Commit', `${markdownCode(manifest.build.commit)} (${markdownCode(manifest.build.ref)})`),
    row('Config keys', keys.length === 0 ? '_none_' : codeList(keys)),
    row(
      'Secret keys',
      `${config.secretKeys.length === 0 ? '_none_' : codeList(config.secretKeys)} (values from the job's secrets, never shown)`,
    ),
    row(
      'Replaced',
      facts.replacedTag === undefined ? '_nothing: first deploy of this environment_' : markdownCode(facts.replacedTag),
    ),
    row('Deployment', String(facts.deploymentId)),
    row('Provenance', provenanceCell(facts.provenance)),
    '',
  ];
  if (facts.replacedTag !== undefined) {
    const workflow = facts.workflow === undefined ? '<this workflow>' : shellWord(facts.workflow);
    const command = [
      'gh workflow run',
      workflow,
      '--repo',
      shellWord(facts.repository),
      '-f',
      shellWord(`tag=${facts.replacedTag}`),
      '-f',
      shellWord(`environment=${environment}`),
    ].join(' ');
    lines.push(
      '### Roll back',
      '',
      `Deploy ${markdownCode(facts.replacedTag)} again: run this workflow from the Actions tab ("Run workflow") with tag ${markdownCode(facts.replacedTag)} (or ${markdownCode('previous')}) and environment ${markdownCode(environment)}, or:`,
      '',
      markdownCodeBlock(command, 'sh'),
      '',
    );
  }
  return lines.join('\n');
}
