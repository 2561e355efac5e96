/**
 * The rendered release notes, as GitHub renders them (micromark with GFM):
 * GitHub's change list and the workflow's own notes shown safely, a
 * promotion said, one consistent sentence about config, the run named as
 * the Actions tab names it, a table without an empty header, sizes in
 * human units.
 */
import { describe, expect, it } from '@jest/globals';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { parseChangeList } from '../src/change-list.ts';
import { diffConfig } from '@build-release-run/release-format';
import { type NotesFacts, renderReleaseNotes } from '../src/notes.ts';

const D1 = `sha256:${'1'.repeat(64)}` as const;
const D2 = `sha256:${'2'.repeat(64)}` as const;

const base: NotesFacts = {
  tag: 'v2',
  environment: 'production',
  repository: 'octo/app',
  serverUrl: 'https://github.com',
  commit: 'b'.repeat(40),
  ref: 'refs/heads/main',
  digest: D2,
  archive: 'app-222222222222.tar.gz',
  size: 5 * 1024 * 1024 + 300,
  configDigest: D1,
  keys: 1,
  secretKeys: [],
  previous: { tag: 'v1', buildDigest: D1, commit: 'a'.repeat(40) },
  changes: diffConfig({ values: { A: '1' }, secretKeys: [] }, { values: { A: '2' }, secretKeys: [] }),
  runUrl: 'https://github.com/octo/app/actions/runs/5',
  runId: '5',
  workflow: 'Build and release',
  runNumber: '42',
  actor: 'octocat',
};

const html = (markdown: string) =>
  micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });

const GENERATED = [
  "## What's Changed",
  '* Add login by @alice in https://github.com/octo/app/pull/7',
  '* [win a prize](https://evil.example) <img src=x onerror=alert(1)> by @mallory in https://evil.example/octo/app/pull/8',
  '',
  '**Full Changelog**: https://github.com/octo/app/compare/v1...v2',
].join('\n');

describe('release notes', () => {
  it("lists GitHub's pull requests, titles as text, links made here to this repository only", () => {
    const notes = renderReleaseNotes({ ...base, changeList: parseChangeList(GENERATED) }, '');
    expect(notes).toContain('### Pull requests since v1');
    expect(notes).toContain('- Add login by @alice in [\\#7](https://github.com/octo/app/pull/7)');
    const rendered = html(notes);
    expect(rendered).not.toMatch(/evil\.example"|<img/);
    for (const href of rendered.matchAll(/href="([^"]*)"/g))
      expect(href[1]).toMatch(/^https:\/\/github\.com\/octo\/app\//);
    expect(rendered).toContain('href="https://github.com/octo/app/pull/8"');
  });

  it("shows the workflow's notes as plain text, line by line", () => {
    const notes = renderReleaseNotes({ ...base, userNotes: 'Fixes the *login*.\n[click](http://evil)\n<b>x</b>' }, '');
    const rendered = html(notes);
    expect(rendered).toContain('Fixes the *login*.<br />');
    expect(rendered).toContain('[click](http://evil)');
    expect(rendered).not.toMatch(/<b>x|href="http:\/\/evil/);
  });

  it('says where a promoted build came from', () => {
    const notes = renderReleaseNotes({ ...base, promotedFrom: { tag: 'v1', environment: 'staging' } }, '');
    expect(notes).toContain('| Promoted from | [v1](https://github.com/octo/app/releases/tag/v1) (`staging`) |');
    expect(notes).toContain('Promoted from `v1` (staging): the same build, not rebuilt.');
    const first = renderReleaseNotes(
      { ...base, previous: null, promotedFrom: { tag: 'v1', environment: 'staging' } },
      '',
    );
    expect(first).toContain('First release of this environment. Promoted from `v1` (staging)');
  });

  it('says one thing about config: a config-only release lists its changes, an unchanged one is not config-only', () => {
    const configOnly = renderReleaseNotes({ ...base, digest: D1 }, '');
    expect(configOnly).toContain('a config-only release');
    expect(configOnly).not.toContain('No config changes.');
    const unchanged = renderReleaseNotes({ ...base, digest: D1, changes: [] }, '');
    expect(unchanged).toContain('No config changes.');
    expect(unchanged).not.toContain('config-only');
    expect(unchanged).toContain('Same build and config as `v1`');
  });

  it('names the run by workflow and number, has no empty header row, and gives sizes in human units', () => {
    const notes = renderReleaseNotes(base, '');
    expect(notes).toContain('[Build and release \\#42](https://github.com/octo/app/actions/runs/5), @octocat');
    expect(notes).not.toMatch(/^\| *\| *\|$/m);
    expect(html(notes)).toContain('<th>Environment</th>');
    expect(notes).toContain('(5.0 MiB)');
    expect(notes).not.toMatch(/\d bytes/);
    // Without the workflow's name, the run id is all there is.
    expect(renderReleaseNotes({ ...base, workflow: undefined }, '')).toContain('[run 5]');
  });
});
