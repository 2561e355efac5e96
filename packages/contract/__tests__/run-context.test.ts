import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, readRunContext } from '../src/index.ts';

const JOB = { GITHUB_REPOSITORY: 'octo/app', GITHUB_RUN_ID: '42' };

describe('readRunContext', () => {
  it('reads what the runner sets', () => {
    expect(
      readRunContext({
        ...JOB,
        GITHUB_SHA: 'ABCDEF',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_RUN_ATTEMPT: '3',
        GITHUB_ACTOR: 'octocat',
        GITHUB_SERVER_URL: 'https://ghe.example/',
        GITHUB_API_URL: 'https://ghe.example/api/v3/',
        GITHUB_WORKSPACE: '/w/app',
        RUNNER_TEMP: '/w/_temp',
      }),
    ).toEqual({
      repository: 'octo/app',
      sha: 'abcdef',
      ref: 'refs/heads/main',
      runId: '42',
      runAttempt: '3',
      actor: 'octocat',
      serverUrl: 'https://ghe.example',
      apiUrl: 'https://ghe.example/api/v3',
      workspace: '/w/app',
      runnerTemp: '/w/_temp',
    });
  });

  it('has one set of defaults for every action', () => {
    expect(readRunContext(JOB)).toEqual({
      repository: 'octo/app',
      sha: '',
      ref: 'unknown',
      runId: '42',
      runAttempt: '1',
      actor: 'unknown',
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      workspace: process.cwd(),
      runnerTemp: path.resolve(tmpdir()),
    });
  });

  it.each([
    [{ GITHUB_RUN_ID: '1' }, /^GITHUB_REPOSITORY is not set; this action runs inside a GitHub Actions job\.$/],
    [{ GITHUB_REPOSITORY: 'octo/app' }, /^GITHUB_RUN_ID is not set/],
    [{ ...JOB, GITHUB_REPOSITORY: 'octo' }, /^GITHUB_REPOSITORY must be owner\/name; got "octo"\.$/],
    [{ ...JOB, GITHUB_REPOSITORY: 'octo/app;id' }, /^GITHUB_REPOSITORY must be owner\/name/],
    [{ ...JOB, GITHUB_RUN_ID: '12\n::x' }, /^GITHUB_RUN_ID must be a number; got "12\\n::x"\.$/],
    [{ ...JOB, GITHUB_RUN_ATTEMPT: 'two' }, /^GITHUB_RUN_ATTEMPT must be a number/],
    [{ ...JOB, GITHUB_API_URL: 'file:///etc/passwd' }, /^GITHUB_API_URL must be an http\(s\) URL/],
    [{ ...JOB, GITHUB_SERVER_URL: 'not a url' }, /^GITHUB_SERVER_URL must be an http\(s\) URL/],
  ])('refuses %j', (env, message) => {
    expect(() => readRunContext(env)).toThrow(ConfigurationError);
    expect(() => readRunContext(env)).toThrow(message);
  });
});
