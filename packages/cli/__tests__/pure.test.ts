import { describe, expect, it } from '@jest/globals';
import { escapeHtml, safeLink } from '../src/html.ts';
import { type LedgerDeploymentInput, type LedgerRelease, buildLedger } from '../src/ledger-model.ts';
import { ledgerText } from '../src/ledger-text.ts';
import { forTerminal, jsonForTerminal } from '../src/terminal.ts';

describe('forTerminal', () => {
  it.each([
    ['v1.2.3', 'v1.2.3'],
    ['a\u001b[2Jb', 'a\\u{1b}[2Jb'],
    ['title\u001b]0;x\u0007', 'title\\u{1b}]0;x\\u{7}'],
    ['c1 \u009b31m', 'c1 \\u{9b}31m'],
    ['two\nlines\r', 'two\\u{a}lines\\u{d}'],
    ['bidi \u202eevil\u2066', 'bidi \\u{202e}evil\\u{2066}'],
    ['del\u007f', 'del\\u{7f}'],
    ['zero\u200bwidth soft\u00adhyphen tag\u{e0041}', 'zero\\u{200b}width soft\\u{ad}hyphen tag\\u{e0041}'],
    ['ünïcödé ✓', 'ünïcödé ✓'],
  ])('%j → %j', (input, output) => {
    expect(forTerminal(input)).toBe(output);
  });
});

