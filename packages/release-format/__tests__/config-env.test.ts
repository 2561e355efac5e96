import { describe, expect, it } from '@jest/globals';
import { parseConfigEnv, serializeConfigEnv } from '../src/index.ts';

describe('config.env', () => {
  it('writes keys sorted, secret keys as comments, values quoted only when needed', () => {
    const text = serializeConfigEnv({
      values: {
        ZED: 'plain',
        ALPHA: 'two\nlines',
        EMPTY: '',
        SPACED: ' x ',
        QUOTE: 'say "hi"',
        URL: 'https://a.b/c?d=e',
      },
      secretKeys: ['DB_PASSWORD'],
    });
    expect(text).toBe(
      [
        'ALPHA="two\\nlines"',
        '# secret DB_PASSWORD',
        'EMPTY=',
        'QUOTE="say \\"hi\\""',
        'SPACED=" x "',
        'URL=https://a.b/c?d=e',
        'ZED=plain',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['plain', 'value'],
    ['multi-line', 'a\nb\r\nc'],
    ['unicode', 'café ✓'],
    ['dollar and backtick', '$HOME `x`'],
    ['leading hash', '#not a comment'],
    ['backslash', 'C:\\path'],
    ['tab', 'a\tb'],
  ])('round-trips a %s value', (_name, value) => {
    const config = { values: { KEY: value }, secretKeys: ['TOKEN'] };
    expect(parseConfigEnv(serializeConfigEnv(config))).toEqual(config);
  });

  it.each([
    ['a line without =', 'JUST_A_KEY\n', /line 1 is not KEY=VALUE/],
    ['a bad key', '1ABC=x\n', /line 1 is not KEY=VALUE/],
    ['a repeated key', 'A=1\nA=2\n', /line 2 repeats the key A/],
    ['a secret that repeats a key', 'A=1\n# secret A\n', /repeats the key A/],
    ['a broken quoted value', 'A="x\n', /not a JSON string/],
    ['an unquoted unsafe value', 'A=say "hi"\n', /should have been quoted/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseConfigEnv(text)).toThrow(message);
  });

  it('refuses to write a value for a secret key', () => {
    expect(() => serializeConfigEnv({ values: { A: 'x' }, secretKeys: ['A'] })).toThrow(/must not carry a value/);
  });
});
