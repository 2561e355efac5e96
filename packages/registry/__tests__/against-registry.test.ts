/**
 * The client against the real CNCF distribution registry, with images made
 * by umoci and pushed by skopeo: one anonymous instance, one with token auth
 * whose realm is the local GitHub server.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { digestOf } from '@build-release-run/contract';
import {
  checkImageBlobs,
  ManifestNotFoundError,
  MANIFEST_ACCEPT,
  OCI_INDEX,
  OCI_MANIFEST,
  parseImageReference,
  RegistryClient,
  resolveImage,
} from '../src/index.ts';
import {
  blobsOf,
  deleteFromRegistry,
  inspectRaw,
  makeOciLayout,
  type OciLayout,
} from '@build-release-run/test-helpers/registry/oci-images';
import { startRegistry, type TestRegistry } from '@build-release-run/test-helpers/registry/registry-server';
import { startTokenRegistry, type TokenRegistry } from '@build-release-run/test-helpers/registry/token-registry';

let layout: OciLayout;
let anonymous: TestRegistry;
let withToken: TokenRegistry;

beforeAll(async () => {
  [layout, anonymous, withToken] = await Promise.all([makeOciLayout(), startRegistry(), startTokenRegistry()]);
  await layout.addImage('one', 'first build');
  await layout.addImage('amd', 'amd64 build', 'amd64');
  await layout.addImage('arm', 'arm64 build', 'arm64');
  await layout.addIndex('multi', [
    { tag: 'amd', architecture: 'amd64' },
    { tag: 'arm', architecture: 'arm64' },
  ]);
  await layout.push('one', `${anonymous.host}/acme/app:v1`);
  await layout.push('multi', `${anonymous.host}/acme/multi:v1`);
  await layout.push('multi', `${anonymous.host}/acme/broken:v1`);
  await layout.push('one', `${withToken.registry.host}/acme/private:v1`, withToken.credentials);
}, 120_000);

afterAll(async () => {
  await Promise.all([layout?.remove(), anonymous?.stop(), withToken?.close()]);
});

const client = (registry: string, options: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}) =>
  new RegistryClient({ registry, timeoutMs: 10_000, ...options });

describe('resolving an image', () => {
  test('the digest is the sha256 of the bytes served, equal to Docker-Content-Digest and skopeo inspect --raw', async () => {
    const image = parseImageReference(`${anonymous.host}/acme/app:v1`);
    const resolved = await resolveImage(client(anonymous.host), image);
    const head = await fetch(`${anonymous.url}/v2/acme/app/manifests/v1`, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT },
    });
    expect(resolved.digest).toBe(head.headers.get('docker-content-digest'));
    expect(resolved.digest).toBe(digestOf(await inspectRaw(`${anonymous.host}/acme/app:v1`)));
    expect(digestOf(resolved.manifest)).toBe(resolved.digest);
    expect(resolved).toMatchObject({
      registry: anonymous.host,
      repository: 'acme/app',
      mediaType: OCI_MANIFEST,
      platforms: ['linux/amd64'],
    });
  });

  test('a pinned reference resolves to the same digest, and every blob is found', async () => {
    const registry = client(anonymous.host);
    const byTag = await resolveImage(registry, parseImageReference(`${anonymous.host}/acme/app:v1`));
    const pinned = parseImageReference(`${anonymous.host}/acme/app@${byTag.digest}`);
    expect((await resolveImage(registry, pinned)).digest).toBe(byTag.digest);
    const manifest = await registry.getManifest('acme/app', byTag.digest);
    expect(await checkImageBlobs(registry, 'acme/app', manifest)).toEqual({ manifests: 0, blobs: 2 });
  });

  test('a two-platform index: its digest, its platforms, and both platforms’ blobs checked', async () => {
    const registry = client(anonymous.host);
    const resolved = await resolveImage(registry, parseImageReference(`${anonymous.host}/acme/multi:v1`));
    expect(resolved.mediaType).toBe(OCI_INDEX);
    expect(resolved.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(resolved.digest).toBe(digestOf(await inspectRaw(`${anonymous.host}/acme/multi:v1`)));
    const manifest = await registry.getManifest('acme/multi', resolved.digest);
    expect(await checkImageBlobs(registry, 'acme/multi', manifest)).toEqual({ manifests: 2, blobs: 4 });
  });

  test('a blob deleted from one platform is reported naming the platform and the blob', async () => {
    const registry = client(anonymous.host);
    const index = await registry.getManifest('acme/broken', 'v1');
    if (index.parsed.kind !== 'index') throw new Error('expected an index');
    const arm = index.parsed.manifests.find((entry) => entry.platform === 'linux/arm64');
    if (arm === undefined) throw new Error('no arm64 entry');
    const layer = blobsOf((await registry.getManifest('acme/broken', arm.digest)).bytes)[1] as string;
    await deleteFromRegistry(anonymous.url, 'acme/broken', 'blobs', layer);
    const refused = checkImageBlobs(registry, 'acme/broken', index);
    await expect(refused).rejects.toThrow(`platform linux/arm64: layer 1 of 1 blob ${layer}`);
    await expect(refused).rejects.toThrow('is missing from the registry');
  });

  test('an unknown tag is a ManifestNotFoundError naming the input and the reference', async () => {
    const refused = resolveImage(client(anonymous.host), parseImageReference(`${anonymous.host}/acme/app:nope`));
    await expect(refused).rejects.toBeInstanceOf(ManifestNotFoundError);
    await expect(refused).rejects.toThrow(
      `Input 'image': the registry has no manifest ${anonymous.host}/acme/app:nope (MANIFEST_UNKNOWN).`,
    );
  });
});

describe('what the registry claims is checked against the bytes', () => {
  /** The real registry's answers, with one thing changed on the way. */
  const tampering =
    (change: (response: Response) => Response): typeof fetch =>
    async (input, init) =>
      change(await fetch(input, init));

  test('a Docker-Content-Digest that differs from the bytes is refused', async () => {
    const lying = tampering((response) => {
      const headers = new Headers(response.headers);
      if (headers.has('docker-content-digest')) headers.set('docker-content-digest', `sha256:${'0'.repeat(64)}`);
      return new Response(response.body, { status: response.status, headers });
    });
    const refused = resolveImage(
      client(anonymous.host, { fetch: lying }),
      parseImageReference(`${anonymous.host}/acme/app:v1`),
    );
    await expect(refused).rejects.toThrow(/Docker-Content-Digest\) but the bytes it sent hash to sha256:[0-9a-f]{64}/);
  });

  test('bytes that differ from the digest asked for are refused', async () => {
    const registry = client(anonymous.host);
    const { digest } = await resolveImage(registry, parseImageReference(`${anonymous.host}/acme/app:v1`));
    const swapped = tampering((response) => {
      const headers = new Headers(response.headers);
      headers.delete('docker-content-digest');
      headers.delete('content-length');
      return new Response(response.body?.pipeThrough(appendSpace()), { status: response.status, headers });
    });
    const refused = client(anonymous.host, { fetch: swapped }).getManifest('acme/app', digest);
    await expect(refused).rejects.toThrow(`answered ${anonymous.host}/acme/app@${digest} with bytes that hash to`);
  });

  test('a manifest larger than the cap is refused without being held', async () => {
    const huge = tampering(
      (response) =>
        new Response(new Uint8Array(5 * 1024 * 1024), { status: response.status, headers: response.headers }),
    );
    const refused = client(anonymous.host, { fetch: huge }).getManifest('acme/app', 'v1');
    await expect(refused).rejects.toThrow('more than the 4194304 bytes allowed');
  });
});

