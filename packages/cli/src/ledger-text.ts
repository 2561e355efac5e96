/** The ledger for a terminal: every piece of release text through forTerminal. */
import { shortDigest } from '@build-release-run/contract';
import type { Ledger, LedgerEvent } from './ledger-model.ts';
import { forTerminal } from './terminal.ts';

const MARK: Record<string, string> = { success: '✓', failure: '✗', error: '✗', inactive: '·' };

export function ledgerText(ledger: Ledger): string {
  const lines: string[] = [`Ledger of ${forTerminal(ledger.repository)}`];
  if (ledger.environments.length === 0) lines.push('', nothingFound(ledger));
  for (const environment of ledger.environments) {
    lines.push('', `${forTerminal(environment.name)}`);
    const live = environment.live;
    lines.push(
      live === undefined
        ? '  live: nothing (no successful deployment)'
        : `  live: ${forTerminal(live.tag)} (deployment ${live.deploymentId}, since ${live.since}${live.environmentUrl ? `, ${forTerminal(live.environmentUrl)}` : ''})`,
    );
    if (environment.releases.length > 0) {
      lines.push(`  releases: ${environment.releases.map((tag) => forTerminal(tag)).join(', ')}`);
    }
    for (const event of environment.events) lines.push(`  ${eventLine(event)}`);
  }
  if (ledger.releases.length > 0) {
    lines.push('', 'Releases (verified, unattested or refused as deploy would, and why):');
    for (const release of ledger.releases) {
      const build = release.buildDigest === undefined ? '-' : shortDigest(release.buildDigest as `sha256:${string}`);
      const why = release.why === undefined ? '' : `: ${forTerminal(release.why)}`;
      lines.push(
        `  ${forTerminal(release.tag)}  ${forTerminal(release.environment ?? '?')}  build ${build}  commit ${forTerminal((release.commit ?? '').slice(0, 7)) || '-'}  ${release.publishedAt ?? ''}  ${release.standing}${why}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function eventLine(event: LedgerEvent): string {
  const mark = MARK[event.state] ?? '…';
  const what =
    event.kind === 'rollback'
      ? `rollback to ${forTerminal(event.tag)} (from ${forTerminal(event.replaced ?? '?')})`
      : event.kind === 'redeploy'
        ? `redeploy of ${forTerminal(event.tag)}`
        : `deploy of ${forTerminal(event.tag)}`;
  const why = event.description ? `: ${forTerminal(event.description)}` : '';
  return `${mark} ${event.at}  ${what}  [${event.state}, deployment ${event.deploymentId}]${why}`;
}

function nothingFound(ledger: Ledger): string {
  if (ledger.only === undefined) return 'No releases or deployments yet.';
  const known = ledger.known.map((name) => forTerminal(name)).join(', ');
  return `No releases or deployments for environment '${forTerminal(ledger.only)}'.${known ? ` Environments found: ${known}.` : ''}`;
}
