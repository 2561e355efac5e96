/**
 * The job summary a maintainer reads after any deploy, good or bad: what was
 * asked, what happened, what the environment runs now, whether this was a
 * rollback or a redeploy, and what changed against the release it replaced.
 * Every value from the inputs, the release or the API goes through its sink:
 * code spans in table cells, a link only to this repository, a fenced block
 * for an error message. Secret values are never known here; config keys are
 * shown by name only.
 */
import {
  markdownCode,
  markdownCodeBlock,
  markdownLink,
  markdownTableCell,
  markdownText,
} from '@build-release-run/contract';
import type { ReleaseManifest } from '@build-release-run/release-format';
import type { ConfigChange } from '@build-release-run/release-format';
import type { Relation } from './deploy-relation.ts';
import type { ProvenanceOutcome } from '@build-release-run/release-verify';
import { provenanceCell } from './provenance-cell.ts';

export type DeployOutcome =
  | { kind: 'deployed' }
  /** The deploy command ran and failed. */
  | { kind: 'command-failed'; message: string }
  /** Stopped before the command ran (refused, or the release did not verify). */
  | { kind: 'stopped'; message: string };

export type LiveState = { kind: 'tag'; tag: string } | { kind: 'none' } | { kind: 'unknown'; reason: string };

export type ReleaseDifference =
  | { kind: 'compared'; sameBuild: boolean; fromDigest: string; toDigest: string; config: ConfigChange[] }
  | { kind: 'unavailable'; reason: string };

export interface SummaryFacts {
  /** The inputs as given ('' when unset). */
  asked: { tag: string; environment: string };
  outcome: DeployOutcome;
  /** The release's verified manifest, once it was read. */
  manifest: ReleaseManifest | undefined;
  environment: string | undefined;
  deploymentId: number | undefined;
  liveNow: LiveState;
  /** How the release relates to the one live before; undefined when that is not known. */
  relation: Relation | undefined;
  /** The release live before, when it is another one (what a success replaced). */
  replacedTag: string | undefined;
  difference: ReleaseDifference | undefined;
  environmentUrl: string | undefined;
  /** e.g. https://github.com: links go only to this repository on this server. */
  serverUrl: string;
  /** e.g. octo/app */
  repository: string;
  runId: string;
  /** Whether signed provenance was verified; undefined: the deploy stopped before that step. */
  provenance?: ProvenanceOutcome | undefined;
  /** Markdown lines that say how to go back (rollback-guidance.ts); empty: nothing to go back to. */
  goBack: string[];
}

const row = (label: string, cell: string): string => `| ${label} | ${markdownTableCell(cell)} |`;
const codeList = (names: readonly string[]): string => names.map((name) => markdownCode(name)).join(', ');

export function renderSummary(facts: SummaryFacts): string {
  const repositoryUrl = `${facts.serverUrl}/${facts.repository}`;
  const link = (text: string, pathBelowRepository: string) =>
    markdownLink(text, `${repositoryUrl}/${pathBelowRepository}`, repositoryUrl);
  const releaseLink = (tag: string) => link(tag, `releases/tag/${encodeURIComponent(tag)}`);
  const { manifest, outcome } = facts;
  const tag = manifest?.tag ?? facts.asked.tag;
  const environment = facts.environment ?? (facts.asked.environment || undefined);

  const live = (): string => {
    if (facts.liveNow.kind === 'tag') return releaseLink(facts.liveNow.tag);
    if (facts.liveNow.kind === 'none') return '_nothing: no deploy to it has succeeded yet_';
    return `_unknown: ${markdownText(facts.liveNow.reason)}_`;
  };

  const lines = [
    `## ${headline(outcome, facts.relation, tag, environment, facts.replacedTag)}`,
    '',
    `**Live in ${environment === undefined ? 'the environment' : markdownCode(environment)} now:** ${live()}`,
    '',
    '| | |',
    '| --- | --- |',
    row(
      'Asked',
      `tag ${markdownCode(facts.asked.tag)}, environment ${facts.asked.environment === '' ? "_the release's own_" : markdownCode(facts.asked.environment)}`,
    ),
    row('Outcome', outcomeText(outcome, facts.deploymentId !== undefined)),
  ];
  if (facts.relation !== undefined) lines.push(row('Kind', relationText(facts.relation, facts.replacedTag)));
  if (facts.provenance !== undefined) lines.push(row('Provenance', provenanceCell(facts.provenance)));
  if (manifest !== undefined) {
    lines.push(
      row('Release', `${releaseLink(manifest.tag)} (version ${markdownCode(manifest.version)})`),
      row(
        'Commit',
        `${link(manifest.build.commit.slice(0, 12), `commit/${encodeURIComponent(manifest.build.commit)}`)} (${markdownCode(manifest.build.ref)})`,
      ),
      row('Build digest', markdownCode(manifest.build.digest)),
      row('Config keys', manifest.config.keys.length === 0 ? '_none_' : codeList(manifest.config.keys)),
      row(
        'Secret keys',
        `${manifest.config.secretKeys.length === 0 ? '_none_' : codeList(manifest.config.secretKeys)} (values from the job's secrets, never shown)`,
      ),
    );
  }
  if (facts.deploymentId !== undefined && environment !== undefined) {
    lines.push(
      row(
        'Deployment',
        `${link(String(facts.deploymentId), `deployments/${encodeURIComponent(environment)}`)} (the history of ${markdownCode(environment)})`,
      ),
    );
  }
  if (facts.replacedTag !== undefined) {
    lines.push(row(outcome.kind === 'deployed' ? 'Replaced' : 'Would have replaced', releaseLink(facts.replacedTag)));
  }
  if (facts.difference !== undefined && facts.replacedTag !== undefined) {
    lines.push(row(`Changes since ${markdownCode(facts.replacedTag)}`, differenceText(facts.difference)));
  }
  lines.push(
    row(
      'Environment URL',
      facts.environmentUrl === undefined ? "_not given (input 'environment-url')_" : markdownCode(facts.environmentUrl),
    ),
    row('Run', link(`run ${facts.runId}`, `actions/runs/${encodeURIComponent(facts.runId)}`)),
    '',
  );
  if (outcome.kind !== 'deployed') lines.push('### What went wrong', '', markdownCodeBlock(outcome.message), '');
  if (facts.goBack.length > 0) lines.push(...facts.goBack, '');
  return lines.join('\n');
}

