import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@build-release-run/contract';
import { parseConfigText, parseSecretKeys } from '../src/config-input.ts';
import { credentialKind } from '../src/credentials.ts';
import { buildReleaseConfig } from '../src/release-config.ts';

describe('parseConfigText', () => {
  it.each<[string, string, Record<string, string>]>([
    ['bare values, trimmed', 'A=1\n  B = two words  \n', { A: '1', B: 'two words' }],
    ['comments and blank lines', '# note\n\nA=1\n   # indented note\n', { A: '1' }],
    ['an empty value', 'A=', { A: '' }],
    ['= inside a value', 'URL=https://x/?a=b&c=d', { URL: 'https://x/?a=b&c=d' }],
    ['double quotes with JSON escapes', 'A="line1\\nline2 \\"q\\" \\u00e9"', { A: 'line1\nline2 "q" é' }],
    ['double quotes keep spaces', 'A="  padded  "', { A: '  padded  ' }],
    ['single quotes are literal', "A='$HOME \\n'", { A: '$HOME \\n' }],
    ['a multi-line value', 'A<<EOF\nfirst\n  second\nEOF\nB=2', { A: 'first\n  second', B: '2' }],
    ['an empty multi-line value', 'A<<END\nEND', { A: '' }],
    ['CRLF line ends', 'A=1\r\nB=2\r\n', { A: '1', B: '2' }],
    ['a hash inside a value', 'COLOR=#fff', { COLOR: '#fff' }],
  ])('reads %s', (_name, text, expected) => {
    const entries = parseConfigText(text, "Input 'config'");
    expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual(expected);
  });

  it.each([
    ['no =', 'JUST'],
    ['a key with a dash', 'MY-KEY=1'],
    ['a key starting with a digit', '1A=1'],
    ['an empty key', '=1'],
    ['an unclosed double quote', 'A="x'],
    ['text after a closing double quote', 'A="x" y'],
    ['an unclosed single quote', "A='x"],
    ['an unclosed multi-line value', 'A<<EOF\nx\nEO'],
  ])('refuses %s, naming the input and line but not the value', (_name, text) => {
    let error: unknown;
    try {
      parseConfigText(`OK=1\n${text}`, "Input 'config'");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^Input 'config' line 2/);
  });

  it('parses secret key lists separated by commas, spaces and lines', () => {
    expect(parseSecretKeys('A, B\nC  D,,A', 'secret-keys')).toEqual(['A', 'B', 'C', 'D']);
    expect(() => parseSecretKeys('A b-c', 'secret-keys')).toThrow(/Input 'secret-keys': 'b-c'/);
  });
});

describe('credentialKind', () => {
  it.each([
    ['ghp_' + 'A1b2C3d4E5'.repeat(4), 'a GitHub token'],
    ['github_pat_' + 'A1b2C3d4E5_'.repeat(5), 'a GitHub token'],
    ['ghs_' + 'z'.repeat(36), 'a GitHub token'],
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key ID'],
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'an AWS secret access key'],
    ['npm_' + 'a'.repeat(36), 'an npm token'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nabc', 'a private key'],
    ['-----BEGIN PRIVATE KEY-----', 'a private key'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmnop', 'a JSON Web Token'],
    ['https://user:pass@example.com/x', 'a URL with a password'],
    ['redis://:secret@cache:6379', 'a URL with a password'],
    ['xoxb-1234567890-abcdef', 'a Slack token'],
    ['sk_live_' + 'a'.repeat(24), 'a Stripe secret key'],
    ['AIza' + 'b'.repeat(35), 'a Google API key'],
    ['glpat-' + 'c'.repeat(20), 'a GitLab token'],
  ])('recognises %s as %s', (value, kind) => {
    expect(credentialKind(value)).toBe(kind);
  });

  it.each([
    ['info'],
    ['https://example.com/path?x=1'],
    ['postgres://db:5432/app'],
    ['user@example.com'],
    ['0123456789abcdef0123456789abcdef01234567'], // a commit SHA
    ['ghp_short'],
    ['-----BEGIN PUBLIC KEY-----'],
    ['a.b.c'],
  ])('lets %s through', (value) => {
    expect(credentialKind(value)).toBeUndefined();
  });
});

describe('buildReleaseConfig', () => {
  const entries = (text: string) => parseConfigText(text, "Input 'config'");

  it('drops values of secret keys and records their names', () => {
    const built = buildReleaseConfig(entries('A=1\nDB_PASSWORD=hunter2'), ['DB_PASSWORD', 'API_TOKEN']);
    expect(built.config).toEqual({ values: { A: '1' }, secretKeys: ['API_TOKEN', 'DB_PASSWORD'] });
    expect(built.droppedSecretKeys).toEqual(['DB_PASSWORD']);
    expect(JSON.stringify(built)).not.toContain('hunter2');
  });

  it('allows a credential-looking value under a secret key (it is dropped)', () => {
    const built = buildReleaseConfig(entries('T=ghp_' + 'x'.repeat(36)), ['T']);
    expect(built.config.values).toEqual({});
  });

  it('refuses a credential-looking value under an ordinary key, without echoing it', () => {
    const token = 'ghp_' + 'x'.repeat(36);
    expect(() => buildReleaseConfig(entries(`T=${token}`), [])).toThrow(/List T in 'secret-keys'/);
    expect(() => buildReleaseConfig(entries(`T=${token}`), [])).not.toThrow(token);
  });

  it('refuses a key given twice', () => {
    expect(() => buildReleaseConfig(entries('A=1\nB=2\nA=3'), [])).toThrow(
      /line 3: A is already set at Input 'config' line 1/,
    );
  });
});
