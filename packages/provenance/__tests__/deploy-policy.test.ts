// The parts of deploy's policy that come from the job, and where the
// trusted root comes from: table tests, and the TUF path with a fake fetch
// (github.com and Sigstore's TUF mirror are not reachable here).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import type { TUFOptions } from '@sigstore/tuf';
import { startSigstoreServer, createOidcIssuer, type SigstoreServer } from '@build-release-run/sigstore-server';
import {
  ProvenanceError,
  defaultBranchFromEvent,
  identityInstance,
  parseSigners,
  parseSourceRef,
} from '../src/index.ts';
import { GITHUB_TUF_MIRROR, loadTrustedRoot, trustedRootSource } from '../src/trusted-root.ts';

describe('identityInstance: the server URL and issuer the certificates carry', () => {
  it.each([
    ['https://github.com', 'https://github.com', 'https://token.actions.githubusercontent.com'],
    // The local stand-ins serve the API elsewhere; the local Fulcio writes github.com, as the real one does.
    ['http://github.localhost:8080', 'https://github.com', 'https://token.actions.githubusercontent.com'],
    ['https://github.example', 'https://github.com', 'https://token.actions.githubusercontent.com'],
    ['https://Octo-Corp.ghe.com', 'https://octo-corp.ghe.com', 'https://token.actions.octo-corp.ghe.com'],
    // Not a tenant: plain http, or a longer host that only ends like one.
    ['http://evil.ghe.com', 'https://github.com', 'https://token.actions.githubusercontent.com'],
    ['https://a.b.ghe.com', 'https://github.com', 'https://token.actions.githubusercontent.com'],
  ])('%s → %s', (serverUrl, identityUrl, issuer) => {
    expect(identityInstance(serverUrl)).toEqual({ serverUrl: identityUrl, issuer });
  });
});

describe('parseSigners: the allow-list of one claim', () => {
  it.each<[string, unknown]>([
    ['', undefined],
    ['  \n ', undefined],
    ['build-release.yml', [{ path: '.github/workflows/build-release.yml' }]],
    [
      '.github/workflows/build-release.yml, promote.yaml\nx.yml',
      [
        { path: '.github/workflows/build-release.yml' },
        { path: '.github/workflows/promote.yaml' },
        { path: '.github/workflows/x.yml' },
      ],
    ],
    // At an exact ref or commit: that file there, whatever the run's ref.
    ['build-release.yml@refs/tags/v2', [{ path: '.github/workflows/build-release.yml', ref: 'refs/tags/v2' }]],
    [`.github/workflows/b.yml@${'a'.repeat(40)}`, [{ path: '.github/workflows/b.yml', ref: 'a'.repeat(40) }]],
    // A workflow of another repository (a reusable builder), at one ref.
    [
      'octo/build-release-run/.github/workflows/build.yml@refs/tags/v1.2.0',
      [{ repository: 'octo/build-release-run', path: '.github/workflows/build.yml', ref: 'refs/tags/v1.2.0' }],
    ],
  ])('%j → %j', (text, expected) => {
    expect(parseSigners(text, 'build-signer')).toEqual(expected);
  });

  it.each([
    '../x.yml',
    '.github/workflows/sub/x.yml',
    'x.txt',
    '.yml',
    'a b.yml',
    // Another repository's workflow needs the ref it is trusted at.
    'octo/app/.github/workflows/x.yml',
    // Refs are full refs or commits, by git's rules.
    'x.yml@main',
    'x.yml@refs/heads/a..b',
    'x.yml@refs/pull/1/merge',
    'x.yml@refs/heads/x.lock',
    'octo/app/.github/workflows/x.yml@v1',
  ])('refuses %j, naming the input', (text) => {
    expect(() => parseSigners(text, 'release-signer')).toThrow(
      /^Input 'release-signer' has .*, which is not a signing workflow\. Give a workflow file of this repository/,
    );
  });
});

describe('parseSourceRef', () => {
  it.each<[string, string | undefined]>([
    ['', undefined],
    ['main', 'refs/heads/main'],
    ['release/2026', 'refs/heads/release/2026'],
    ['refs/heads/main', 'refs/heads/main'],
    ['refs/tags/v1', 'refs/tags/v1'],
  ])('%j → %j', (text, expected) => {
    expect(parseSourceRef(text)).toEqual(expected);
  });

  it.each(['refs/pull/1/merge', 'a..b', 'main/', 'x y', 'refs/heads/x.lock'])('refuses %j', (text) => {
    expect(() => parseSourceRef(text)).toThrow(/Input 'source-ref' is .* not a branch or tag ref/);
  });
});