function headline(
  outcome: DeployOutcome,
  relation: Relation | undefined,
  tag: string,
  environment: string | undefined,
  replaced: string | undefined,
): string {
  const where = environment === undefined ? '' : ` to ${markdownCode(environment)}`;
  if (outcome.kind === 'command-failed')
    return `Deploy of ${markdownCode(tag)}${where} failed: the deploy command failed`;
  if (outcome.kind === 'stopped')
    return `Deploy of ${markdownCode(tag)}${where} stopped: the deploy command did not run`;
  if (relation === 'rollback' && replaced !== undefined) {
    return `Rolled back${environment === undefined ? '' : ` ${markdownCode(environment)}`} to ${markdownCode(tag)} (from ${markdownCode(replaced)})`;
  }
  if (relation === 'redeploy') return `Redeployed ${markdownCode(tag)}${where}`;
  return `Deployed ${markdownCode(tag)}${where}`;
}

function outcomeText(outcome: DeployOutcome, recorded: boolean): string {
  if (outcome.kind === 'deployed') return 'deployed: the digest chain verified, the deploy command succeeded';
  if (outcome.kind === 'command-failed') {
    return 'the deploy command ran and failed; the deployment is recorded as failed (it may have changed the environment partway)';
  }
  return recorded
    ? 'stopped after the deployment was recorded, before the deploy command ran (recorded as an error)'
    : 'refused before anything ran: no deployment was recorded, nothing changed';
}

function relationText(relation: Relation, replaced: string | undefined): string {
  const from = replaced === undefined ? '' : ` ${markdownCode(replaced)}`;
  switch (relation) {
    case 'rollback':
      return `a **rollback**: an older release than the one live before,${from}`;
    case 'redeploy':
      return 'a **redeploy** of the release that was live';
    case 'first':
      return 'the first deploy of this environment';
    case 'update':
      return `an update: a newer release than${from}`;
  }
}

function differenceText(difference: ReleaseDifference): string {
  if (difference.kind === 'unavailable') return `_not compared: ${markdownText(difference.reason)}_`;
  const build = difference.sameBuild
    ? `build: same (${markdownCode(difference.toDigest)})`
    : `build: different (${markdownCode(difference.fromDigest)} → ${markdownCode(difference.toDigest)})`;
  const named = (kind: ConfigChange['change']) =>
    difference.config.filter((change) => change.change === kind).map((change) => change.key);
  const parts = (['added', 'removed', 'changed'] as const)
    .map((kind) => [kind, named(kind)] as const)
    .filter(([, keys]) => keys.length > 0)
    .map(([kind, keys]) => `${kind} ${codeList(keys)}`);
  return `${build}; config: ${parts.length === 0 ? 'no changes' : parts.join('; ')}`;
}
