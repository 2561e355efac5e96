/** The preflight's pure decisions: what says release immutability is on, and what the release does about it. */
import { describe, expect, it } from '@jest/globals';
import type { Release } from '@build-release-run/github-api';
import {
  type ImmutabilityEvidence,
  immutabilityEvidence,
  immutabilityVerdict,
  newestPublished,
  publishedVerdict,
} from '../src/preflight.ts';

function release(id: number, fields: Partial<Release> = {}): Release {
  return {
    id,
    tag_name: `v${id}`,
    target_commitish: 'main',
    name: null,
    draft: false,
    prerelease: false,
    html_url: '',
    upload_url: '',
    created_at: '',
    published_at: null,
    assets: [],
    ...fields,
  };
}

describe('newestPublished', () => {
  it('is the published release with the highest id that carries the flag; drafts and flagless ones are not evidence', () => {
    const releases = [
      release(5, { draft: true, immutable: false }),
      release(3, { immutable: false }),
      release(4),
      release(2, { immutable: true }),
    ];
    expect(newestPublished(releases)?.tag_name).toBe('v3');
    expect(newestPublished([release(1, { draft: true, immutable: true }), release(2)])).toBeUndefined();
  });
});

describe('immutabilityEvidence', () => {
  it.each<[string, Release | undefined, boolean | undefined, ImmutabilityEvidence]>([
    [
      'an immutable newest release says on',
      release(3, { immutable: true }),
      undefined,
      { from: 'release', on: true, tag: 'v3' },
    ],
    [
      'the setting outranks a mutable newest release (turned on since)',
      release(3, { immutable: false }),
      true,
      { from: 'setting', on: true },
    ],
    ['the setting says off', undefined, false, { from: 'setting', on: false }],
    [
      'without the setting, a mutable newest release says off',
      release(3, { immutable: false }),
      undefined,
      { from: 'release', on: false, tag: 'v3' },
    ],
    ['no release and no setting: no evidence', undefined, undefined, { from: 'none' }],
  ])('%s', (_name, newest, setting, expected) => {
    expect(immutabilityEvidence(newest, setting)).toEqual(expected);
  });
});

describe('immutabilityVerdict', () => {
  it.each<[ImmutabilityEvidence, boolean, 'ok' | 'warning' | 'error', RegExp | undefined]>([
    [{ from: 'release', on: true, tag: 'v3' }, false, 'ok', undefined],
    [{ from: 'setting', on: true }, false, 'ok', undefined],
    [{ from: 'none' }, false, 'ok', undefined],
    [
      { from: 'setting', on: false },
      false,
      'error',
      /^Release immutability is off .*deploy would refuse .*Nothing was created\. Turn it on in the repository Settings → General → Releases → 'Enable release immutability' and run this job again\. Or set input 'allow-mutable-release: true'/,
    ],
    [
      { from: 'release', on: false, tag: 'v3' },
      false,
      'error',
      /newest release, v3, is not immutable.*it was turned on after v3: set 'allow-mutable-release: true' once/,
    ],
    [{ from: 'setting', on: false }, true, 'warning', /Releasing anyway, as input 'allow-mutable-release' is true/],
  ])('%j, allow-mutable-release %s: %s', (evidence, allow, level, message) => {
    const verdict = immutabilityVerdict(evidence, allow);
    expect(verdict.level).toBe(level);
    if (message) expect(verdict.level !== 'ok' && verdict.message).toMatch(message);
  });
});

describe('publishedVerdict', () => {
  it.each<[boolean | undefined, boolean, 'ok' | 'warning' | 'error']>([
    [true, false, 'ok'],
    [undefined, false, 'ok'],
    [false, false, 'error'],
    [false, true, 'warning'],
  ])('immutable %s, allow-mutable-release %s: %s', (immutable, allow, level) => {
    const verdict = publishedVerdict(release(7, immutable === undefined ? {} : { immutable }), allow);
    expect(verdict.level).toBe(level);
    if (level === 'error') {
      expect(verdict.level === 'error' && verdict.message).toMatch(
        /^Published v7, but GitHub did not make it immutable.*The release v7 exists, but deploy will refuse it until immutability is on/,
      );
    }
  });
});
