/**
 * Bad input: each gets a clear error naming the input, and nothing is
 * created on the server (no write request succeeds).
 */
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readAction } from '@build-release-run/workflow-runner';
import { type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import {
  type TestArchive,
  releaseEnv,
  repositoryState,
  runReleaseInProcess,
  writeTestArchive,
} from '@build-release-run/test-helpers/release-action';

let github: TestGitHub;
let base: string;
let work: string;
let archive: TestArchive;
let other: TestArchive;

beforeAll(async () => {
  github = await startTestGitHub({ immutableReleases: true, readOnlyTokens: ['read-only-token'] });
  // The workspace is a folder of its own, so a file can sit just outside it.
  base = await tempDir('brr-release-bad-');
  work = path.join(base, 'workspace');
  await mkdir(work);
  archive = await writeTestArchive(work);
  other = await writeTestArchive(work, 'other');
  await writeFile(path.join(work, 'app.env'), 'A=1\nSHARED=x\n');
  await writeFile(path.join(work, 'reserved.env'), 'A=1\nBASH_ENV=$(touch /tmp/brr-pwned)\n');
  // A file outside the workspace (its parent), reached by ../ and by a link.
  await writeFile(path.join(base, 'outside.env'), 'STOLEN=1\n');
  await symlink(path.join(base, 'outside.env'), path.join(work, 'linked.env'));
  await copyFile(archive.file, path.join(work, 'not-named-like-a-build.tar.gz'));
  // Files for 'attach': two of one name, one named like a release's own asset, one with a space.
  for (const folder of ['sbom-a', 'sbom-b', 'own']) await mkdir(path.join(work, folder));
  await writeFile(path.join(work, 'sbom-a', 'sbom.json'), '{}');
  await writeFile(path.join(work, 'sbom-b', 'sbom.json'), '{}');
  await writeFile(path.join(work, 'own', 'config.env'), 'A=1\n');
  await writeFile(path.join(work, 'own', 'my sbom.json'), '{}');
  // The checkout's git folder, where actions/checkout keeps the job's token, and a link into it.
  await mkdir(path.join(work, '.git'));
  await writeFile(
    path.join(work, '.git', 'config'),
    `[http]\n\textraheader = AUTHORIZATION: basic ${CHECKOUT_TOKEN}\n`,
  );
  await symlink(path.join('..', '.git', 'config'), path.join(work, 'own', 'sbom.spdx.json'));
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
  await github.close();
  await removeDir(base);
});

const CHECKOUT_TOKEN = Buffer.from(`x-access-token:ghs_${'c0FfEe'.repeat(6)}`).toString('base64');
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
  ['ref in a run not started by a tag', { version: 'ref' }, /^Input 'version' is 'ref', but this workflow run was not/],
  ['an unknown scheme', { version: 'nightly' }, /Input 'version' must be a version .* schemes major, minor, patch/],
  [
    'a pre-release label with a dot',
    { version: 'preminor', preid: 'rc.1' },
    /Input 'preid' must be one pre-release label/,
  ],
  [
    'a pre-release label with shell',
    { version: 'prerelease', preid: '$(id)' },
    /Input 'preid' must be one pre-release label/,
  ],
  ['an unknown make-latest', { 'make-latest': 'legacy' }, /Input 'make-latest' must be true, false or auto/],
  [
    'a bad latest-environment',
    { 'latest-environment': 'prod;id' },
    /Input 'latest-environment' must be a deploy target \(environment\) name/,
  ],
  ['a bad prerelease', { prerelease: 'yes' }, /Input 'prerelease' must be true or false, or empty/],
  ['a bad config-reset', { 'config-reset': 'maybe' }, /Input 'config-reset' must be true or false/],
  ['an unknown attest mode', { attest: 'maybe' }, /Input 'attest' is 'maybe'; use auto \(the default\), true or false/],
  [
    'an existing version',
    { version: 'v1.0.0' },
    /Input 'version': v1\.0\.0 exists; releases are immutable; choose a new version/,
  ],
  ['a config line without =', { config: 'A=1\nJUST_A_WORD' }, /Input 'config' line 2 is not KEY=VALUE/],
  ['a bad key', { config: '1ABC=x' }, /Input 'config' line 1: the name is not a config key: use an environment/],
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
  ['a missing notes file', { 'notes-file': 'missing.md' }, /Input 'notes-file': cannot read 'missing.md'/],
  ['notes too long', { notes: 'x'.repeat(20_001) }, /Inputs 'notes' and 'notes-file' hold 20001 characters/],
  [
    'a notes-file above the workspace',
    { 'notes-file': '../outside.env' },
    /^Input 'notes-file' is "..\/outside.env", which is outside the workspace/,
  ],
  ['a missing config file', { 'config-file': 'missing.env' }, /Input 'config-file': cannot read 'missing.env'/],
  [
    'a key in both config and config-file',
    { 'config-file': 'app.env', config: 'SHARED=y' },
    /SHARED is already set at Input 'config-file' \(app\.env\) line 2/,
  ],
  [
    'a bad secret key name',
    { 'secret-keys': 'db-password' },
    /Input 'secret-keys', name 1: the name is not a config key/,
  ],
  [
    'no environment',
    { environment: '' },
    /^Input 'environment' is required: every release is one environment's config/,
  ],
  [
    'a bad environment',
    { environment: 'prod"uction' },
    /Input 'environment' must be a deploy target \(environment\) name/,
  ],
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
  [
    'an attach glob matching nothing',
    { attach: 'sbom-a/*.json\nmissing/*.spdx' },
    /^Input 'attach': "missing\/\*\.spdx" matches no file/,
  ],
  [
    'an attach outside the workspace',
    { attach: '../outside.env' },
    /^Input 'attach' is "..\/outside.env", which is outside the workspace/,
  ],
  [
    'an attach through a link out',
    { attach: 'linked.env' },
    /^Input 'attach' is "linked.env", which is outside the workspace/,
  ],
  [
    'two attached files of one name',
    { attach: 'sbom-*/sbom.json' },
    /^Input 'attach' selects two files named "sbom.json"/,
  ],
  [
    'an attached config.env',
    { attach: 'own/config.env' },
    /^Input 'attach': 'config.env' is the name of one of the release's own assets/,
  ],
  [
    'an attached file named like the archive',
    { attach: 'app-*.tar.gz' },
    /^Input 'attach': 'app-[0-9a-f]{12}\.tar\.gz' is the name of one of the release's own assets/,
  ],
  [
    "an attach through a link into the checkout's .git folder (the job's token)",
    { attach: 'own/*.spdx.json' },
    /^Input 'attach' is "own\/sbom\.spdx\.json", which is inside a \.git folder in the workspace/,
  ],
  [
    "a config-file in the checkout's .git folder",
    { 'config-file': '.git/config' },
    /^Input 'config-file' is "\.git\/config", which is inside a \.git folder in the workspace/,
  ],
  [
    'an attached file with a space in its name',
    { attach: 'own/my*' },
    /^Input 'attach': the name must be an attached file name: use 1 to 100 ASCII/,
  ],
  ['a from-release that is not a tag', { 'from-release': 'v1 ; id' }, /^Input 'from-release' must be a release tag/],
  ['from-release with archive', { 'from-release': 'v1.0.0' }, /^Inputs 'from-release' and 'archive' are both set/],
  [
    'from-release with commit',
    { 'from-release': 'v1.0.0', archive: '', commit: 'a'.repeat(40) },
    /^Inputs 'from-release' and 'commit' are both set/,
  ],
  [
    'a from-release with no release',
    { 'from-release': 'v404', archive: '', digest: '' },
    /^Input 'from-release' is 'v404', but the repository has no release or tag of that name\./,
  ],
  [
    'a from-release whose build is not digest',
    {
      'from-release': 'v1.0.0',
      archive: '',
      digest: 'OTHER',
      'verify-provenance': 'false',
    },
    /^Input 'digest' is sha256:[0-9a-f]{64}, but v1\.0\.0 carries build sha256:/,
  ],
  [
    'an allow-mutable-release that is not a boolean',
    { 'allow-mutable-release': 'yes' },
    /^Input 'allow-mutable-release' must be true or false; got "yes"/,
  ],
  [
    'a verify-provenance that is not a boolean',
    { 'verify-provenance': 'off' },
    /^Input 'verify-provenance' must be true or false; got "off"/,
  ],
  [
    'a build-signer outside .github/workflows',
    { 'build-signer': 'build.yml, ../evil/x.yml' },
    /^Input 'build-signer' has '\.\.\/evil\/x\.yml', which is not a signing workflow/,
  ],
  [
    'a release-signer at a ref that is not a full ref',
    { 'release-signer': 'promote.yml@main' },
    /^Input 'release-signer' has 'promote\.yml@main', which is not a signing workflow/,
  ],
  [
    'a trusted-builder at a ref that is not a full ref',
    { 'trusted-builder': 'OWNER/build-release-run/.github/workflows/build.yml@v1' },
    /^Input 'trusted-builder' has 'OWNER\/build-release-run\/\.github\/workflows\/build\.yml@v1', which is not a signing workflow/,
  ],
  [
    'a builder that is a URL, not the reusable workflow at its ref',
    { builder: 'https://github.com/OWNER/build-release-run/.github/workflows/build.yml@refs/tags/v1' },
    /^Input 'builder' must be a builder workflow: use owner\/repo\/\.github\/workflows\/<file>\.yml@<ref>/,
  ],
  [
    'a builder with from-release (the promoted release keeps its own)',
    {
      'from-release': 'v1.0.0',
      archive: '',
      builder: 'OWNER/build-release-run/.github/workflows/build.yml@refs/tags/v1',
    },
    /^Inputs 'from-release' and 'builder' are both set/,
  ],
  [
    'a source-ref that is not a ref',
    { 'source-ref': 'refs/pull/1/merge' },
    /^Input 'source-ref' is 'refs\/pull\/1\/merge', which is not a branch or tag ref/,
  ],
  ['both archive and image', { image: 'ghcr.io/acme/app:v1' }, /Inputs 'archive' and 'image' are both set/],
  [
    'an image that is not a reference',
    { archive: '', image: 'ghcr.io/Acme/App:v1' },
    /Input 'image' must be an image reference such as ghcr.io\/owner\/app:tag/,
  ],
  [
    'an image pinned to another digest',
    { archive: '', image: `ghcr.io/acme/app@sha256:${'0'.repeat(64)}` },
    /Input 'image' is pinned to sha256:0{64}, but input 'digest' is sha256:/,
  ],
  [
    'registry credentials without an image',
    { 'registry-username': 'me', 'registry-password': 'pw-123' },
    /Inputs 'registry-username' and 'registry-password' are for an image given by 'image'/,
  ],
  [
    'a registry-password without its registry-username',
    { archive: '', image: 'ghcr.io/acme/app:v1', 'registry-password': 'pw-123' },
    /Input 'registry-username' is empty but 'registry-password' is set/,
  ],
  [
    'registry with image (it is for from-release)',
    { archive: '', image: 'ghcr.io/acme/app:v1', registry: 'ghcr.io' },
    /Input 'registry' is for 'from-release'/,
  ],
  [
    'from-release with registry credentials but no registry',
    { 'from-release': 'v1.0.0', archive: '', 'registry-username': 'me', 'registry-password': 'pw-123' },
    /Input 'registry' is empty but 'registry-username' and 'registry-password' are set/,
  ],
  [
    'from-release with a registry that is not a host',
    { 'from-release': 'v1.0.0', archive: '', registry: 'https://ghcr.io/x' },
    /Input 'registry' must be a registry host\[:port\]/,
  ],
  ...hostileCases(),
];

