import { describe, expect, it } from '@jest/globals';
import { parseMakeLatest, parsePrerelease, publishOptions } from '../src/publish-options.ts';

describe('publishOptions', () => {
  it.each<[string, string, boolean | 'auto', 'true' | 'false' | 'auto', boolean, 'true' | 'false']>([
    ['1.2.0', 'production', 'auto', 'auto', false, 'true'],
    ['1.2.0', 'staging', 'auto', 'auto', false, 'false'],
    ['7', 'production', 'auto', 'auto', false, 'true'],
    ['1.3.0-rc.1', 'production', 'auto', 'auto', true, 'false'],
    ['1.3.0-rc.1', 'production', false, 'auto', false, 'true'],
    ['1.2.0', 'production', true, 'true', true, 'false'],
    ['1.2.0', 'staging', 'auto', 'true', false, 'true'],
    ['1.2.0', 'production', 'auto', 'false', false, 'false'],
  ])(
    '%s of %s, prerelease %s, make-latest %s: prerelease %s, make_latest %s',
    (version, env, pre, latest, wantPre, want) => {
      expect(
        publishOptions(version, env, { prerelease: pre, makeLatest: latest, latestEnvironment: 'production' }),
      ).toEqual({ prerelease: wantPre, makeLatest: want });
    },
  );

  it('gives the badge to the environment named by latest-environment', () => {
    const choices = { prerelease: 'auto' as const, makeLatest: 'auto' as const, latestEnvironment: 'live' };
    expect(publishOptions('2.0.0', 'live', choices).makeLatest).toBe('true');
    expect(publishOptions('2.0.0', 'production', choices).makeLatest).toBe('false');
  });
});

describe('inputs', () => {
  it.each([
    ['', 'auto'],
    ['true', 'true'],
    ['false', 'false'],
    [' auto ', 'auto'],
  ])('make-latest %j is %s', (text, expected) => {
    expect(parseMakeLatest(text)).toBe(expected);
  });

  it.each([['legacy'], ['yes'], ['TRUE'], ['true\n::x']])('make-latest refuses %j', (text) => {
    expect(() => parseMakeLatest(text)).toThrow(/Input 'make-latest' must be true, false or auto/);
  });

  it.each<[string, boolean | 'auto']>([
    ['', 'auto'],
    ['true', true],
    ['false', false],
  ])('prerelease %j is %s', (text, expected) => {
    expect(parsePrerelease(text)).toBe(expected);
  });

  it.each([['auto'], ['1'], ['no']])('prerelease refuses %j', (text) => {
    expect(() => parsePrerelease(text)).toThrow(/Input 'prerelease' must be true or false/);
  });
});
