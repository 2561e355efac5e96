/**
 * The build action with `image:` against the real CNCF distribution
 * registry: images made by umoci, pushed by skopeo, one registry anonymous
 * and one with token auth whose realm is the local GitHub server.
 */
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { runAction as boundary } from '@build-release-run/action-kit';
import { digestOf } from '@build-release-run/contract';
import { MANIFEST_ACCEPT } from '@build-release-run/registry';
import { main } from '../src/main.ts';
import { inputEnv, runAction } from '@build-release-run/test-helpers/action-env';
import { inspectRaw, makeOciLayout, type OciLayout } from '@build-release-run/test-helpers/registry/oci-images';
import { startRegistry, type TestRegistry } from '@build-release-run/test-helpers/registry/registry-server';
import { startTokenRegistry, type TokenRegistry } from '@build-release-run/test-helpers/registry/token-registry';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

let layout: OciLayout;
let anonymous: TestRegistry;
let withToken: TokenRegistry;
let base: string;
let runnerTemp: string;

beforeAll(async () => {
  [layout, anonymous, withToken] = await Promise.all([makeOciLayout(), startRegistry(), startTokenRegistry()]);
  await layout.addImage('one', 'first build');
  await layout.addImage('amd', 'amd64 build', 'amd64');
  await layout.addImage('arm', 'arm64 build', 'arm64');
  await layout.addIndex('multi', [
    { tag: 'amd', architecture: 'amd64' },
    { tag: 'arm', architecture: 'arm64' },
  ]);
  await layout.push('one', `${anonymous.host}/acme/app:sha-abc`);
  await layout.push('multi', `${anonymous.host}/acme/multi:v1`);
  await layout.push('one', `${withToken.registry.host}/acme/private:v1`, withToken.credentials);
}, 120_000);

afterAll(async () => {
  await Promise.all([layout?.remove(), anonymous?.stop(), withToken?.close()]);
});

beforeEach(async () => {
  base = await tempDir();
  runnerTemp = path.join(base, 'temp');
  await mkdir(path.join(base, 'workspace'));
  await mkdir(runnerTemp);
});
afterEach(async () => {
  await removeDir(base);
});

function build(inputs: Record<string, string>) {
  return runAction(() => boundary(main), {
    GITHUB_WORKSPACE: path.join(base, 'workspace'),
    RUNNER_TEMP: runnerTemp,
    GITHUB_REPOSITORY: 'octo/web-app',
    GITHUB_RUN_ID: '7',
    GITHUB_ACTOR: 'octocat',
    ...inputEnv({ attest: 'false', ...inputs }),
  });
}

async function leftovers(): Promise<string[]> {
  const dir = path.join(runnerTemp, 'build-release-run');
  return existsSync(dir) ? readdir(dir) : [];
}