// Issue 9: what an attacker who writes config or workflow inputs tries.
function hostileCases(): Case[] {
  const reserved: Case[] = [
    'BASH_ENV=$(touch /tmp/brr-pwned)',
    'ENV=/tmp/x',
    'NODE_OPTIONS=--require /tmp/x.js',
    'LD_PRELOAD=/tmp/x.so',
    'PATH=/tmp/evil',
    'GITHUB_OUTPUT=/tmp/out',
    'GITHUB_ENV=/tmp/env',
    'ACTIONS_RUNTIME_TOKEN=x',
    'RELEASE_DIGEST=sha256:0',
    'GIT_SSH_COMMAND=touch /tmp/x',
    'PYTHONSTARTUP=/tmp/x.py',
    'PERL5OPT=-Mx',
    'RUBYOPT=-rx',
    'JAVA_TOOL_OPTIONS=-javaagent:x.jar',
  ].map((line): Case => {
    const key = line.slice(0, line.indexOf('='));
    return [
      `the reserved key ${key}`,
      { config: `APP=1\n${line}` },
      new RegExp(
        `^Input 'config' line 2: ${key} is reserved and may not be set by a release's config: .+\\. Rename the key`,
      ),
    ];
  });
  const hostileText = ['prod\u007f', 'prod\n::add-mask::x', 'prod::x', 'prod`id`', 'prod$(id)', 'prod;id', 'prod|id'];
  return [
    ...reserved,
    [
      'a reserved key in config-file',
      { 'config-file': 'reserved.env' },
      /Input 'config-file' \(reserved\.env\) line 2: BASH_ENV is reserved/,
    ],
    [
      'a reserved secret key',
      { 'secret-keys': 'API_KEY GITHUB_TOKEN' },
      /Input 'secret-keys', name 2: GITHUB_TOKEN is reserved/,
    ],
    ...hostileText.map((environment): Case => [
      `the environment ${JSON.stringify(environment)}`,
      { environment },
      /^Input 'environment' must be a deploy target \(environment\) name: use .*; got "prod/,
    ]),
    ...['1.0.0\n::stop-commands::x', 'v2`id`', 'v2$(id)', '2;id', '2 && id', '1.0.0-rc::x'].map((version): Case => [
      `the version ${JSON.stringify(version)}`,
      { version },
      /^Input 'version' must be a version .*; got "/,
    ]),
    [
      // Refused on its own line now (issue 22, point 2), before another key could repeat it.
      "a secret's value, repeated inside another key",
      { config: 'DB_PASSWORD=pa55-w0rd-x\nDB_DSN=host=db user=app password=pa55-w0rd-x', 'secret-keys': 'DB_PASSWORD' },
      /^Input 'config' line 1: DB_PASSWORD is listed in 'secret-keys', so the config must not give it a value/,
    ],
    [
      'a multi-line secret expanded into the config, its second line a setting of its own',
      { config: 'APP_ENV=staging\nDB_PASSWORD=first-line\nAPI_KEY=second-line', 'secret-keys': 'DB_PASSWORD' },
      /^Input 'config' line 2: DB_PASSWORD is listed in 'secret-keys'.*deploy job's `env:`/,
    ],
    [
      'a PEM block written as plain lines',
      {
        config:
          'TLS_KEY=-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq7BFUpkGp3+XQ==\n-----END PRIVATE KEY-----',
        'secret-keys': 'TLS_KEY',
      },
      /Input 'config' line 1: the value of TLS_KEY opens a '-----BEGIN PRIVATE KEY-----' block/,
    ],
    [
      'a config-file above the workspace',
      { 'config-file': '../outside.env' },
      /^Input 'config-file' is "..\/outside.env", which is outside the workspace/,
    ],
    [
      'a config-file in /proc',
      { 'config-file': '/proc/self/environ' },
      /^Input 'config-file' is "\/proc\/self\/environ", which is outside the workspace/,
    ],
    [
      'a config-file linked outside',
      { 'config-file': 'linked.env' },
      /^Input 'config-file' is "linked.env", which is outside the workspace .*through a symbolic link/,
    ],
    [
      'a deadline that is not a number of minutes',
      { 'deadline-minutes': 'half an hour' },
      /^Input 'deadline-minutes' is 'half an hour'; give the minutes the action may take, a number above 0 and at most 360/,
    ],
    ['a deadline over six hours', { 'deadline-minutes': '361' }, /^Input 'deadline-minutes' is '361'/],
    [
      'an archive outside the workspace',
      { archive: '/etc/passwd' },
      /^Input 'archive' is "\/etc\/passwd", which is outside the workspace/,
    ],
  ];
}

describe('bad input', () => {
  it('has a case for every input action.yml declares', async () => {
    const { inputs } = await readAction(path.resolve(import.meta.dirname, '..'));
    const covered = new Set(cases.flatMap(([, given]) => Object.keys(given)));
    expect(inputs.map((input) => input.id).filter((id) => !covered.has(id))).toEqual([]);
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
    expect(github.server.responseViolations).toEqual([]);
  });
});
