import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@build-release-run/contract';
import { decideAttest, parseAttestMode, signingEndpoints, visibilityFromEvent } from '../src/index.ts';

const withToken = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/idtoken?x=1',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
};

describe('the attest input', () => {
  it.each([
    ['', 'auto'],
    [' true ', 'true'],
    ['false', 'false'],
  ])('reads %j as %s', (value, mode) => {
    expect(parseAttestMode(value)).toBe(mode);
  });

  it('refuses anything else, naming the input', () => {
    expect(() => parseAttestMode('yes')).toThrow("Input 'attest' is 'yes'; use auto (the default), true or false.");
  });

  it.each([
    ['auto', withToken, true, undefined],
    ['auto', {}, false, /not attested: the job does not grant 'id-token: write'/],
    ['false', withToken, false, undefined],
    ['true', withToken, true, undefined],
  ] as const)('%s with %j attests: %s', (mode, env, attests, notice) => {
    const decision = decideAttest(mode, env, 'public', 'The build');
    expect(decision.attest).toBe(attests);
    if (!decision.attest && notice) expect(decision.notice).toMatch(notice);
    if (!decision.attest && !notice) expect(decision.notice).toBeUndefined();
  });

  it('fails `true` without a token, saying which permissions to grant', () => {
    expect(() => decideAttest('true', {}, 'public', 'The build')).toThrow(ConfigurationError);
    expect(() => decideAttest('true', {}, 'public', 'The build')).toThrow(/id-token: write.*attestations: write/);
  });
});

describe('the Sigstore instance', () => {
  it.each([
    [
      'public',
      'https://github.com',
      undefined,
      { instance: 'public-good', fulcioUrl: 'https://fulcio.sigstore.dev', rekorUrl: 'https://rekor.sigstore.dev' },
    ],
    [
      'private',
      'https://github.com',
      undefined,
      { instance: 'github', fulcioUrl: 'https://fulcio.githubapp.com', tsaUrl: 'https://timestamp.githubapp.com' },
    ],
    [
      'internal',
      'https://acme.ghe.com',
      undefined,
      { instance: 'github', fulcioUrl: 'https://fulcio.acme.ghe.com', tsaUrl: 'https://timestamp.acme.ghe.com' },
    ],
    [
      'public',
      'https://github.com',
      'http://127.0.0.1:9',
      {
        instance: 'custom',
        fulcioUrl: 'http://127.0.0.1:9',
        rekorUrl: 'http://127.0.0.1:9',
        tsaUrl: 'http://127.0.0.1:9',
      },
    ],
  ] as const)('%s on %s (override %s)', (visibility, server, override, expected) => {
    expect(signingEndpoints(visibility, server, override)).toEqual(expected);
  });

  it.each([
    [{ repository: { visibility: 'public' } }, 'public'],
    [{ repository: { private: false } }, 'public'],
    [{ repository: { visibility: 'internal' } }, 'internal'],
    [{}, 'private'],
  ])('reads the visibility of %j as %s', (event, visibility) => {
    expect(visibilityFromEvent(event)).toBe(visibility);
  });
});