describe('jsonForTerminal', () => {
  it('escapes what JSON.stringify leaves raw, and reads back as the same value', () => {
    const value = { text: 'a\u009bb\u202ec\u001bd\n\u200b\u00ad\u{e0041}' };
    const json = jsonForTerminal(value);
    expect(json).not.toMatch(/[\u007f-\u009f\u202e\u200b\u00ad\u{e0041}]/u);
    expect(json).toContain('\\udb40\\udc41');
    expect(json).toContain('\\u009b');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('escapeHtml and safeLink', () => {
  it.each([
    ['<b>&"\'', '&lt;b&gt;&amp;&quot;&#39;'],
    // Shown, not dropped: a reader sees that something is there (issue 22, point 8).
    ['a\u0000b\u001bc\u009bd', 'a\\u{0}b\\u{1b}c\\u{9b}d'],
    ['v1\u202e2v', 'v1\\u{202e}2v'],
    ['pay\u200bpal\u00ad\u{e0041}', 'pay\\u{200b}pal\\u{ad}\\u{e0041}'],
    ['tab\tand\nline', 'tab\tand\nline'],
  ])('escapeHtml(%j) → %j', (input, output) => {
    expect(escapeHtml(input)).toBe(output);
  });
  it.each([
    ['https://github.com/o/r/releases/tag/v1', 'https://github.com/o/r/releases/tag/v1'],
    ['http://127.0.0.1:3000/x', 'http://127.0.0.1:3000/x'],
    ['javascript:alert(1)', undefined],
    ['data:text/html,hi', undefined],
    ['not a url', undefined],
    [null, undefined],
  ])('safeLink(%j) → %j', (input, output) => {
    expect(safeLink(input)).toBe(output);
  });
});

const release = (id: number, tag: string, environment: string): LedgerRelease => ({
  id,
  tag,
  environment,
  buildDigest: `sha256:${'a'.repeat(64)}`,
  commit: 'c'.repeat(40),
  publishedAt: `2026-01-0${id}T00:00:00Z`,
  url: `https://github.com/o/r/releases/tag/${tag}`,
  standing: 'verified',
});
let nextId = 100;
const deployment = (tag: string, states: string[], environment = 'staging'): LedgerDeploymentInput => {
  const id = nextId++;
  return {
    id,
    tag,
    environment,
    createdAt: `2026-02-01T00:00:${String(id - 100).padStart(2, '0')}Z`,
    statuses: states.map((state, index) => ({
      state,
      description: `${state} ${tag}`,
      createdAt: `2026-02-01T00:01:${String(index).padStart(2, '0')}Z`,
    })),
  };
};

const PLACE = { repository: 'o/r', serverUrl: 'https://github.com' };

describe('buildLedger', () => {
  const releases = [release(2, 'v2', 'staging'), release(1, 'v1', 'staging'), release(3, 'v3', 'staging')];
  it.each<[string, LedgerDeploymentInput[], [string, string, string][], string | undefined]>([
    ['nothing deployed', [], [], undefined],
    [
      'deploys forward, the last success is live',
      [deployment('v1', ['in_progress', 'success', 'inactive']), deployment('v2', ['in_progress', 'success'])],
      [
        ['v1', 'deploy', 'inactive'],
        ['v2', 'deploy', 'success'],
      ],
      'v2',
    ],
    [
      'an older release after a newer one is a rollback',
      [
        deployment('v1', ['success', 'inactive']),
        deployment('v3', ['success', 'inactive']),
        deployment('v2', ['success']),
      ],
      [
        ['v1', 'deploy', 'inactive'],
        ['v3', 'deploy', 'inactive'],
        ['v2', 'rollback', 'success'],
      ],
      'v2',
    ],
    [
      'the same tag again is a redeploy; a failure keeps the earlier one live',
      [deployment('v1', ['success']), deployment('v1', ['success']), deployment('v3', ['in_progress', 'failure'])],
      [
        ['v1', 'deploy', 'success'],
        ['v1', 'redeploy', 'success'],
        ['v3', 'deploy', 'failure'],
      ],
      'v1',
    ],
    [
      'a failed deploy does not count as what was live for the next one',
      [deployment('v3', ['success']), deployment('v1', ['error']), deployment('v2', ['success'])],
      [
        ['v3', 'deploy', 'success'],
        ['v1', 'rollback', 'error'],
        ['v2', 'rollback', 'success'],
      ],
      'v2',
    ],
  ])('%s', (_name, deployments, events, live) => {
    const ledger = buildLedger(PLACE, releases, deployments);
    const staging = ledger.environments.find((environment) => environment.name === 'staging')!;
    expect(staging.events.map((event) => [event.tag, event.kind, event.state])).toEqual(events);
    expect(staging.live?.tag).toBe(live);
    expect(staging.releases).toEqual(['v1', 'v2', 'v3']);
  });

  it('keeps only the environment asked for', () => {
    const ledger = buildLedger(PLACE, releases, [deployment('v1', ['success'], 'production')], 'production');
    expect(ledger.environments.map((environment) => environment.name)).toEqual(['production']);
  });

  it("keeps only the asked environment's releases, and those whose environment is unknown", () => {
    const unverified: LedgerRelease = {
      ...release(5, 'v5', 'production'),
      environment: undefined,
      buildDigest: undefined,
      standing: 'refused',
      why: 'release.json: its bytes hash to …',
    };
    const mixed = [...releases, release(4, 'v4', 'production'), unverified];
    const ledger = buildLedger(PLACE, mixed, [], 'production');
    expect(ledger.releases.map((r) => r.tag)).toEqual(['v4', 'v5']);
    expect(ledger.known).toEqual(['production', 'staging']);
    expect(buildLedger(PLACE, mixed, []).releases).toHaveLength(5);
  });
});

describe('ledgerText', () => {
  const releases = [release(1, 'v1', 'staging'), release(2, 'v2', 'production')];
  it('for an environment with nothing says so, names the environments found, and lists no other release', () => {
    const text = ledgerText(buildLedger(PLACE, releases, [], 'prod'));
    expect(text).toBe(
      "Ledger of o/r\n\nNo releases or deployments for environment 'prod'. Environments found: production, staging.\n",
    );
  });

  it("for an environment lists that environment's releases only", () => {
    const text = ledgerText(buildLedger(PLACE, releases, [], 'production'));
    expect(text).toContain('  v2  production');
    expect(text).not.toContain('v1');
  });

  it('without releases or deployments says so', () => {
    expect(ledgerText(buildLedger(PLACE, [], []))).toBe('Ledger of o/r\n\nNo releases or deployments yet.\n');
  });
});
