import { describe, expect, test } from '@jest/globals';
import {
  DOCKER_LIST,
  registryCredentials,
  DOCKER_MANIFEST,
  isLoopbackHost,
  OCI_INDEX,
  OCI_MANIFEST,
  parseChallenge,
  parseImageReference,
  parseManifestBytes,
  pinnedReference,
  registryBaseUrl,
} from '../src/index.ts';

const DIGEST = `sha256:${'a'.repeat(64)}` as const;

describe('parseImageReference', () => {
  test.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest' }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
    ['acme/app', { registry: 'docker.io', repository: 'acme/app', tag: 'latest' }],
    ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest' }],
    ['index.docker.io/acme/app:v1', { registry: 'docker.io', repository: 'acme/app', tag: 'v1' }],
    ['ghcr.io/acme/app:sha-abc', { registry: 'ghcr.io', repository: 'acme/app', tag: 'sha-abc' }],
    [`ghcr.io/acme/app@${DIGEST}`, { registry: 'ghcr.io', repository: 'acme/app', digest: DIGEST }],
    [`ghcr.io/acme/app:v1@${DIGEST}`, { registry: 'ghcr.io', repository: 'acme/app', tag: 'v1', digest: DIGEST }],
    ['localhost:5000/app:v1', { registry: 'localhost:5000', repository: 'app', tag: 'v1' }],
    ['localhost/team/app', { registry: 'localhost', repository: 'team/app', tag: 'latest' }],
    ['127.0.0.1:5000/a/b/c:x', { registry: '127.0.0.1:5000', repository: 'a/b/c', tag: 'x' }],
    ['GHCR.IO/acme/app', { registry: 'ghcr.io', repository: 'acme/app', tag: 'latest' }],
    ['  ghcr.io/acme/app:v1 \n', { registry: 'ghcr.io', repository: 'acme/app', tag: 'v1' }],
  ])('%s', (text, expected) => {
    expect(parseImageReference(text)).toEqual(expected);
  });

  test.each([
    ['', 'it is empty'],
    ['ghcr.io/Acme/app', "'Acme' is not a valid repository path component"],
    ['ghcr.io/acme/app:', 'is not a valid tag'],
    ['ghcr.io/acme/app:-x', 'is not a valid tag'],
    ['ghcr.io/acme/app@sha256:abc', 'the part after @ must be sha256:'],
    [`ghcr.io/acme/app@sha512:${'a'.repeat(128)}`, 'the part after @ must be sha256:'],
    ['ghcr.io/acme//app', "'' is not a valid repository path component"],
    ['ghcr.io/acme/app;rm -rf', 'is not a valid repository path component'],
    [`ghcr.io/${'a'.repeat(250)}`, 'longer than 255'],
  ])('refuses %j: %s', (text, why) => {
    expect(() => parseImageReference(text)).toThrow(why);
    expect(() => parseImageReference(text)).toThrow(/^Input 'image' must be an image reference/);
  });

  test('names the input it was given', () => {
    expect(() => parseImageReference('BAD', 'from-image')).toThrow(/^Input 'from-image'/);
  });

  test('the pinned form is registry/repository@digest', () => {
    expect(pinnedReference(parseImageReference('nginx'), DIGEST)).toBe(`docker.io/library/nginx@${DIGEST}`);
  });
});

