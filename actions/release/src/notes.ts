/**
 * The release notes (for reviewers on the release page) and the job
 * summary. Both are rendered from the same facts; neither can show a secret
 * value because the facts hold none (secret keys are names only).
 */
import {
  type Digest,
  markdownCode,
  markdownCodeBlock,
  markdownLink,
  markdownTableCell,
  markdownText,
  shellWord,
  shortDigest,
} from '@build-release-run/contract';
import { formatBytes } from '@build-release-run/progress';
import { encodeValue } from '@build-release-run/release-format';
import type { ReleaseAttestation } from './attest-release.ts';
import { type ChangeEntry, renderChangeList } from './change-list.ts';
import type { ConfigChange } from '@build-release-run/release-format';
import { renderProvenance } from './provenance-notes.ts';

export interface NotesFacts {
  tag: string;
  environment: string;
  repository: string;
  serverUrl: string;
  commit: string;
  ref: string;
  /** The reusable build workflow that built it (release.json build.builder); undefined: the build action. */
  builder?: string | undefined;
  digest: Digest;
  archive: string;
  size: number;
  configDigest: Digest;
  keys: number;
  secretKeys: readonly string[];
  previous: { tag: string; buildDigest: Digest; commit: string } | null;
  changes: readonly ConfigChange[];
  runUrl: string;
  runId: string;
  /** GITHUB_WORKFLOW and GITHUB_RUN_NUMBER, shown instead of the bare run id when set. */
  workflow?: string;
  runNumber?: string;
  actor: string;
  /** The newest release of another environment with this build: this release promotes it. */
  promotedFrom?: { tag: string; environment: string } | undefined;
  /** GitHub's list of merged pull requests since the previous release; undefined when not read. */
  changeList?: readonly ChangeEntry[] | undefined;
  /** The workflow's own text (inputs `notes`, `notes-file`), shown as plain text. */
  userNotes?: string;
  /** What this run signed; undefined when it resumed a draft (or attestation was not wired). */
  attestation?: ReleaseAttestation | undefined;
}

/** At most this many config changes are listed; the rest are counted. */
const MAX_CHANGES = 200;
const MAX_VALUE = 200;

/**
 * A value as inline code (the code-span sink: a fence longer than any
 * backtick run, so nothing inside is markup): quoted like config.env when
 * needed, cut when long.
 */
export function codeValue(value: string): string {
  let shown = encodeValue(value);
  if (shown.length > MAX_VALUE) shown = `${shown.slice(0, MAX_VALUE)}…`;
  return shown === '' ? '(empty)' : markdownCode(shown);
}

export function renderChange(change: ConfigChange): string {
  const key = markdownCode(change.key);
  switch (change.change) {
    case 'added':
      return change.secret
        ? `- added secret ${key} (value from the deploy job's secrets)`
        : `- added ${key} = ${codeValue(change.value ?? '')}`;
    case 'removed':
      return `- removed ${change.secret ? 'secret ' : ''}${key}`;
    case 'changed':
      if (change.becameSecret) return `- ${key} is now secret (value from the deploy job's secrets)`;
      if (change.becamePlain) return `- ${key} is no longer secret: = ${codeValue(change.to ?? '')}`;
      return `- changed ${key}: ${codeValue(change.from ?? '')} → ${codeValue(change.to ?? '')}`;
  }
}

export function renderConfigChanges(facts: NotesFacts): string[] {
  const since = facts.previous ? `since ${facts.previous.tag}` : '(first release of this environment)';
  const lines = [`### Config changes ${since}`, ''];
  if (facts.changes.length === 0) lines.push(facts.previous ? 'No config changes.' : 'No config keys.');
  for (const change of facts.changes.slice(0, MAX_CHANGES)) lines.push(renderChange(change));
  if (facts.changes.length > MAX_CHANGES) lines.push(`- … and ${facts.changes.length - MAX_CHANGES} more`);
  return lines;
}

/** Links only to this repository on this server (the link sink's policy); anything else shows as text. */
function links(facts: NotesFacts) {
  const repo = `${facts.serverUrl}/${facts.repository}`;
  const commit = encodeURIComponent(facts.commit);
  return {
    commit: markdownLink(facts.commit.slice(0, 7), `${repo}/commit/${commit}`, repo),
    tag: (tag: string) => markdownLink(tag, `${repo}/releases/tag/${encodeURIComponent(tag)}`, repo),
    compare: (from: string, text: string) =>
      markdownLink(text, `${repo}/compare/${encodeURIComponent(from)}...${commit}`, repo),
    run: (text: string) => markdownLink(text, facts.runUrl, repo),
  };
}

const row = (label: string, cell: string): string => `| ${label} | ${markdownTableCell(cell)} |`;

