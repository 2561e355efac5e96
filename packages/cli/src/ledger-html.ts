/**
 * The ledger as one self-contained page: inline CSS, no script, no font or
 * image from anywhere, and a Content-Security-Policy that forbids loading
 * anything, so it opens offline and from an artifact. One timeline per
 * environment (releases made for it, deployments, rollbacks, failures, what
 * is live), then the table of releases, each marked verified, unattested
 * or refused (by deploy's reader and the policy) with why. Every piece of
 * release text goes through escapeHtml; links go only to this repository on
 * this server (release pages made from the server, the repository and the
 * tag), never to a host a release or a deployment status names.
 */
import type { Ledger, LedgerEnvironment, LedgerEvent, LedgerRelease } from './ledger-model.ts';
import { escapeHtml as h, safeLink } from './html.ts';
import { STYLE } from './ledger-style.ts';

type Moment =
  | { at: string; order: number; kind: 'release'; release: LedgerRelease }
  | { at: string; order: number; kind: 'deployment'; event: LedgerEvent; live: boolean };

export function ledgerHtml(ledger: Ledger, generatedAt: Date): string {
  const deployments = ledger.environments.reduce((sum, environment) => sum + environment.events.length, 0);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Ledger of ${h(ledger.repository)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Release ledger <span class="repo">${h(ledger.repository)}</span></h1>
  <p class="meta">${ledger.releases.length} release(s) · ${deployments} deployment(s) · ${ledger.environments.length} environment(s) · generated ${h(shortTime(generatedAt.toISOString()))} UTC</p>
  <p class="legend"><span class="k release">released</span><span class="k success">deployed</span><span class="k rollback">rolled back</span><span class="k failure">failed</span><span class="k live">live now</span></p>
</header>
<main>
${ledger.environments.map((environment) => environmentSection(environment, ledger.releases, ledger)).join('\n')}
${ledger.environments.length === 0 ? '<p class="empty">No releases or deployments yet.</p>' : ''}
${releasesTable(ledger.releases, ledger)}
</main>
</body>
</html>
`;
}

/** Links only below `<server>/<repository>/`. */
type Place = Pick<Ledger, 'serverUrl' | 'repository'>;

function environmentSection(environment: LedgerEnvironment, releases: readonly LedgerRelease[], place: Place): string {
  const moments: Moment[] = [];
  let order = 0;
  for (const release of releases) {
    if (release.environment === environment.name) {
      moments.push({ at: release.publishedAt ?? '', order: order++, kind: 'release', release });
    }
  }
  for (const event of environment.events) {
    const live = environment.live?.deploymentId === event.deploymentId;
    moments.push({ at: event.at, order: order++, kind: 'deployment', event, live });
  }
  moments.sort((a, b) => a.at.localeCompare(b.at) || a.order - b.order);
  const live = environment.live;
  const liveText =
    live === undefined
      ? '<span class="nothing">nothing live</span>'
      : `live: <b>${h(live.tag)}</b> <span class="since">since ${h(shortTime(live.since))}</span>${live.environmentUrl ? ` <span class="env-url mono">${h(live.environmentUrl)}</span>` : ''}`;
  return `<section class="env">
  <div class="env-head"><h2>${h(environment.name)}</h2><div class="live-now${live ? '' : ' none'}">${liveText}</div></div>
  <ol class="timeline">
${moments.map((moment) => momentItem(moment, place)).join('\n')}
  </ol>
</section>`;
}

function momentItem(moment: Moment, place: Place): string {
  if (moment.kind === 'release') {
    const release = moment.release;
    return `    <li class="m release"><span class="dot"></span><div class="card">
      <div class="what">released</div><div class="tag">${link(release.url, release.tag, place)}</div>
      <div class="detail">build <span class="mono">${h(shortDigestText(release.buildDigest))}</span> · ${standingText(release)}</div>
      <time>${h(shortTime(moment.at))}</time></div></li>`;
  }
  const event = moment.event;
  const failed = event.state === 'failure' || event.state === 'error';
  const classes = [
    'm',
    failed ? 'failure' : event.kind === 'rollback' ? 'rollback' : event.succeeded ? 'success' : 'pending',
  ];
  if (moment.live) classes.push('live');
  const what = failed
    ? `${event.kind === 'rollback' ? 'rollback' : event.kind} failed`
    : event.kind === 'rollback'
      ? 'rolled back'
      : event.kind === 'redeploy'
        ? 'redeployed'
        : 'deployed';
  const from = event.kind === 'rollback' ? `from ${event.replaced ?? '?'} · ` : '';
  const detail = failed
    ? (event.description ?? event.state)
    : event.state === 'inactive'
      ? `${from}replaced later`
      : event.state === 'success'
        ? `${from}deployment ${event.deploymentId}`
        : `${from}${event.state}`;
  return `    <li class="${classes.join(' ')}"><span class="dot"></span><div class="card">
      ${moment.live ? '<div class="badge">live</div>' : ''}<div class="what">${what}</div><div class="tag">${h(event.tag)}</div>
      <div class="detail">${h(detail)}</div>
      <time>${h(shortTime(event.at))}</time></div></li>`;
}

function releasesTable(releases: readonly LedgerRelease[], place: Place): string {
  if (releases.length === 0) return '';
  const rows = [...releases]
    .reverse()
    .map(
      (
        release,
      ) => `<tr><td class="tag">${link(release.url, release.tag, place)}</td><td>${h(release.environment ?? '—')}</td>
<td class="mono">${h(shortDigestText(release.buildDigest))}</td><td class="mono">${h((release.commit ?? '').slice(0, 7))}</td>
<td>${h(shortTime(release.publishedAt ?? ''))}</td><td>${standingText(release)}</td><td class="why">${h(release.why ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<section class="releases"><h2>Releases</h2>
<table><thead><tr><th>Tag</th><th>Environment</th><th>Build</th><th>Commit</th><th>Published</th><th>Verified</th><th>Why</th></tr></thead>
<tbody>
${rows}
</tbody></table></section>`;
}

function standingText(release: LedgerRelease): string {
  return `<span class="standing ${release.standing}">${release.standing}</span>`;
}

/** A link when `url` is below this repository on this server; the text alone otherwise. */
function link(url: string, text: string, place: Place): string {
  const href = safeLink(url);
  const base = `${place.serverUrl}/${place.repository}/`;
  return href === undefined || !href.startsWith(base) ? h(text) : `<a href="${h(href)}">${h(text)}</a>`;
}

/** The 12 hex digits the build action names archives by. */
function shortDigestText(digest: string | undefined): string {
  return digest === undefined ? '—' : digest.slice('sha256:'.length, 'sha256:'.length + 12);
}

/** `2026-12-02T11:08:36Z` → `2026-12-02 11:08`. */
function shortTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}
