/** The pure decisions: whose release is whose, what to upload, the notes. */
import { describe, expect, it } from '@jest/globals';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import type { Release } from '@build-release-run/github-api';
import { diffConfig } from '@build-release-run/release-format';
import {
  type ProjectedField,
  type ReleaseMarker,
  checkManifestField,
  parseMarker,
  renderMarker,
  validateMarker,
} from '@build-release-run/release-format';
import { type NotesFacts, codeValue, renderReleaseNotes } from '../src/notes.ts';
import { findOwnRelease, findPrevious } from '../src/plan.ts';
import { type PlannedAsset, checkAssets, reconcileAssets } from '../src/release-assets.ts';

const D1 = `sha256:${'1'.repeat(64)}` as const;
const D2 = `sha256:${'2'.repeat(64)}` as const;
const C1 = `sha256:${'c'.repeat(64)}` as const;

function marker(overrides: Partial<ReleaseMarker> = {}): ReleaseMarker {
  return {
    run: '100',
    attempt: '1',
    environment: 'production',
    digest: D1,
    config: C1,
    commit: 'a'.repeat(40),
    createdAt: '2026-11-21T00:00:00.000Z',
    previous: null,
    ...overrides,
  };
}

function release(tag: string, draft: boolean, m?: ReleaseMarker): Release {
  return {
    id: Number(tag.replace(/\D/g, '')) || 1,
    tag_name: tag,
    draft,
    body: m ? `notes\n${renderMarker(m)}\n` : 'made by hand',
    assets: [],
  } as unknown as Release;
}

const identity = { run: '100', environment: 'production', digest: D1, config: C1 };

describe('findOwnRelease (resumable-draft decisions)', () => {
  it.each<[string, Release[], string]>([
    ['nothing yet', [release('v1', false, marker({ run: '99' }))], 'none'],
    ['our draft', [release('v2', true, marker())], 'draft v2'],
    [
      'our published release wins over a stray draft',
      [release('v3', true, marker()), release('v2', false, marker())],
      'published v2',
    ],
    ['a draft of another run', [release('v2', true, marker({ run: '101' }))], 'none'],
    ['our run, another build', [release('v2', true, marker({ digest: D2 }))], 'none'],
    ['our run, another config', [release('v2', true, marker({ config: D2 }))], 'none'],
    ['our run, another environment', [release('v2', true, marker({ environment: 'staging' }))], 'none'],
    ['a release without a marker', [release('v2', true)], 'none'],
  ])('%s', (_name, releases, expected) => {
    const own = findOwnRelease(releases, identity);
    expect(own.kind === 'none' ? 'none' : `${own.kind} ${own.release.tag_name}`).toBe(expected);
  });

  it('finds the previous published release of the same environment only', () => {
    const releases = [
      release('v4', true, marker()),
      release('v3', false, marker({ environment: 'staging' })),
      release('v2', false, marker()),
      release('v1', false, marker()),
    ];
    expect(findPrevious(releases, 'production')?.release.tag_name).toBe('v2');
    expect(findPrevious(releases, 'qa')).toBeUndefined();
  });

  it('round-trips a marker and ignores a broken one', () => {
    const m = marker({ previous: { tag: 'v1', buildDigest: D2, commit: 'b'.repeat(40) } });
    expect(parseMarker(`body\n${renderMarker(m)}`)).toEqual(m);
    expect(parseMarker('<!-- build-release-run {"run":1} -->')).toBeUndefined();
    expect(parseMarker('<!-- build-release-run {not json -->')).toBeUndefined();
  });

  // The marker is a projection of release.json: each field answers to the rule of the field it projects.
  it.each<[string, Partial<Record<keyof ReleaseMarker, unknown>>, ProjectedField, unknown]>([
    [
      'an environment release.json refuses (and would end the comment)',
      { environment: 'x --> y' },
      'environment',
      'x --> y',
    ],
    ['a run ID that is not a number', { run: '0-a' }, 'run.id', '0-a'],
    ['a short commit', { commit: 'abc123' }, 'build.commit', 'abc123'],
    ['a digest in another form', { digest: 'sha256:XYZ' }, 'build.digest', 'sha256:XYZ'],
    ['a time that is not ISO 8601 UTC', { createdAt: 'yesterday' }, 'createdAt', 'yesterday'],
    [
      'a previous tag with a space',
      { previous: { tag: 'v 1', buildDigest: D2, commit: 'b'.repeat(40) } },
      'previous.tag',
      'v 1',
    ],
  ])("refuses %s, by release.json's rule for the field", (_name, change, field, value) => {
    const bad = { ...marker(), ...change };
    const error = new RegExp(`release\\.json: ${field.replace('.', '\\.')}`);
    expect(parseMarker(`<!-- build-release-run ${JSON.stringify(bad)} -->`)).toBeUndefined();
    expect(() => validateMarker(bad)).toThrow(error);
    expect(() => renderMarker(bad as ReleaseMarker)).toThrow(error);
    expect(() => checkManifestField(field, value)).toThrow(error);
  });

  it('refuses a field the manifest does not project', () => {
    const bad = { ...marker(), extra: 'x' };
    expect(parseMarker(`<!-- build-release-run ${JSON.stringify(bad)} -->`)).toBeUndefined();
    expect(() => validateMarker(bad)).toThrow(/exactly the fields/);
  });
});

