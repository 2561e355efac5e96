/**
 * Deploy's check of a released image, against the real registry: the digest
 * is what is looked up, so a moved tag changes nothing; a deleted manifest
 * or blob refuses.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  type ImageRecord,
  parseImageReference,
  RegistryClient,
  resolveImage,
  validateImageRecord,
  verifyReleasedImage,
} from '../src/index.ts';
import {
  blobsOf,
  deleteFromRegistry,
  makeOciLayout,
  type OciLayout,
} from '@build-release-run/test-helpers/registry/oci-images';
import { startRegistry, type TestRegistry } from '@build-release-run/test-helpers/registry/registry-server';

let layout: OciLayout;
let registry: TestRegistry;

beforeAll(async () => {
  [layout, registry] = await Promise.all([makeOciLayout(), startRegistry()]);
  await layout.addImage('first', 'first build');
  await layout.addImage('second', 'second build');
  await layout.addImage('amd', 'amd64 build', 'amd64');
  await layout.addImage('arm', 'arm64 build', 'arm64');
  await layout.addIndex('multi', [
    { tag: 'amd', architecture: 'amd64' },
    { tag: 'arm', architecture: 'arm64' },
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([layout?.remove(), registry?.stop()]);
});

const client = () => new RegistryClient({ registry: registry.host, subject: 'The released image', timeoutMs: 10_000 });

/** Pushes `tag` of the layout to `repository:latest` and releases it as the build would record it. */
async function released(tag: string, repository: string): Promise<{ record: ImageRecord; manifest: Buffer }> {
  await layout.push(tag, `${registry.host}/${repository}:latest`);
  const resolved = await resolveImage(client(), parseImageReference(`${registry.host}/${repository}:latest`));
  const { manifest, ...record } = resolved;
  return { record: validateImageRecord(record), manifest };
}

describe('verifyReleasedImage', () => {
  test('passes, and gives the pinned reference, after the tag moved to another image', async () => {
    const { record, manifest } = await released('first', 'acme/moved');
    await layout.push('second', `${registry.host}/acme/moved:latest`);
    const moved = await resolveImage(client(), parseImageReference(`${registry.host}/acme/moved:latest`));
    expect(moved.digest).not.toBe(record.digest);
    const verified = await verifyReleasedImage(client(), record, manifest);
    expect(verified.pinned).toBe(`${registry.host}/acme/moved@${record.digest}`);
    expect(verified.check).toEqual({ manifests: 0, blobs: 2 });
  });

  test('refuses when the released manifest was deleted from the registry', async () => {
    const { record, manifest } = await released('first', 'acme/deleted');
    await deleteFromRegistry(registry.url, 'acme/deleted', 'manifests', record.digest);
    await expect(verifyReleasedImage(client(), record, manifest)).rejects.toThrow(
      `The released image: the registry has no manifest ${registry.host}/acme/deleted@${record.digest}`,
    );
  });

  test('checks both platforms of an index; a deleted blob refuses naming platform and blob', async () => {
    const { record, manifest } = await released('multi', 'acme/index');
    expect(record.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect((await verifyReleasedImage(client(), record, manifest)).check).toEqual({ manifests: 2, blobs: 4 });
    const index = JSON.parse(manifest.toString('utf8')) as { manifests: { digest: string }[] };
    const amd = await client().getManifest('acme/index', index.manifests[0]!.digest);
    const config = blobsOf(amd.bytes)[0]!;
    await deleteFromRegistry(registry.url, 'acme/index', 'blobs', config);
    await expect(verifyReleasedImage(client(), record, manifest)).rejects.toThrow(
      `The released image: platform linux/amd64: config blob ${config} of ${registry.host}/acme/index is missing from the registry.`,
    );
  });

  test('refuses a released manifest asset that does not hash to the recorded digest', async () => {
    const { record, manifest } = await released('first', 'acme/asset');
    const changed = Buffer.concat([manifest, Buffer.from(' ')]);
    await expect(verifyReleasedImage(client(), record, changed)).rejects.toThrow(
      "The release's manifest asset does not hash to its image digest",
    );
  });
});

describe('validateImageRecord', () => {
  const good = {
    registry: 'ghcr.io',
    repository: 'acme/app',
    digest: `sha256:${'b'.repeat(64)}`,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    platforms: ['linux/amd64', 'linux/arm/v7'],
  };
  test('keeps a record the build wrote', () => {
    expect(validateImageRecord(good)).toEqual(good);
  });
  test.each([
    [{ ...good, registry: 'ghcr.io/evil' }, 'must name an image'],
    [{ ...good, repository: 'Acme/app' }, 'must name an image'],
    [{ ...good, repository: 'acme/app:tag' }, 'must name an image'],
    [{ ...good, digest: 'sha256:1' }, 'sha256 digest'],
    [{ ...good, mediaType: 'text/html' }, 'image.mediaType'],
    [{ ...good, platforms: [] }, 'image.platforms'],
    [{ ...good, platforms: ['linux/amd64\n::stop-commands::x'] }, 'image.platforms'],
  ])('refuses %j', (record, message) => {
    expect(() => validateImageRecord(record)).toThrow(message);
  });
});