function factsTable(facts: NotesFacts): string[] {
  const link = links(facts);
  const secrets = facts.secretKeys.length ? ` (${facts.secretKeys.map((k) => markdownCode(k)).join(', ')})` : '';
  // The first fact is the header row: GitHub renders a table's header in bold, never an empty one.
  return [
    row('Environment', markdownCode(facts.environment)),
    '|---|---|',
    row('Commit', `${link.commit} on ${markdownCode(facts.ref)}`),
    row('Build', markdownCode(facts.digest)),
    row('Archive', `${markdownCode(facts.archive)} (${formatBytes(facts.size)})`),
    row(
      'Config',
      `${markdownCode(facts.configDigest)}: ${facts.keys} keys, ${facts.secretKeys.length} secret keys${secrets}`,
    ),
    row('Previous', facts.previous ? link.tag(facts.previous.tag) : 'none (first release of this environment)'),
    ...(facts.promotedFrom
      ? [row('Promoted from', `${link.tag(facts.promotedFrom.tag)} (${markdownCode(facts.promotedFrom.environment)})`)]
      : []),
    row('Made by', `${link.run(runName(facts))}, @${markdownText(facts.actor)}`),
  ];
}

/** `CI #42` (the workflow's name and run number, as the Actions tab shows a run); `run 123456` without them. */
function runName(facts: NotesFacts): string {
  if (facts.workflow && facts.runNumber) return `${facts.workflow} #${facts.runNumber}`;
  return `run ${facts.runId}`;
}

function codeChanges(facts: NotesFacts): string[] {
  const lines = ['### Code changes', ''];
  const promoted = facts.promotedFrom
    ? ` Promoted from ${markdownCode(facts.promotedFrom.tag)} (${markdownText(facts.promotedFrom.environment)}): the same build, not rebuilt.`
    : '';
  if (!facts.previous) {
    lines.push(`First release of this environment.${promoted}`);
  } else if (facts.previous.buildDigest === facts.digest) {
    // Only one sentence about config: the config section says what changed.
    lines.push(
      facts.changes.length === 0
        ? `Same build and config as ${markdownCode(facts.previous.tag)} (${markdownCode(shortDigest(facts.digest))}): nothing changed but the release.`
        : `Same build as ${markdownCode(facts.previous.tag)} (${markdownCode(shortDigest(facts.digest))}): a config-only release.`,
    );
  } else if (facts.previous.commit === facts.commit) {
    lines.push(
      `New build of the same commit as ${markdownCode(facts.previous.tag)} (${markdownCode(shortDigest(facts.previous.buildDigest))} → ${markdownCode(shortDigest(facts.digest))}).`,
    );
  } else {
    lines.push(
      `Build changed since ${markdownCode(facts.previous.tag)} (${markdownCode(shortDigest(facts.previous.buildDigest))} → ${markdownCode(shortDigest(facts.digest))}): ` +
        `${links(facts).compare(facts.previous.commit, `commits ${facts.previous.commit.slice(0, 7)}...${facts.commit.slice(0, 7)}`)}.${promoted}`,
    );
  }
  if (facts.changeList && (facts.changeList.length > 0 || facts.previous?.buildDigest !== facts.digest)) {
    lines.push('', ...renderChangeList(facts.changeList, facts.previous?.tag, facts));
  }
  return lines;
}

/**
 * The workflow's own notes as plain text (a link, HTML or markup in them is
 * shown as written), each line kept as a line with a hard break.
 */
export function renderUserNotes(text: string | undefined): string[] {
  const lines = (text ?? '').replace(/\r\n?/g, '\n').trim().split('\n');
  if (lines.length === 1 && lines[0] === '') return [];
  const shown = lines.map((line, i) => {
    const escaped = markdownText(line.trimEnd());
    const next = lines[i + 1];
    return next !== undefined && next.trim() !== '' && escaped !== '' ? `${escaped}\\` : escaped;
  });
  return [...shown, ''];
}

/** What the notes and the summary both show, in this order: the facts, the config changes, the code changes. */
function sharedSections(facts: NotesFacts): string[] {
  return [...factsTable(facts), '', ...renderConfigChanges(facts), '', ...codeChanges(facts), ''];
}

export function renderReleaseNotes(facts: NotesFacts, marker: string): string {
  return [
    `## ${markdownText(facts.tag)} for ${markdownText(facts.environment)}`,
    '',
    ...renderUserNotes(facts.userNotes),
    ...sharedSections(facts),
    '### Verify',
    '',
    'Download every asset of this release into one folder, then:',
    '',
    markdownCodeBlock(
      [
        `gh release download ${shellWord(facts.tag)} --repo ${shellWord(facts.repository)}`,
        'sha256sum -c SHA256SUMS',
      ].join('\n'),
      'sh',
    ),
    '',
    `The archive's sha256 is the build digest; \`release.json\` records the digests of the build and the config.`,
    '',
    ...renderProvenance(facts.attestation, facts),
    '',
    marker,
    '',
  ].join('\n');
}

/** GitHub's release URL when it is on this server (it is on github.com); else the release's page built here. */
function releaseLink(facts: NotesFacts, releaseUrl: string): string {
  const repo = `${facts.serverUrl}/${facts.repository}`;
  return releaseUrl.startsWith(`${repo}/`) ? markdownLink(facts.tag, releaseUrl, repo) : links(facts).tag(facts.tag);
}

export function renderSummary(facts: NotesFacts, releaseUrl: string, resumed: string | undefined): string {
  return [
    `## Released ${releaseLink(facts, releaseUrl)} for ${markdownText(facts.environment)}`,
    '',
    ...(resumed ? [resumed, ''] : []),
    ...sharedSections(facts),
    ...renderProvenance(facts.attestation, facts),
    '',
  ].join('\n');
}
