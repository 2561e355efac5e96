import { describe, expect, it } from '@jest/globals';
import {
  ConfigurationError,
  artifactNameForDigest,
  checkEnvironmentName,
  checkTagName,
  inputVariableName,
  isArtifactName,
  isBuildName,
  isConfigKeyName,
  isEnvironmentName,
  isTagName,
  isVersion,
  quoteRefused,
} from '../src/index.ts';

// What an attacker puts in a name: shell, workflow commands, new lines, links.
const HOSTILE = [
  'v9$(echo${IFS}INJECTED>&2)',
  'v1`id`',
  'v1;rm -rf /',
  'v1|cat',
  'v1&&x',
  'v1>out',
  "v1'x",
  'v1"x',
  'v1 x',
  'v1\tx',
  'v1\nx',
  'v1\r',
  'v1::stop-commands::x',
  '::add-mask::x',
  'v1\u007f',
  'v1\u0085',
  'v1\u2028',
  'v1\u202e',
  'v1\u0000',
  '[x](https://evil)',
  'v1<b>',
  'v1#x',
  'v1!x',
  'v1*',
  'v1?',
  'v1~1',
  'v1^',
  'v1\\x',
  'v1@{0}',
  'v1{x}',
  'vé',
  '',
];

describe('tag names', () => {
  it.each(['v1', 'v1.4.2', 'v1.4.2-rc.1+build.5', 'v20261121.234500.2', 'bare', '7', 'release_3'])(
    'accepts %j',
    (tag) => {
      expect(isTagName(tag)).toBe(true);
      expect(checkTagName(tag, 'tag')).toBe(tag);
    },
  );

  // git check-ref-format's rules on top of the charset.
  it.each(['-v1', '.v1', 'v1.', 'v1..2', 'v1.lock', 'v1/2', '@', 'a'.repeat(129), ...HOSTILE])('refuses %j', (tag) => {
    expect(isTagName(tag)).toBe(false);
  });

  it('takes 128 characters and no more', () => {
    expect(isTagName('v'.repeat(128))).toBe(true);
    expect(isTagName('v'.repeat(129))).toBe(false);
  });

  it('names the input, the rule, and quotes the value escaped and cut short', () => {
    expect(() => checkTagName('v1\n::error::x', 'tag')).toThrow(ConfigurationError);
    let message = '';
    try {
      checkTagName(`v1\n::error::${'x'.repeat(200)}`, 'tag');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Input 'tag' must be a release tag: use 1 to 128 ASCII letters/);
    expect(message).toContain('"v1\\n::error::xxx');
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(400);
  });
});

describe('versions', () => {
  it.each(['1', '7', '1.4.2', '0.0.0', '1.4.2-rc.1', '1.4.2+b.5', '20261121.234500', '20261121.234500.3'])(
    'accepts %j',
    (version) => expect(isVersion(version)).toBe(true),
  );
  it.each(['v1', '01', '0', '1.2', '1.2.3.4', '1.02.3', '20261121.2345', '1.2.3-', '1.2.3-rc.01', ...HOSTILE])(
    'refuses %j',
    (version) => expect(isVersion(version)).toBe(false),
  );
});

describe('environment names', () => {
  it.each(['production', 'staging-eu', 'Preview 3', 'prod/us-east-1', 'a', 'x'.repeat(255)])('accepts %j', (name) =>
    expect(isEnvironmentName(name)).toBe(true),
  );
  it.each([
    'prod\u007f',
    'prod\u0000',
    ' prod',
    'prod ',
    'prod"uction',
    'prod:x',
    'x'.repeat(256),
    ...HOSTILE.filter((h) => h !== 'v1 x'),
  ])('refuses %j', (name) => expect(isEnvironmentName(name)).toBe(false));

  it('the DEL character is refused with the same words on every side', () => {
    expect(() => checkEnvironmentName('prod\u007f', 'environment')).toThrow(
      /Input 'environment' must be a deploy target \(environment\) name: .*got "prod\\u007f"/,
    );
  });
});

describe('config keys', () => {
  it.each(['A', '_', 'DATABASE_URL', 'lower_case', 'K'.repeat(128)])('accepts %j', (key) =>
    expect(isConfigKeyName(key)).toBe(true),
  );
  it.each(['1A', 'A-B', 'A.B', 'A B', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSj+', 'K'.repeat(129), ...HOSTILE])(
    'refuses %j',
    (key) => expect(isConfigKeyName(key)).toBe(false),
  );
});

describe('build and artifact names', () => {
  it('accepts what the build action produces', () => {
    expect(isBuildName('my-app.web_1')).toBe(true);
    expect(isArtifactName(artifactNameForDigest(`sha256:${'ab'.repeat(32)}`))).toBe(true);
  });
  it.each(['-x', '.x', 'x/y', 'x:y', 'a'.repeat(101), ...HOSTILE])('refuses the build name %j', (name) =>
    expect(isBuildName(name)).toBe(false),
  );
  it.each([`build-sha256-${'AB'.repeat(32)}`, `build-sha256:${'ab'.repeat(32)}`, 'build-sha256-ab'])(
    'refuses the artifact name %j',
    (name) => expect(isArtifactName(name)).toBe(false),
  );
});

describe('INPUT_ variable names', () => {
  it('follows @actions/core: upper case, spaces as underscores, hyphens kept', () => {
    expect(inputVariableName('config-file')).toBe('INPUT_CONFIG-FILE');
    expect(inputVariableName('working directory')).toBe('INPUT_WORKING_DIRECTORY');
  });
});

describe('quoteRefused', () => {
  it('escapes every control and line-breaking character and cuts at 60', () => {
    expect(quoteRefused('a\u007f\u0085\u2028\u2029\n')).toBe('"a\\u007f\\u0085\\u2028\\u2029\\n"');
    expect(quoteRefused('x'.repeat(100))).toBe(`"${'x'.repeat(60)}…"`);
  });

  it('escapes the invisible characters every sink shows (zero-width, soft hyphen, tags, bidi)', () => {
    const quoted = quoteRefused('v1\u200b\u00ad\u{e0041}\u202e');
    expect(quoted).toBe('"v1\\u200b\\u00ad\\udb40\\udc41\\u202e"');
    expect(JSON.parse(quoted)).toBe('v1\u200b\u00ad\u{e0041}\u202e');
  });
});