describe('build with image:', () => {
  it('outputs the digest the registry serves: Docker-Content-Digest and the sha256 of skopeo inspect --raw', async () => {
    const reference = `${anonymous.host}/acme/app:sha-abc`;
    const result = await build({ image: reference });
    expect(result.error).toBeUndefined();
    const head = await fetch(`${anonymous.url}/v2/acme/app/manifests/sha-abc`, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT },
    });
    const raw = await inspectRaw(reference);
    const digest = result.outputs['digest'];
    expect(digest).toBe(head.headers.get('docker-content-digest'));
    expect(digest).toBe(digestOf(raw));
    expect(result.outputs).toMatchObject({
      image: `${anonymous.host}/acme/app@${digest}`,
      platforms: 'linux/amd64',
      'artifact-name': `build-sha256-${digest!.slice(7)}`,
      size: String(raw.length),
    });
    expect(result.outputs['archive']).toBeUndefined();
    expect(result.summary).toContain(digest);

    // What the release takes by the digest alone: the manifest bytes and the image record.
    const folder = path.join(runnerTemp, 'build-release-run', result.outputs['artifact-name']!);
    const manifestName = `app-${digest!.slice(7, 19)}.image.json`;
    expect((await readdir(folder)).sort()).toEqual([manifestName, 'image-record.json'].sort());
    expect((await readFile(path.join(folder, manifestName))).equals(raw)).toBe(true);
    expect(JSON.parse(await readFile(path.join(folder, 'image-record.json'), 'utf8'))).toEqual({
      registry: anonymous.host,
      repository: 'acme/app',
      digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platforms: ['linux/amd64'],
    });
  });

  it('a two-platform index is the build: its digest, and both platforms', async () => {
    const byTag = await build({ image: `${anonymous.host}/acme/multi:v1` });
    expect(byTag.error).toBeUndefined();
    expect(byTag.outputs['digest']).toBe(digestOf(await inspectRaw(`${anonymous.host}/acme/multi:v1`)));
    expect(byTag.outputs['platforms']).toBe('linux/amd64,linux/arm64');
    // The same image by digest gives the same build.
    const byDigest = await build({ image: byTag.outputs['image']! });
    expect(byDigest.outputs['digest']).toBe(byTag.outputs['digest']);
  });

  it('follows the token challenge with registry-username and registry-password, and masks the password', async () => {
    const { username, password } = withToken.credentials;
    const result = await build({
      image: `${withToken.registry.host}/acme/private:v1`,
      'registry-username': username,
      'registry-password': password,
    });
    expect(result.error).toBeUndefined();
    expect(result.outputs['digest']).toBe(
      digestOf(await inspectRaw(`${withToken.registry.host}/acme/private:v1`, withToken.credentials)),
    );
    expect(result.stdout).toContain(`::add-mask::${password}`);
  });

  it('wrong credentials: an error naming registry-password that never shows it, nothing left behind', async () => {
    const secret = 'not-the-token-0123456789';
    const result = await build({
      image: `${withToken.registry.host}/acme/private:v1`,
      'registry-username': 'octocat',
      'registry-password': secret,
    });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(/Input 'registry-password' was refused by the token service/);
    expect(result.stdout.replace(`::add-mask::${secret}`, '')).not.toContain(secret);
    expect(result.outputs).toEqual({});
    expect(await leftovers()).toEqual([]);
  });

  it('a tag the registry does not have: an error naming image, nothing left behind', async () => {
    const result = await build({ image: `${anonymous.host}/acme/app:nope` });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(/Input 'image': the registry has no manifest .*acme\/app:nope/);
    expect(result.outputs).toEqual({});
    expect(await leftovers()).toEqual([]);
  });
});

describe('bad image inputs: a clear error naming the input, nothing done', () => {
  it.each([
    ['both path and image', { path: 'dist', image: 'ghcr.io/acme/app:v1' }, /Inputs 'path' and 'image' are both set/],
    ['neither path nor image', { path: '' }, /Input 'path' is required: .*or give 'image'/],
    ['an image that is not a reference', { image: 'ghcr.io/Acme/App:v1' }, /Input 'image' must be an image reference/],
    [
      'registry-username without image',
      { path: 'dist', 'registry-username': 'me', 'registry-password': 'pw' },
      /Inputs 'registry-username' and 'registry-password' are for a container image build/,
    ],
    [
      'registry-username without registry-password',
      { image: 'ghcr.io/acme/app:v1', 'registry-username': 'me' },
      /Input 'registry-password' is empty but 'registry-username' is set/,
    ],
    [
      'registry-password without registry-username',
      { image: 'ghcr.io/acme/app:v1', 'registry-password': 'pw-123456' },
      /Input 'registry-username' is empty but 'registry-password' is set/,
    ],
  ] as Array<[string, Record<string, string>, RegExp]>)('%s', async (_label, inputs, message) => {
    const result = await build(inputs);
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(message);
    expect(result.outputs).toEqual({});
    expect(await leftovers()).toEqual([]);
  });
});