describe('token auth, the realm served by the local GitHub server', () => {
  test('the Bearer challenge is followed with the given credentials', async () => {
    const { registry, github, credentials } = withToken;
    const before = github.server.requests.length;
    const resolved = await resolveImage(
      client(registry.host, { credentials }),
      parseImageReference(`${registry.host}/acme/private:v1`),
    );
    const realm = github.server.requests.slice(before).filter((entry) => entry.operationId === 'registry-token');
    expect(realm).toHaveLength(1);
    expect(realm[0]?.path).toContain('scope=repository%3Aacme%2Fprivate%3Apull');
    expect(realm[0]?.status).toBe(200);
    expect(resolved.digest).toBe(digestOf(await inspectRaw(`${registry.host}/acme/private:v1`, credentials)));
  });

  test('wrong credentials give an error naming registry-password, never the password', async () => {
    const { registry } = withToken;
    const refused = resolveImage(
      client(registry.host, { credentials: { username: 'octocat', password: 'wrong-s3cret-value' } }),
      parseImageReference(`${registry.host}/acme/private:v1`),
    );
    await expect(refused).rejects.toThrow(/^Input 'registry-password' was refused by the token service/);
    await expect(refused).rejects.not.toThrow('wrong-s3cret-value');
  });

  test('no credentials: the anonymous token grants nothing and the error says which inputs to set', async () => {
    const { registry } = withToken;
    const refused = resolveImage(client(registry.host), parseImageReference(`${registry.host}/acme/private:v1`));
    await expect(refused).rejects.toThrow(
      `does not allow anonymous pulls of acme/private: set inputs 'registry-username' and 'registry-password'.`,
    );
  });
});

function appendSpace(): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    flush(controller) {
      controller.enqueue(new TextEncoder().encode(' '));
    },
  });
}
