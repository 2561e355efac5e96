/**
 * The build action with input `image`, against the real registry (Debian's
 * docker-registry), images made by umoci and pushed by skopeo.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { digestOf } from '../../../packages/release-format/src/index.ts';
import { run } from '../src/main.ts';
import { inputEnv, runAction } from '../../../test/helpers/action-env.ts';
import { inspectRaw, makeOciLayout, type OciLayout } from '../../../test/helpers/registry/oci-images.ts';
import { startRegistry, type TestRegistry } from '../../../test/helpers/registry/registry-server.ts';
import { startTokenRegistry, type TokenRegistry } from '../../../test/helpers/registry/token-registry.ts';

let layout: OciLayout;
let registry: TestRegistry;
let withToken: TokenRegistry;

beforeAll(async () => {
  [layout, registry, withToken] = await Promise.all([makeOciLayout(), startRegistry(), startTokenRegistry()]);
  await layout.addImage('amd', 'amd64 build', 'amd64');
  await layout.addImage('arm', 'arm64 build', 'arm64');
  await layout.addIndex('multi', [
    { tag: 'amd', architecture: 'amd64' },
    { tag: 'arm', architecture: 'arm64' },
  ]);
  await layout.push('amd', `${registry.host}/acme/app:sha-1`);
  await layout.push('multi', `${registry.host}/acme/multi:sha-1`);
  await layout.push('amd', `${withToken.registry.host}/acme/private:sha-1`, withToken.credentials);
}, 120_000);

afterAll(async () => {
  await Promise.all([layout?.remove(), registry?.stop(), withToken?.close()]);
});

const build = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction(run, { GITHUB_WORKSPACE: process.cwd(), GITHUB_REPOSITORY: 'octo/app', ...env, ...inputEnv(inputs) });

describe('the build action with an image', () => {
  it('outputs the digest of the manifest bytes the registry serves, the pinned image and its platform', async () => {
    const result = await build({ image: `${registry.host}/acme/app:sha-1` });
    expect(result.error).toBeUndefined();
    const served = await fetch(`${registry.url}/v2/acme/app/manifests/sha-1`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    await served.body?.cancel();
    expect(result.outputs.digest).toBe(served.headers.get('docker-content-digest'));
    expect(result.outputs.digest).toBe(digestOf(await inspectRaw(`${registry.host}/acme/app:sha-1`)));
    expect(result.outputs.image).toBe(`${registry.host}/acme/app@${result.outputs.digest}`);
    expect(result.outputs.platforms).toBe('linux/amd64');
    expect(result.outputs.archive ?? '').toBe('');
    expect(result.summary).toContain(result.outputs.image);
  });

  it('a two-platform index is the build: its digest and both platforms', async () => {
    const result = await build({ image: `${registry.host}/acme/multi:sha-1` });
    expect(result.error).toBeUndefined();
    expect(result.outputs.digest).toBe(digestOf(await inspectRaw(`${registry.host}/acme/multi:sha-1`)));
    expect(result.outputs.platforms).toBe('linux/amd64,linux/arm64');
  });

  it('follows the token challenge with the given credentials', async () => {
    const { host } = withToken.registry;
    const result = await build({
      image: `${host}/acme/private:sha-1`,
      'registry-username': withToken.credentials.username,
      'registry-password': withToken.credentials.password,
    });
    expect(result.error).toBeUndefined();
    expect(result.outputs.digest).toBe(digestOf(await inspectRaw(`${host}/acme/private:sha-1`, withToken.credentials)));
  });

  it('wrong credentials fail naming registry-password, without showing it', async () => {
    const result = await build({
      image: `${withToken.registry.host}/acme/private:sha-1`,
      'registry-username': 'octocat',
      'registry-password': 'not-the-token-XYZ',
    });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(/^Input 'registry-password' was refused by the token service/);
    // Masked for the runner first; then never printed.
    const [mask, ...rest] = result.stdout.split('\n');
    expect(mask).toBe('::add-mask::not-the-token-XYZ');
    expect(rest.join('\n')).not.toContain('not-the-token-XYZ');
    expect(result.outputs).toEqual({});
  });

  it.each([
    [{ image: 'ghcr.io/Acme/app' }, /^Input 'image' must be an image reference/],
    [{ image: 'ghcr.io/acme/app', path: 'dist' }, /^Inputs 'image' and 'path' exclude each other/],
    [{ image: 'ghcr.io/acme/app', 'registry-username': 'me' }, /^Input 'registry-password' is empty/],
  ])('refuses %j before any request', async (inputs, message) => {
    const result = await build(inputs);
    expect(result.error).toMatch(message);
    expect(result.outputs).toEqual({});
  });

  it('an image missing from the registry fails naming the input', async () => {
    const result = await build({ image: `${registry.host}/acme/app:no-such-tag` });
    expect(result.error).toBe(
      `Input 'image': the registry has no manifest ${registry.host}/acme/app:no-such-tag (MANIFEST_UNKNOWN).`,
    );
  });
});