describe('reconcileAssets and checkAssets', () => {
  const planned: PlannedAsset[] = [
    { name: 'a.tar.gz', size: 10, digest: D1 },
    { name: 'config.env', size: 3, digest: D2 },
  ];
  it.each<[string, { id: number; name: string; state: string; size: number; digest?: string | null }[], object]>([
    ['a fresh draft uploads all', [], { keep: [], remove: [], upload: ['a.tar.gz', 'config.env'] }],
    [
      'a complete asset stays',
      [{ id: 1, name: 'a.tar.gz', state: 'uploaded', size: 10, digest: D1 }],
      { keep: ['a.tar.gz'], remove: [], upload: ['config.env'] },
    ],
    [
      'a starter leftover is deleted and re-uploaded',
      [{ id: 1, name: 'a.tar.gz', state: 'starter', size: 0 }],
      { keep: [], remove: [1], upload: ['a.tar.gz', 'config.env'] },
    ],
    [
      'a wrong digest is replaced',
      [{ id: 1, name: 'a.tar.gz', state: 'uploaded', size: 10, digest: D2 }],
      { keep: [], remove: [1], upload: ['a.tar.gz', 'config.env'] },
    ],
    [
      'a null digest is judged by size',
      [{ id: 1, name: 'config.env', state: 'uploaded', size: 3, digest: null }],
      { keep: ['config.env'], remove: [], upload: ['a.tar.gz'] },
    ],
    [
      'a stranger is removed',
      [{ id: 9, name: 'x.txt', state: 'uploaded', size: 1 }],
      { keep: [], remove: [9], upload: ['a.tar.gz', 'config.env'] },
    ],
  ])('%s', (_name, existing, expected) => {
    const plan = reconcileAssets(planned, existing);
    expect({ ...plan, upload: plan.upload.map((a) => a.name) }).toEqual(expected);
  });

  it('says what forbids publishing', () => {
    expect(
      checkAssets(planned, [
        { name: 'a.tar.gz', state: 'uploaded', size: 10, digest: D2 },
        { name: 'x', state: 'uploaded', size: 1 },
      ]),
    ).toEqual([`a.tar.gz: GitHub reports ${D2}, expected ${D1}`, 'config.env is missing', 'unexpected asset x']);
    expect(
      checkAssets(planned, [
        { name: 'a.tar.gz', state: 'uploaded', size: 10, digest: D1 },
        { name: 'config.env', state: 'uploaded', size: 3, digest: null },
      ]),
    ).toEqual([]);
  });
});