describe('plain HTTP only for the loopback interface, as Docker', () => {
  test.each([
    ['localhost', true],
    ['localhost:5000', true],
    ['127.0.0.1:5000', true],
    ['127.255.0.3', true],
    ['[::1]:5000', true],
    ['128.0.0.1', false],
    ['127.0.0.1.example.com', false],
    ['localhost.example.com', false],
    ['10.0.0.1:5000', false],
    ['ghcr.io', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
    expect(registryBaseUrl(host).protocol).toBe(loopback ? 'http:' : 'https:');
  });

  test('Docker Hub is reached at its API host', () => {
    expect(registryBaseUrl('docker.io').href).toBe('https://registry-1.docker.io/');
  });
});

describe('parseChallenge', () => {
  test.each([
    [
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/app:pull"',
      {
        scheme: 'bearer',
        params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:acme/app:pull' },
      },
    ],
    [
      'bearer realm="http://127.0.0.1:1/t", service="x" ,scope="a:b:pull,push"',
      { scheme: 'bearer', params: { realm: 'http://127.0.0.1:1/t', service: 'x', scope: 'a:b:pull,push' } },
    ],
    ['Basic realm="Registry Realm"', { scheme: 'basic', params: { realm: 'Registry Realm' } }],
    [
      'Bearer realm="a\\"b",error=insufficient_scope',
      { scheme: 'bearer', params: { realm: 'a"b', error: 'insufficient_scope' } },
    ],
    ['Negotiate', { scheme: 'other', params: {} }],
  ])('%s', (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });

  test('no header, no challenge', () => {
    expect(parseChallenge(null)).toBeUndefined();
  });
});

describe('parseManifestBytes', () => {
  const descriptor = (mediaType: string, size = 10) => ({ mediaType, digest: DIGEST, size });
  const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
  const image = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: descriptor('c'), layers: [descriptor('l')] };

  test('an image manifest: config and layers', () => {
    expect(parseManifestBytes(bytes(image), `${OCI_MANIFEST}; charset=utf-8`)).toEqual({
      kind: 'image',
      mediaType: OCI_MANIFEST,
      config: descriptor('c'),
      layers: [descriptor('l')],
    });
  });

  test('an index: its manifests and their platforms', () => {
    const index = {
      schemaVersion: 2,
      manifests: [
        { ...descriptor(DOCKER_MANIFEST), platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
        { ...descriptor(DOCKER_MANIFEST), platform: { os: 'linux', architecture: 'amd64\n::set-output' } },
        descriptor(DOCKER_MANIFEST),
      ],
    };
    const parsed = parseManifestBytes(bytes(index), DOCKER_LIST);
    expect(parsed.kind === 'index' && parsed.manifests.map((entry) => entry.platform)).toEqual([
      'linux/arm/v7',
      'unknown',
      'unknown',
    ]);
  });

  test.each([
    ['not JSON', Buffer.from('{'), OCI_MANIFEST, 'not JSON'],
    ['schema 1', bytes({ ...image, schemaVersion: 1 }), OCI_MANIFEST, 'schemaVersion 2'],
    ['mediaType disagrees with Content-Type', bytes(image), OCI_INDEX, 'says mediaType'],
    ['unknown media type', bytes({ ...image, mediaType: 'text/plain' }), 'text/plain', "'text/plain' is not one of"],
    [
      'bad layer digest',
      bytes({ ...image, layers: [{ ...descriptor('l'), digest: 'sha256:x' }] }),
      OCI_MANIFEST,
      'layers[0].digest',
    ],
    ['negative size', bytes({ ...image, config: descriptor('c', -1) }), OCI_MANIFEST, 'config.size'],
    ['index without list', bytes({ schemaVersion: 2, mediaType: OCI_INDEX }), OCI_INDEX, 'no manifests list'],
  ])('refuses %s', (_name, body, contentType, why) => {
    expect(() => parseManifestBytes(body, contentType)).toThrow(why);
  });
});

describe('registryCredentials', () => {
  const job = { actor: 'octocat', token: 'ghs_jobtoken' };
  test.each([
    ['given credentials win', 'ghcr.io', { username: 'me', password: 'pw' }, { username: 'me', password: 'pw' }],
    [
      'ghcr.io defaults to the actor and the job token',
      'ghcr.io',
      { username: '', password: '' },
      { username: 'octocat', password: 'ghs_jobtoken' },
    ],
    ['other registries default to anonymous', 'docker.io', { username: '', password: '' }, undefined],
    ['a username is trimmed', 'docker.io', { username: ' me ', password: 'pw' }, { username: 'me', password: 'pw' }],
  ])('%s', (_name, registry, given, expected) => {
    expect(registryCredentials(registry, given, job)).toEqual(expected);
  });

  test('ghcr.io without a job token is anonymous', () => {
    expect(registryCredentials('ghcr.io', { username: '', password: '' }, { actor: 'octocat' })).toBeUndefined();
  });

  test.each([
    [{ username: '', password: 'pw' }, /^Input 'registry-username' is empty/],
    [{ username: 'me', password: '' }, /^Input 'registry-password' is empty/],
    [{ username: 'a:b', password: 'pw' }, /^Input 'registry-username' must not contain ':'/],
  ])('refuses %j', (given, message) => {
    expect(() => registryCredentials('ghcr.io', given, job)).toThrow(message);
  });
});
