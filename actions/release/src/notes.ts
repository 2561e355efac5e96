/**
 * The release notes (for reviewers on the release page) and the job
 * summary. Both are rendered from the same facts; neither can show a secret
 * value because the facts hold none (secret keys are names only).
 */
import { type Digest, shortDigest } from '@build-release-run/contract';
import { encodeValue } from '@build-release-run/release-format';
import type { ReleaseAttestation } from './attest-release.ts';
import type { ConfigChange } from './config-diff.ts';
import { renderProvenance } from './provenance-notes.ts';

export interface NotesFacts {
  tag: string;
  environment: string;
  repository: string;
  serverUrl: string;
  commit: string;
  ref: string;
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
  actor: string;
  /** What this run signed; undefined when it resumed a draft (or attestation was not wired). */
  attestation?: ReleaseAttestation | undefined;
}

/** At most this many config changes are listed; the rest are counted. */
const MAX_CHANGES = 200;
const MAX_VALUE = 200;

/** A value as inline code: quoted like config.env when needed, cut when long, backticks fenced. */
export function codeValue(value: string): string {
  let shown = encodeValue(value);
  if (shown.length > MAX_VALUE) shown = `${shown.slice(0, MAX_VALUE)}…`;
  const fence = shown.includes('`') ? '``' : '`';
  const pad = fence.length > 1 || shown.startsWith('`') || shown.endsWith('`') ? ' ' : '';
  return shown === '' ? '(empty)' : `${fence}${pad}${shown}${pad}${fence}`;
}

export function renderChange(change: ConfigChange): string {
  const key = `\`${change.key}\``;
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
  if (facts.changes.length === 0) lines.push('No config changes.');
  for (const change of facts.changes.slice(0, MAX_CHANGES)) lines.push(renderChange(change));
  if (facts.changes.length > MAX_CHANGES) lines.push(`- … and ${facts.changes.length - MAX_CHANGES} more`);
  return lines;
}

function links(facts: NotesFacts) {
  const repo = `${facts.serverUrl}/${facts.repository}`;
  return {
    commit: `[\`${facts.commit.slice(0, 7)}\`](${repo}/commit/${facts.commit})`,
    tag: (tag: string) => `[${tag}](${repo}/releases/tag/${encodeURIComponent(tag)})`,
    compare: (from: string) => `${repo}/compare/${from}...${facts.commit}`,
  };
}

function factsTable(facts: NotesFacts): string[] {
  const link = links(facts);
  const secrets = facts.secretKeys.length ? ` (${facts.secretKeys.map((k) => `\`${k}\``).join(', ')})` : '';
  return [
    '| | |',
    '|---|---|',
    `| Environment | \`${facts.environment}\` |`,
    `| Commit | ${link.commit} on \`${facts.ref}\` |`,
    `| Build | \`${facts.digest}\` |`,
    `| Archive | \`${facts.archive}\` (${facts.size} bytes) |`,
    `| Config | \`${facts.configDigest}\`: ${facts.keys} keys, ${facts.secretKeys.length} secret keys${secrets} |`,
    `| Previous | ${facts.previous ? link.tag(facts.previous.tag) : 'none (first release of this environment)'} |`,
    `| Made by | [run ${facts.runId}](${facts.runUrl}), @${facts.actor} |`,
  ];
}

function codeChanges(facts: NotesFacts): string[] {
  const lines = ['### Code changes', ''];
  if (!facts.previous) {
    lines.push('First release of this environment.');
  } else if (facts.previous.buildDigest === facts.digest) {
    lines.push(`Same build as ${facts.previous.tag} (\`${shortDigest(facts.digest)}\`): a config-only release.`);
  } else if (facts.previous.commit === facts.commit) {
    lines.push(
      `New build of the same commit as ${facts.previous.tag} (\`${shortDigest(facts.previous.buildDigest)}\` → \`${shortDigest(facts.digest)}\`).`,
    );
  } else {
    lines.push(
      `Build changed since ${facts.previous.tag} (\`${shortDigest(facts.previous.buildDigest)}\` → \`${shortDigest(facts.digest)}\`): ` +
        `[commits ${facts.previous.commit.slice(0, 7)}...${facts.commit.slice(0, 7)}](${links(facts).compare(facts.previous.commit)}).`,
    );
  }
  return lines;
}

export function renderReleaseNotes(facts: NotesFacts, marker: string): string {
  return [
    `## ${facts.tag} for ${facts.environment}`,
    '',
    ...factsTable(facts),
    '',
    ...renderConfigChanges(facts),
    '',
    ...codeChanges(facts),
    '',
    '### Verify',
    '',
    'Download every asset of this release into one folder, then:',
    '',
    '```sh',
    `gh release download ${facts.tag} --repo ${facts.repository}`,
    'sha256sum -c SHA256SUMS',
    '```',
    '',
    `The archive's sha256 is the build digest; \`release.json\` records the digests of the build and the config.`,
    '',
    ...renderProvenance(facts.attestation, facts),
    '',
    marker,
    '',
  ].join('\n');
}

export function renderSummary(facts: NotesFacts, releaseUrl: string, resumed: string | undefined): string {
  return [
    `## Released [${facts.tag}](${releaseUrl}) for ${facts.environment}`,
    '',
    ...(resumed ? [resumed, ''] : []),
    ...factsTable(facts),
    '',
    ...renderConfigChanges(facts),
    '',
    ...codeChanges(facts),
    '',
    ...renderProvenance(facts.attestation, facts),
    '',
  ].join('\n');
}
