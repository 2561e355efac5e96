import { describe, expect, it } from '@jest/globals';
import { firstCandidate, nextAfterConflict, parseVersionInput, timestampVersion } from '../src/versioning.ts';

const now = new Date('2026-11-21T23:45:07.123Z');

describe('parseVersionInput', () => {
  it.each([
    ['', { kind: 'scheme', scheme: 'increment' }],
    ['patch', { kind: 'scheme', scheme: 'patch' }],
    ['timestamp', { kind: 'scheme', scheme: 'timestamp' }],
    ['1.4.2', { kind: 'explicit', version: '1.4.2' }],
    ['v1.4.2', { kind: 'explicit', version: '1.4.2' }],
    [' v2.0.0-rc.1+build.5 ', { kind: 'explicit', version: '2.0.0-rc.1+build.5' }],
    ['v7', { kind: 'explicit', version: '7' }],
  ])('reads %j', (text, expected) => {
    expect(parseVersionInput(text)).toEqual(expected);
  });

  it.each([['1.2'], ['01.2.3'], ['v'], ['latest'], ['1.2.3.4'], ['v1.2.3 ; rm'], ['0']])('refuses %j', (text) => {
    expect(() => parseVersionInput(text)).toThrow(/Input 'version' must be a version/);
  });
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
    ['timestamp', [], '20261121.234507'],
    ['timestamp', ['v20261121.234507'], '20261121.234507.2'],
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
    ['1.4.2', '1.4.2', undefined],
  ])('%s: after %s is taken, tries %s', (request, taken, expected) => {
    expect(nextAfterConflict(parseVersionInput(request), taken)).toBe(expected);
  });

  it('formats timestamps in UTC', () => {
    expect(timestampVersion(new Date('2026-01-02T03:04:05Z'))).toBe('20260102.030405');
  });
});
