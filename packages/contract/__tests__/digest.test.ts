import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, artifactNameForDigest, errorMessage, parseDigest, shortDigest } from '../src/index.ts';

const hex = 'ab'.repeat(32);

describe('parseDigest', () => {
  it.each([
    [`sha256:${hex}`, `sha256:${hex}`],
    [`  sha256:${hex.toUpperCase()}\n`, `sha256:${hex}`],
  ])('accepts %j', (input, expected) => {
    expect(parseDigest(input, 'digest')).toBe(expected);
  });

  it.each([[''], [hex], [`sha256:${hex.slice(1)}`], [`sha512:${hex}`], [`sha256:${'g'.repeat(64)}`]])(
    'refuses %j naming the input',
    (input) => {
      expect(() => parseDigest(input, 'digest')).toThrow(ConfigurationError);
      expect(() => parseDigest(input, 'digest')).toThrow(/Input 'digest' must be a build digest/);
    },
  );
});

describe('names derived from a digest', () => {
  it('names the artifact from the digest alone, without a colon', () => {
    expect(artifactNameForDigest(`sha256:${hex}`)).toBe(`build-sha256-${hex}`);
    expect(shortDigest(`sha256:${hex}`)).toBe('abababababab');
  });
});

describe('errorMessage', () => {
  it('never turns a thrown non-Error into an empty message', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('text')).toBe('text');
    expect(errorMessage({ code: 1 })).toBe('non-error thrown: {"code":1}');
    expect(errorMessage(undefined)).toContain('non-error thrown');
  });
});

describe('errorMessage across realms', () => {
  it('reads the message of an error-like object from another realm', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('new Error("from elsewhere")') as unknown;
    expect(errorMessage(foreign)).toBe('from elsewhere');
  });
});
