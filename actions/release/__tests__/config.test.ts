import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@build-release-run/contract';
import { parseConfigText, parseSecretKeys } from '../src/config-input.ts';
import { credentialKind } from '../src/credentials.ts';
import { buildReleaseConfig } from '../src/release-config.ts';

describe('parseConfigText', () => {
  it.each<[string, string, Record<string, string>]>([
    ['bare values, trimmed', '  A=1\n  B = two words  \n', { A: '1', B: 'two words' }],
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
    expect(() => parseSecretKeys('A b-c', 'secret-keys')).toThrow(
      /^Input 'secret-keys', name 2: the name is not a config key/,
    );
    expect(() => parseSecretKeys('A b-c', 'secret-keys')).not.toThrow(/b-c/);
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

  it('records secret keys by name only', () => {
    const built = buildReleaseConfig(entries('A=1'), ['DB_PASSWORD', 'API_TOKEN']);
    expect(built).toEqual({ values: { A: '1' }, secretKeys: ['API_TOKEN', 'DB_PASSWORD'] });
  });

  // Issue 22, point 2: it used to be dropped with a notice, and a multi-line
  // secret's later lines were published as keys of their own.
  it.each([
    ['a value', 'A=1\nDB_PASSWORD=hunter2', 2],
    ['an empty value', 'DB_PASSWORD=\nA=1', 1],
    ['a multi-line value', 'A=1\nDB_PASSWORD<<EOF\nhunter2\nline2\nEOF', 2],
    ['a credential-looking value', `T=ghp_${'x'.repeat(36)}`, 1],
  ])('refuses a secret key given %s, naming the line and the key, never the value', (_name, text, line) => {
    const key = text.startsWith('T=') ? 'T' : 'DB_PASSWORD';
    expect(() => buildReleaseConfig(entries(text), [key, 'OTHER'])).toThrow(
      new RegExp(
        `^Input 'config' line ${line}: ${key} is listed in 'secret-keys', so the config must not give it a value: a release never stores a secret\\. ` +
          `Remove the line; deploy takes ${key} from the deploy job's \`env:\``,
      ),
    );
    expect(() => buildReleaseConfig(entries(text), [key])).not.toThrow(/hunter2|ghp_|line2/);
  });

  it('refuses a multi-line secret whose later lines read as settings of their own', () => {
    // `DB_PASSWORD=${{ secrets.X }}` with X = 'first\nAPI_KEY=second', as the runner expands it.
    const error = () =>
      buildReleaseConfig(entries('APP_ENV=staging\nDB_PASSWORD=first\nAPI_KEY=second'), ['DB_PASSWORD']);
    expect(error).toThrow(/line 2: DB_PASSWORD is listed in 'secret-keys'/);
    expect(error).not.toThrow(/first|second/);
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

// Observation 6 of issue 9: config lines that carry secrets.
describe('config lines that may hold a secret', () => {
  const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
  const tail = 'Zm9vYmFyYmF6cXV4';

  function refusal(text: string, secretKeys: string[] = []): string {
    try {
      buildReleaseConfig(parseConfigText(text, "Input 'config'"), secretKeys);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return (error as Error).message;
    }
    throw new Error('expected a refusal');
  }

  it.each([
    [
      'a PEM block written as KEY=value lines',
      `TLS_KEY=-----BEGIN PRIVATE KEY-----\n${body}\n${tail}==\n-----END PRIVATE KEY-----`,
      /line 1: the value of TLS_KEY opens a '-----BEGIN PRIVATE KEY-----' block/,
    ],
    [
      'a single-quoted PEM start',
      `TLS_KEY='-----BEGIN RSA PRIVATE KEY-----'\n${body}`,
      /line 1: the value of TLS_KEY opens/,
    ],
    ['a base64 line ending in padding', `CERT_PART=abc\n${tail}==`, /line 2 ends in '=' padding/],
    [
      'a continuation line with an =',
      `TLS_KEY=first\n  ${tail}=x`,
      /line 2 is indented deeper than Input 'config' line 1: if it continues the value of TLS_KEY/,
    ],
    [
      'a continuation line without an =',
      `TLS_KEY=first\n${body}`,
      /line 2 is not KEY=VALUE .* If it continues the value of TLS_KEY \(Input 'config' line 1\)/,
    ],
    ['a key made of base64', `A=1\n${body}+/x=1`, /line 2: the name is not a config key/],
  ])('refuses %s, naming the line but showing none of it', (_name, text, message) => {
    const error = refusal(text, ['TLS_KEY']);
    expect(error).toMatch(message);
    for (const part of [body.slice(0, 12), tail.slice(0, 8), 'first', 'abc']) expect(error).not.toContain(part);
  });

  it('reads the same PEM block written as a multi-line value, as one value', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${body}\n${tail}==\n-----END PRIVATE KEY-----`;
    const entries = parseConfigText(`TLS_KEY<<EOF\n${pem}\nEOF\nA=1`, "Input 'config'");
    expect(entries.map((e) => [e.key, e.value])).toEqual([
      ['TLS_KEY', pem],
      ['A', '1'],
    ]);
    expect(parseConfigText(`TLS_KEY=${JSON.stringify(pem)}`, "Input 'config'")[0]?.value).toBe(pem);
  });

  it.each([
    ['as written', 'DB_DSN=postgres://app:s3cr3t-Pa55@db/app'],
    ['percent-encoded', 'DB_DSN=postgres://app:s3cr3t%2FPa55%40@db/app'],
    ['base64', `AUTH=Basic ${Buffer.from('s3cr3t/Pa55@').toString('base64')}`],
  ])("refuses a secret's value given beside another key that repeats it (%s), showing neither", (_name, line) => {
    // The secret's own line is refused first (a secret key never carries a
    // value), so the repetition never reaches the public config.
    const secret = line.includes('%') || line.startsWith('AUTH') ? 's3cr3t/Pa55@' : 's3cr3t-Pa55';
    const error = refusal(`DB_PASSWORD=${secret}\n${line}`, ['DB_PASSWORD']);
    expect(error).toMatch(/^Input 'config' line 1: DB_PASSWORD is listed in 'secret-keys'/);
    expect(error).not.toContain('s3cr3t');
  });

  it('lets a secret key through by name when the config gives it no value', () => {
    const built = buildReleaseConfig(parseConfigText('DB_HOST=db', "Input 'config'"), ['DB_PASSWORD']);
    expect(built).toEqual({ values: { DB_HOST: 'db' }, secretKeys: ['DB_PASSWORD'] });
  });

  it.each(['BASH_ENV', 'NODE_OPTIONS', 'LD_PRELOAD', 'PATH', 'GITHUB_OUTPUT', 'GITHUB_ENV', 'RELEASE_TAG'])(
    'refuses the reserved key %s, naming it and the reason',
    (key) => {
      expect(refusal(`A=1\n${key}=x`)).toMatch(
        new RegExp(
          `^Input 'config' line 2: ${key} is reserved and may not be set by a release's config: .+\\. Rename the key`,
        ),
      );
      expect(refusal(`A<<EOF\nx\nEOF\n${key}<<EOF\nx\nEOF`)).toMatch(new RegExp(`line 4: ${key} is reserved`));
      expect(() => parseSecretKeys(`A ${key}`, 'secret-keys')).toThrow(
        new RegExp(`^Input 'secret-keys', name 2: ${key} is reserved`),
      );
    },
  );
});
