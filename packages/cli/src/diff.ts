/**
 * `brr diff A B`: the comparison of two releases (release-verify's), as
 * text for a terminal.
 */
import type { ReleaseDiff } from '@build-release-run/release-verify';
import { forTerminal } from './terminal.ts';

export function diffText(diff: ReleaseDiff): string {
  const t = forTerminal;
  const lines = [
    `${t(diff.from.tag)} (${t(diff.from.environment)}, commit ${t(diff.from.commit.slice(0, 7))}) → ${t(diff.to.tag)} (${t(diff.to.environment)}, commit ${t(diff.to.commit.slice(0, 7))})`,
    diff.sameBuild
      ? `build: same (${diff.to.buildDigest})`
      : `build: different (${diff.from.buildDigest} → ${diff.to.buildDigest})`,
  ];
  if (diff.config.length === 0) lines.push('config: no changes');
  else lines.push('config:');
  for (const change of diff.config) {
    const key = t(change.key);
    if (change.change === 'added') {
      lines.push(change.secret ? `  + ${key} (secret)` : `  + ${key}=${t(change.value ?? '')}`);
    } else if (change.change === 'removed') {
      lines.push(`  - ${key}${change.secret ? ' (secret)' : ''}`);
    } else if (change.becameSecret) {
      lines.push(`  ~ ${key}: now a secret`);
    } else if (change.becamePlain) {
      lines.push(`  ~ ${key}: no longer a secret, now ${t(change.to ?? '')}`);
    } else {
      lines.push(`  ~ ${key}: ${t(change.from ?? '')} → ${t(change.to ?? '')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
