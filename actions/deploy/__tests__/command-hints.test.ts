import { describe, expect, it } from '@jest/globals';
import { commandFailureHint } from '../src/command-hints.ts';

describe('commandFailureHint', () => {
  it.each([
    [
      127,
      /"command not found": the command runs in RELEASE_DIR=\/tmp\/r \(the unpacked build.*only if the build packed it/,
    ],
    [126, /"found but not runnable".*RELEASE_DIR=\/tmp\/r.*chmod \+x/],
  ])('explains exit %d with where the command ran', (code, hint) => {
    expect(commandFailureHint(code, '/tmp/r')).toMatch(hint);
  });

  it.each([1, 2, 125, 128, 137])('adds nothing to exit %d', (code) => {
    expect(commandFailureHint(code, '/tmp/r')).toBe('');
  });
});