describe('release notes', () => {
  const base: NotesFacts = {
    tag: 'v2',
    environment: 'production',
    repository: 'octo/app',
    serverUrl: 'https://github.com',
    commit: 'b'.repeat(40),
    ref: 'refs/heads/main',
    digest: D2,
    archive: 'app-222222222222.tar.gz',
    size: 10,
    configDigest: C1,
    keys: 2,
    secretKeys: ['DB_PASSWORD'],
    previous: { tag: 'v1', buildDigest: D1, commit: 'a'.repeat(40) },
    changes: diffConfig(
      { values: { A: '1', GONE: 'x', NOW_SECRET: 'v' }, secretKeys: ['OLD_SECRET'] },
      { values: { A: '2', NEW: 'multi\nline' }, secretKeys: ['DB_PASSWORD', 'NOW_SECRET'] },
    ),
    runUrl: 'https://github.com/octo/app/actions/runs/5',
    runId: '5',
    actor: 'octocat',
  };

  it('lists config changes with values for plain keys and names for secret keys', () => {
    const notes = renderReleaseNotes(base, '<!-- m -->');
    expect(notes).toContain('### Config changes since v1');
    expect(notes).toContain('- changed `A`: `1` → `2`');
    expect(notes).toContain("- added secret `DB_PASSWORD` (value from the deploy job's secrets)");
    expect(notes).toContain('- removed `GONE`');
    expect(notes).toContain('- added `NEW` = `"multi\\nline"`');
    expect(notes).toContain('- `NOW_SECRET` is now secret');
    expect(notes).toContain('- removed secret `OLD_SECRET`');
    expect(notes).not.toMatch(/NOW_SECRET.*`v`/);
  });

  it('links the commit, the code changes and says how to verify', () => {
    const notes = renderReleaseNotes(base, '<!-- m -->');
    expect(notes).toContain(`[bbbbbbb](https://github.com/octo/app/commit/${'b'.repeat(40)})`);
    expect(notes).toContain(`https://github.com/octo/app/compare/${'a'.repeat(40)}...${'b'.repeat(40)}`);
    expect(notes).toContain('sha256sum -c SHA256SUMS');
    expect(notes).toContain(D2);
    expect(notes.trimEnd().endsWith('<!-- m -->')).toBe(true);
  });

  it('calls a release with the same build config-only, and a first release first', () => {
    expect(renderReleaseNotes({ ...base, digest: D1 }, '')).toContain('config-only release');
    const first = renderReleaseNotes({ ...base, previous: null }, '');
    expect(first).toContain('First release of this environment.');
    expect(first).toContain('### Config changes (first release of this environment)');
  });

  it('keeps a hostile config value inside its code span: no live link, no HTML, no new row', () => {
    const value = 'x` [evil](http://evil) <script>alert(1)</script> | ``` www.evil.example';
    const changes = diffConfig({ values: {}, secretKeys: [] }, { values: { HOSTILE: value }, secretKeys: [] });
    const notes = renderReleaseNotes({ ...base, changes }, '<!-- m -->');
    const html = micromark(notes, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
    expect(html).not.toMatch(/href="http:\/\/evil|href="http:\/\/www\.evil|<script/);
    for (const href of html.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^https:\/\/github\.com\/octo\/app\//);
    // The value is shown whole, inside one code span.
    expect(html).toContain(
      '<code>&quot;x` [evil](http://evil) &lt;script&gt;alert(1)&lt;/script&gt; | ``` www.evil.example&quot;</code>',
    );
  });

  it.each([
    ['plain', '`plain`'],
    ['', '(empty)'],
    ['has `tick`', '``"has `tick`"``'],
    ['x'.repeat(300), `\`${'x'.repeat(200)}…\``],
  ])('shows %j as inline code', (value, shown) => {
    expect(codeValue(value)).toBe(shown);
  });
});
