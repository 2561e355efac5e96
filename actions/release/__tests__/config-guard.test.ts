import { describe, expect, it } from '@jest/globals';
import type { ReleaseConfig } from '@build-release-run/release-format';
import { droppedEveryKey, guardConfigReset } from '../src/config-guard.ts';

const config = (values: Record<string, string>, secretKeys: string[] = []): ReleaseConfig => ({ values, secretKeys });

describe('droppedEveryKey', () => {
  it.each<[string, ReleaseConfig | null, ReleaseConfig, string[]]>([
    ['first release', null, config({}), []],
    ['previous had nothing', config({}), config({}), []],
    ['keeps one key', config({ A: '1', B: '2' }), config({ B: '3' }), []],
    ['keeps only a secret', config({ A: '1' }, ['S']), config({}, ['S']), []],
    ['drops all', config({ B: '2', A: '1' }, ['S']), config({}), ['A', 'B', 'S']],
    ['renames all', config({ A: '1' }), config({ C: '1' }), ['A']],
  ])('%s', (_name, previous, next, expected) => {
    expect(droppedEveryKey(previous, next)).toEqual(expected);
  });
});

describe('guardConfigReset', () => {
  const previous = { tag: 'v3', config: config({ DATABASE_URL: 'x', PORT: '80' }, ['API_KEY']) };

  it('refuses naming the keys, the likely cause and the way out', () => {
    expect(() => guardConfigReset(previous, config({}), false)).toThrow(
      /drop every config key of v3 \(API_KEY, DATABASE_URL, PORT\).*'config-file'.*'config-reset: true'/,
    );
  });

  it('never shows a value', () => {
    expect(() => guardConfigReset(previous, config({}), false)).not.toThrow(/=x|'x'/);
  });

  it('lets a reset through when asked', () => {
    expect(() => guardConfigReset(previous, config({}), true)).not.toThrow();
  });

  it('lets a release through that keeps any key', () => {
    expect(() => guardConfigReset(previous, config({ PORT: '81' }), false)).not.toThrow();
  });
});
