import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@build-release-run/contract';
import { GitHubApiError } from '@build-release-run/github-api';
import { failureMessage, runAction } from '../src/run-action.ts';

const TOKEN_USE = { mayNot: 'write to this repository', needs: "'permissions: contents: write'" };

describe('failureMessage', () => {
  it.each([
    [
      'a ConfigurationError, as it is',
      new ConfigurationError("Input 'path' is required."),
      TOKEN_USE,
      "Input 'path' is required.",
    ],
    [
      'a 403 that is not a rate limit, as a token problem',
      new GitHubApiError('POST /x', 403, 'Resource not accessible by integration'),
      TOKEN_USE,
      "Input 'token' may not write to this repository (Resource not accessible by integration). Give the job 'permissions: contents: write', or pass a token that can.",
    ],
    [
      'a 401, as a refused token',
      new GitHubApiError('GET /x', 401, 'Bad credentials'),
      TOKEN_USE,
      "Input 'token' was refused by GitHub (401 Bad credentials); pass a valid token (default: the job's GITHUB_TOKEN).",
    ],
    [
      'a 403 in an action without a token, by its message',
      new GitHubApiError('POST /x', 403, 'nope'),
      undefined,
      // GitHubApiError's own message, hint included (errors.ts), passed on unchanged.
      new GitHubApiError('POST /x', 403, 'nope').message,
    ],
    ['a bug, by its message', new TypeError('x is undefined'), TOKEN_USE, 'x is undefined'],
    ['a thrown string', 'plain text', TOKEN_USE, 'plain text'],
  ])('reports %s', (_name, error, token, expected) => {
    expect(failureMessage(error, token)).toBe(expected);
  });
});

async function captured(main: () => Promise<void>): Promise<{ stdout: string; failed: boolean }> {
  const write = process.stdout.write.bind(process.stdout);
  const exitCode = process.exitCode;
  let stdout = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await runAction(main, TOKEN_USE);
    return { stdout, failed: process.exitCode === 1 };
  } finally {
    process.stdout.write = write;
    process.exitCode = exitCode;
  }
}

describe('runAction', () => {
  it('fails the step with the message of a bug and puts its stack at debug level', async () => {
    const result = await captured(async () => {
      throw new Error('boom');
    });
    expect(result.failed).toBe(true);
    expect(result.stdout).toContain('::error::boom');
    expect(result.stdout).toMatch(/::debug::Error: boom%0A\s+at /);
  });

  it('reports a ConfigurationError without a stack', async () => {
    const result = await captured(async () => {
      throw new ConfigurationError('fix the input');
    });
    expect(result.failed).toBe(true);
    expect(result.stdout).toContain('::error::fix the input');
    expect(result.stdout).not.toContain('::debug::');
  });

  it('leaves a step that returns normally successful', async () => {
    const result = await captured(async () => undefined);
    expect(result).toEqual({ stdout: '', failed: false });
  });
});
