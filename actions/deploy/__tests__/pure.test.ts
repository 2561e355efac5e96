import { describe, expect, it } from '@jest/globals';
import { commandEnvironment, missingSecrets } from '../src/command-env.ts';
import { replacedTag } from '../src/deployment-history.ts';
import { lineRedactor } from '../src/run-command.ts';

describe('commandEnvironment', () => {
  const facts = { tag: 'v3', version: '3', digest: `sha256:${'a'.repeat(64)}`, directory: '/d', environment: 'prod' };

  it('layers job env, config, secrets and RELEASE_*, and drops the action inputs', () => {
    const { env, secretValues } = commandEnvironment(
      { PATH: '/bin', GREETING: 'from job', INPUT_TOKEN: 'ghs_x', DB: 'pw', RELEASE_TAG: 'spoofed' },
      { values: { GREETING: 'from config', PORT: '80' }, secretKeys: ['DB'] },
      facts,
    );
    expect(env).toEqual({
      PATH: '/bin',
      GREETING: 'from config',
      PORT: '80',
      DB: 'pw',
      RELEASE_TAG: 'v3',
      RELEASE_VERSION: '3',
      RELEASE_DIGEST: facts.digest,
      RELEASE_DIR: '/d',
      RELEASE_ENVIRONMENT: 'prod',
    });
    expect(secretValues).toEqual(['pw']);
  });

  it('counts unset and empty secrets as missing', () => {
    expect(missingSecrets(['A', 'B', 'C'], { A: 'x', B: '' })).toEqual(['B', 'C']);
  });
});

describe('lineRedactor', () => {
  it.each([
    [['the pw is hunter2\n'], 'the pw is ***\n'],
    [['the pw is hun', 'ter2 ok\nnext'], 'the pw is *** ok\nnext'],
    [['hunter2hunter2\n'], '******\n'],
    [['a longer-hunter2-x\n'], 'a ***\n'],
  ])('redacts %j', (chunks, expected) => {
    let out = '';
    const redactor = lineRedactor(['hunter2', 'longer-hunter2-x'], (text) => (out += text));
    for (const chunk of chunks) redactor.push(chunk);
    redactor.end();
    expect(out).toBe(expected);
  });

  it('flushes a very long line without a newline, still redacting across the cut', () => {
    let out = '';
    const redactor = lineRedactor(['hunter2'], (text) => (out += text));
    redactor.push('x'.repeat(70 * 1024 - 3) + 'hun');
    redactor.push('ter2');
    redactor.end();
    expect(out).toBe('x'.repeat(70 * 1024 - 3) + '***');
  });
});

describe('replacedTag', () => {
  it.each<[string[], string, string | undefined]>([
    [[], 'v1', undefined],
    [['v1'], 'v2', 'v1'],
    [['v2', 'v1'], 'v2', 'v1'],
    [['v1', 'v2'], 'v2', 'v1'],
    [['v1'], 'v1', undefined],
  ])('history %j, deploying %s → %s', (history, tag, expected) => {
    expect(replacedTag(history, tag)).toBe(expected);
  });
});
