import { describe, expect, it } from '@jest/globals';
import {
  firstCandidate,
  isPrerelease,
  nextAfterConflict,
  parsePreid,
  parseVersionInput,
  timestampVersion,
} from '../src/versioning.ts';

const now = new Date('2026-11-21T23:45:07.123Z');

describe('parseVersionInput', () => {
  it.each([
    ['', { kind: 'scheme', scheme: 'increment', preid: 'rc' }],
    ['patch', { kind: 'scheme', scheme: 'patch', preid: 'rc' }],
    ['preminor', { kind: 'scheme', scheme: 'preminor', preid: 'rc' }],
    ['timestamp', { kind: 'scheme', scheme: 'timestamp', preid: 'rc' }],
    ['1.4.2', { kind: 'explicit', version: '1.4.2' }],
    ['v1.4.2', { kind: 'explicit', version: '1.4.2' }],
    [' v2.0.0-rc.1+build.5 ', { kind: 'explicit', version: '2.0.0-rc.1+build.5' }],
    ['v7', { kind: 'explicit', version: '7' }],
  ])('reads %j', (text, expected) => {
    expect(parseVersionInput(text)).toEqual(expected);
  });

  it('reads ref from the tag that started the run', () => {
    expect(parseVersionInput('ref', 'version', 'rc', 'refs/tags/v1.4.2')).toEqual({ kind: 'ref', version: '1.4.2' });
    expect(() => parseVersionInput('ref', 'version', 'rc', 'refs/heads/main')).toThrow(/not started by a tag/);
    expect(() => parseVersionInput('ref', 'version', 'rc', 'refs/tags/1.4.2')).toThrow(/is not v \+ a version/);
    expect(() => parseVersionInput('ref', 'version', 'rc', 'refs/tags/v1.4.2$(id)')).toThrow(/is not v \+ a version/);
  });

  it.each([['1.2'], ['01.2.3'], ['v'], ['latest'], ['1.2.3.4'], ['v1.2.3 ; rm'], ['0'], ['1.2.3-rc.01'], ['=1.2.3']])(
    'refuses %j',
    (text) => {
      expect(() => parseVersionInput(text)).toThrow(/Input 'version' must be a version/);
    },
  );
});

describe('firstCandidate', () => {
  it.each<[string, string[], string]>([
    ['increment', [], '1'],
    ['increment', ['v1', 'v3', 'v2', 'v1.5.0', 'other'], '4'],
    ['patch', [], '0.0.1'],
    ['patch', ['v1.2.3', 'v1.10.0', 'v1.9.9'], '1.10.1'],
    ['minor', ['v1.2.3'], '1.3.0'],
    ['major', ['v1.2.3', 'v0.9.0'], '2.0.0'],
    ['patch', ['v2.0.0-rc.1', 'v1.0.0'], '1.0.1'],
    ['major', ['1.2.3'], '2.0.0'],
    ['patch', ['v1.9.9', 'v1.10.0-rc.1'], '1.9.10'],
    ['minor', ['v1.2.3', 'v1.3.0-rc.2'], '1.3.0'],
    ['preminor', ['v1.2.3'], '1.3.0-rc.1'],
    ['preminor', ['v1.2.3', 'v1.3.0-rc.1', 'v1.3.0-rc.2'], '1.3.0-rc.3'],
    ['premajor', ['v1.2.3'], '2.0.0-rc.1'],
    ['prepatch', [], '0.0.1-rc.1'],
    ['prerelease', ['v1.2.3', 'v1.3.0-rc.1'], '1.3.0-rc.2'],
    ['prerelease', ['v1.2.3'], '1.2.4-rc.1'],
    ['prerelease', ['v1.3.0-rc.9', 'v1.3.0-rc.10'], '1.3.0-rc.11'],
    ['timestamp', [], '20261121.234507'],
    ['timestamp', ['v20261121.234507'], '20261121.234507.2'],
    ['timestamp', ['v20261121.234507', 'v20261121.234507.2'], '20261121.234507.3'],
  ])('%s after %j is %s', (scheme, tags, expected) => {
    expect(firstCandidate(parseVersionInput(scheme), tags, now)).toBe(expected);
  });

  it('takes an explicit version as given', () => {
    expect(firstCandidate(parseVersionInput('v3.1.4'), ['v3.1.4'], now)).toBe('3.1.4');
  });
});

describe('nextAfterConflict', () => {
  it.each<[string, string, string | undefined]>([
    ['increment', '4', '5'],
    ['patch', '1.2.4', '1.2.5'],
    ['minor', '1.3.0', '1.4.0'],
    ['major', '2.0.0', '3.0.0'],
    ['timestamp', '20261121.234507', '20261121.234507.2'],
    ['timestamp', '20261121.234507.2', '20261121.234507.3'],
    ['prerelease', '1.3.0-rc.1', '1.3.0-rc.2'],
    ['preminor', '1.3.0-rc.1', '1.3.0-rc.2'],
    ['1.4.2', '1.4.2', undefined],
  ])('%s: after %s is taken, tries %s', (request, taken, expected) => {
    expect(nextAfterConflict(parseVersionInput(request), taken)).toBe(expected);
  });

  it('formats timestamps in UTC', () => {
    expect(timestampVersion(new Date('2026-01-02T03:04:05Z'))).toBe('20260102.030405');
  });
});

describe('pre-release labels', () => {
  it('takes the label from preid', () => {
    const request = parseVersionInput('preminor', 'version', parsePreid('beta'));
    expect(firstCandidate(request, ['v1.2.3'], now)).toBe('1.3.0-beta.1');
    expect(firstCandidate(request, ['v1.2.3', 'v1.3.0-beta.1'], now)).toBe('1.3.0-beta.2');
  });

  it('starts a new label for prerelease after another label', () => {
    const request = parseVersionInput('prerelease', 'version', parsePreid('rc'));
    expect(firstCandidate(request, ['v1.3.0-beta.2'], now)).toBe('1.3.0-rc.1');
  });

  it.each([[''], ['rc'], ['beta-2'], ['0']])('accepts preid %j', (text) => {
    expect(() => parsePreid(text)).not.toThrow();
  });

  it.each([['rc.1'], ['01'], ['r c'], ['$(id)'], ['rc\n::x'], ['a'.repeat(33)]])('refuses preid %j', (text) => {
    expect(() => parsePreid(text)).toThrow(/Input 'preid' must be one pre-release label/);
  });

  it.each<[string, boolean]>([
    ['1.3.0-rc.1', true],
    ['1.3.0', false],
    ['7', false],
    ['20261121.234507', false],
  ])('%s is a pre-release: %s', (version, expected) => {
    expect(isPrerelease(version)).toBe(expected);
  });
});
