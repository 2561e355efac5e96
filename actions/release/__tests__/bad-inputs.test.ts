/**
 * Bad input: each gets a clear error naming the input, and nothing is
 * created on the server (no write request succeeds).
 */
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type TestGitHub, startTestGitHub } from '../../../test/helpers/github-server.ts';
import { removeDir, tempDir } from '../../../test/helpers/tree.ts';
import {
  type TestArchive,
  releaseEnv,
  repositoryState,
  runReleaseInProcess,
  writeTestArchive,
} from '../../../test/helpers/release-action.ts';

let github: TestGitHub;
let work: string;
let archive: TestArchive;
let other: TestArchive;

beforeAll(async () => {
  github = await startTestGitHub({ immutableReleases: true, readOnlyTokens: ['read-only-token'] });
  work = await tempDir('brr-release-bad-');
  archive = await writeTestArchive(work);
  other = await writeTestArchive(work, 'other');
  await writeFile(path.join(work, 'app.env'), 'A=1\nSHARED=x\n');
  await copyFile(archive.file, path.join(work, 'not-named-like-a-build.tar.gz'));
  // One release exists, so an explicit version can collide with it.
  const made = await runReleaseInProcess(
    await releaseEnv({
      server: github.server,
      workDir: work,
      commit: github.repo.commits.at(-1) as string,
      runId: '1',
      inputs: { digest: archive.digest, archive: archive.file, version: '1.0.0' },
    }),
  );
  expect(made.failure).toBeUndefined();
});

afterAll(async () => {
  expect(github.server.responseViolations).toEqual([]);
  await github.close();
  await removeDir(work);
});

const GITHUB_TOKEN_VALUE = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

type Case = [name: string, inputs: Record<string, string>, message: RegExp, extra?: Record<string, string>];

const cases: Case[] = [
  ['no digest', { digest: '' }, /Input 'digest' is required/],
  ['a malformed digest', { digest: 'sha256:1234' }, /Input 'digest' must be a build digest/],
  ['a digest of another archive', { digest: 'OTHER' }, /Input 'digest' does not match the archive/],
  ['a missing archive', { archive: 'missing-0123456789ab.tar.gz' }, /Input 'archive': no archive file/],
  [
    'an archive not named as builds are',
    { archive: 'not-named-like-a-build.tar.gz' },
    /Input 'archive': the file name/,
  ],
  [
    'neither archive nor artifact storage',
    { archive: '' },
    /Input 'archive' is empty and this step has no artifact storage/,
  ],
  ['a bad version', { version: 'banana' }, /Input 'version' must be a version/],
  ['a two-part version', { version: '1.2' }, /Input 'version' must be a version/],
  ['an unknown scheme', { version: 'nightly' }, /Input 'version' must be a version .* schemes major, minor, patch/],
  [
    'an existing version',
    { version: 'v1.0.0' },
    /Input 'version': v1\.0\.0 exists; releases are immutable; choose a new version/,
  ],
  ['a config line without =', { config: 'A=1\nJUST_A_WORD' }, /Input 'config' line 2 is not KEY=VALUE/],
  ['a bad key', { config: '1ABC=x' }, /Input 'config' line 1: '1ABC' is not a valid key/],
  ['a duplicate key', { config: 'A=1\nA=2' }, /Input 'config' line 2: A is already set at Input 'config' line 1/],
  [
    'an unclosed double quote',
    { config: 'A="abc' },
    /Input 'config' line 1: the double-quoted value of A is not closed/,
  ],
  [
    'an unclosed multi-line value',
    { config: 'A<<EOF\nx' },
    /Input 'config' line 1: the multi-line value of A is never closed/,
  ],
  [
    'a GitHub token as a value',
    { config: `API=${GITHUB_TOKEN_VALUE}` },
    /value of API looks like a GitHub token.*List API in 'secret-keys'/,
  ],
  ['an AWS key ID', { config: 'AWS_ID=AKIAIOSFODNN7EXAMPLE' }, /looks like an AWS access key ID/],
  [
    'a private key',
    { config: 'KEY<<EOF\n-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\nEOF' },
    /looks like a private key/,
  ],
  ['a JWT', { config: `SESSION=${JWT}` }, /looks like a JSON Web Token/],
  [
    'a URL with a password',
    { config: 'DATABASE_URL=postgres://app:hunter2@db:5432/app' },
    /looks like a URL with a password/,
  ],
  ['an npm token', { config: `NPM=npm_${'a1B2c3D4e5F6'.repeat(3)}` }, /looks like an npm token/],
  ['a missing config file', { 'config-file': 'missing.env' }, /Input 'config-file': cannot read 'missing.env'/],
  [
    'a key in both config and config-file',
    { 'config-file': 'app.env', config: 'SHARED=y' },
    /SHARED is already set at Input 'config-file' \(app\.env\) line 2/,
  ],
  ['a bad secret key name', { 'secret-keys': 'db-password' }, /Input 'secret-keys': 'db-password' is not a valid key/],
  ['a bad environment', { environment: 'prod"uction' }, /Input 'environment' must be a deploy target name/],
  ['a bad commit', { commit: 'abc123' }, /Input 'commit' must be the 40-hex SHA/],
  ['a commit not in the repository', { commit: 'f'.repeat(40) }, /Input 'commit': f{40} cannot be tagged/],
  ['bad max-retries', { 'max-retries': 'many' }, /Input 'max-retries' must be a whole number/],
  [
    'a read-only token',
    { token: 'read-only-token' },
    /Input 'token' may not write to this repository \(Resource not accessible by integration\)/,
  ],
  ['an unknown token', { token: 'nobody' }, /Input 'token' was refused by GitHub \(401 Bad credentials\)/],
  ['an empty token', { token: '' }, /Input 'token' is empty/],
];

describe('bad input', () => {
  it('has at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s: a clear error naming the input, nothing created', async (_name, inputs, message) => {
    const before = github.server.requests.length;
    const state = await repositoryState(github.server);
    const resolved = { ...inputs };
    if (resolved.digest === 'OTHER') resolved.digest = other.digest;
    const result = await runReleaseInProcess(
      await releaseEnv({
        server: github.server,
        workDir: work,
        commit: github.repo.commits.at(-1) as string,
        runId: '99',
        inputs: { digest: archive.digest, archive: archive.file, ...resolved },
      }),
    );
    expect(result.failure).toMatch(message);
    expect(result.outputs).toEqual({});
    const writes = github.server.requests.slice(before).filter((r) => r.method !== 'GET' && r.status < 400);
    expect(writes).toEqual([]);
    expect(await repositoryState(github.server)).toEqual(state);
  });
});