describe('defaultBranchFromEvent', () => {
  it.each<[unknown, string | undefined]>([
    [{ repository: { default_branch: 'main' } }, 'refs/heads/main'],
    [{ repository: { default_branch: 'trunk' } }, 'refs/heads/trunk'],
    [{ repository: {} }, undefined],
    [{ repository: { default_branch: 7 } }, undefined],
    [undefined, undefined],
  ])('%j → %j', (event, expected) => {
    expect(defaultBranchFromEvent(event)).toEqual(expected);
  });
});

describe('trusted roots', () => {
  let dir: string;
  let sigstore: SigstoreServer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'brr-trusted-root-'));
    sigstore = await startSigstoreServer({ trustedIssuers: [createOidcIssuer()] });
  });
  afterAll(async () => {
    await sigstore.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each<[string, Record<string, string>, ReturnType<typeof trustedRootSource>]>([
    ['public', {}, { kind: 'tuf', instance: 'public-good', mirrorURL: 'https://tuf-repo-cdn.sigstore.dev' }],
    ['private', {}, { kind: 'tuf', instance: 'github', mirrorURL: 'https://tuf-repo.github.com' }],
    ['internal', {}, { kind: 'tuf', instance: 'github', mirrorURL: 'https://tuf-repo.github.com' }],
    ['private', { BRR_SIGSTORE_TRUSTED_ROOT: '/x/root.json' }, { kind: 'file', path: '/x/root.json' }],
  ])('a %s repository with %j reads %j', (visibility, env, expected) => {
    expect(trustedRootSource(visibility as 'public', env)).toEqual(expected);
  });

  it('reads the local stand-in root from the file BRR_SIGSTORE_TRUSTED_ROOT names', async () => {
    const file = path.join(dir, 'root.json');
    await writeFile(file, JSON.stringify(sigstore.trustedRoot));
    expect(await loadTrustedRoot({ kind: 'file', path: file })).toEqual(sigstore.trustedRoot);
  });

  it('refuses a file that is not a trusted root, naming the variable', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, '{"mediaType": "application/json", "tlogs": []}');
    await expect(loadTrustedRoot({ kind: 'file', path: file })).rejects.toThrow(
      /The trusted root file BRR_SIGSTORE_TRUSTED_ROOT \(.*bad\.json\) cannot be read/,
    );
  });

  it('asks TUF for the mirror of the instance, caching under the given folder', async () => {
    const asked: TUFOptions[] = [];
    const root = TrustedRoot.fromJSON(sigstore.trustedRoot);
    const fetchTuf = (options: TUFOptions) => {
      asked.push(options);
      return Promise.resolve(root);
    };
    const loaded = await loadTrustedRoot(trustedRootSource('public', {}), { fetchTuf, cachePath: dir });
    expect(loaded).toEqual(sigstore.trustedRoot);
    expect(asked).toEqual([{ mirrorURL: 'https://tuf-repo-cdn.sigstore.dev', cachePath: dir }]);
  });

  it('says which root could not be had, and how to opt out, when TUF fails', async () => {
    const fetchTuf = () => Promise.reject(new Error('getaddrinfo ENOTFOUND tuf-repo-cdn.sigstore.dev'));
    const failure = loadTrustedRoot(trustedRootSource('public', {}), { fetchTuf, cachePath: dir });
    await expect(failure).rejects.toThrow(ProvenanceError);
    await expect(failure).rejects.toThrow(
      /Could not obtain Sigstore's public-good trusted root from https:\/\/tuf-repo-cdn\.sigstore\.dev: getaddrinfo ENOTFOUND.*set 'verify-provenance: false'/,
    );
  });

  it("refuses GitHub's instance with the real TUF client: its initial root is not shipped", async () => {
    // No network is touched: @sigstore/tuf finds no seed for this mirror before fetching anything.
    await expect(loadTrustedRoot(trustedRootSource('private', {}), { cachePath: dir })).rejects.toThrow(
      new RegExp(
        `Could not obtain the trusted root of GitHub's Sigstore instance \\(private and internal repositories\\) from ${GITHUB_TUF_MIRROR.replace(/[./]/g, '\\$&')}: No root\\.json found for mirror`,
      ),
    );
  });
});
