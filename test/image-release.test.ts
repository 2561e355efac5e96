/**
 * An image build released and deployed, against the real CNCF distribution
 * registry (images made by umoci, pushed by skopeo): the release records
 * the image and stores its manifest bytes, deploy checks the registry still
 * serves them (and every blob) under the released digest before anything is
 * created, and hands the command RELEASE_IMAGE pinned by digest.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { digestOf } from '@build-release-run/contract';
import { formatChecksums, versionOfTag } from '@build-release-run/release-format';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { gatewayFor, startHarness } from '@build-release-run/action-deploy/test-harness';
import { downloadRelease, releaseEnv, runReleaseInProcess } from '@build-release-run/test-helpers/release-action';
import {
  blobsOf,
  deleteFromRegistry,
  inspectRaw,
  makeOciLayout,
  type OciLayout,
} from '@build-release-run/test-helpers/registry/oci-images';
import { startRegistry, type TestRegistry } from '@build-release-run/test-helpers/registry/registry-server';
import { startTokenRegistry, type TokenRegistry } from '@build-release-run/test-helpers/registry/token-registry';
import { TEST_TOKEN } from '@build-release-run/test-helpers/github-server';

let h: DeployHarness;
let layout: OciLayout;
let registry: TestRegistry;
let withToken: TokenRegistry;
let runId = 9000;

/**
 * Records what the command was given; nothing to unpack, so it runs in an
 * empty folder. GREETING comes from the config file (RELEASE_CONFIG_FILE),
 * not the environment: no config-env here.
 */
const IMAGE_COMMAND = [
  'printf "%s" "$RELEASE_IMAGE" > "$MARKER_DIR/image-$RELEASE_TAG"',
  'sed -n "s/^GREETING=//p" "$RELEASE_CONFIG_FILE" | tr -d "\\n" > "$MARKER_DIR/greeting-$RELEASE_TAG"',
  'touch "$MARKER_DIR/ran-$RELEASE_TAG"',
].join('\n');

beforeAll(async () => {
  [h, layout, registry, withToken] = await Promise.all([
    startHarness(),
    makeOciLayout(),
    startRegistry(),
    startTokenRegistry(),
  ]);
  await layout.addImage('one', 'first build');
  await layout.addImage('two', 'second build');
  await layout.addImage('amd', 'amd64 build', 'amd64');
  await layout.addImage('arm', 'arm64 build', 'arm64');
  await layout.addIndex('multi', [
    { tag: 'amd', architecture: 'amd64' },
    { tag: 'arm', architecture: 'arm64' },
  ]);
  await layout.push('one', `${registry.host}/acme/app:v1`);
  await layout.push('two', `${registry.host}/acme/gone:v1`);
  await layout.push('multi', `${registry.host}/acme/multi:v1`);
  await layout.push('multi', `${registry.host}/acme/promoted:v1`);
  await layout.push('one', `${withToken.registry.host}/acme/private:v1`, withToken.credentials);
}, 180_000);

afterAll(async () => {
  await Promise.all([h?.close(), layout?.remove(), registry?.stop(), withToken?.close()]);
});

// These releases are made in process without signing: what is tested here is
// the image chain. Provenance of an image release, signed and verified, is
// test/example-image.test.ts.
const UNSIGNED = { 'verify-provenance': 'false' };

async function releaseImage(reference: string, environment: string, extra: Record<string, string> = {}) {
  const digest = digestOf(await inspectRaw(reference, extra['registry-password'] ? withToken.credentials : undefined));
  const env = await releaseEnv({
    server: h.gh.server,
    workDir: h.work,
    commit: h.commits.at(-1) as string,
    runId: String(++runId),
    inputs: {
      digest,
      image: `${reference.replace(/:[^:/]+$/, '')}@${digest}`,
      version: 'increment',
      environment,
      config: 'GREETING=hello',
      ...extra,
    },
  });
  const result = await runReleaseInProcess(env);
  expect(result.failure).toBeUndefined();
  return { tag: result.outputs['tag'] as string, digest };
}

async function deployments(): Promise<number> {
  const response = await fetch(`${h.gh.server.url}/repos/octo/app/deployments?per_page=100`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  });
  return ((await response.json()) as unknown[]).length;
}

describe('an image release', () => {
  it('stores the manifest bytes and release.json records the image; the assets pass sha256sum -c', async () => {
    const { tag, digest } = await releaseImage(`${registry.host}/acme/app:v1`, 'image-assets');
    const dir = await mkdtemp(path.join(h.work, 'assets-'));
    const names = await downloadRelease(h.gh.server, tag, dir);
    const manifestAsset = `app-${digest.slice(7, 19)}.image.json`;
    expect(names.sort()).toEqual(['SHA256SUMS', 'config.env', manifestAsset, 'release.json'].sort());
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toContain(
      `${manifestAsset}: OK`,
    );
    expect(digestOf(await readFile(path.join(dir, manifestAsset)))).toBe(digest);
    const manifest = JSON.parse(await readFile(path.join(dir, 'release.json'), 'utf8'));
    expect(manifest.build).toMatchObject({ digest, archive: manifestAsset, format: 'image' });
    expect(manifest.image).toEqual({
      registry: registry.host,
      repository: 'acme/app',
      digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platforms: ['linux/amd64'],
    });
  });

  it('deploys the released digest, still after the tag moved to another image', async () => {
    const { tag, digest } = await releaseImage(`${registry.host}/acme/app:v1`, 'image-moved');
    const first = await h.deploy({ ...UNSIGNED, tag, environment: 'image-moved', run: IMAGE_COMMAND });
    expect(first.error).toBeUndefined();
    expect(await readFile(path.join(h.markers, `image-${tag}`), 'utf8')).toBe(`${registry.host}/acme/app@${digest}`);
    expect(await readFile(path.join(h.markers, `greeting-${tag}`), 'utf8')).toBe('hello');
    expect(first.outputs['digest']).toBe(digest);

    await layout.push('two', `${registry.host}/acme/app:v1`);
    expect(digestOf(await inspectRaw(`${registry.host}/acme/app:v1`))).not.toBe(digest);
    await h.resetMarkers();
    const again = await h.deploy({ ...UNSIGNED, tag, environment: 'image-moved', run: IMAGE_COMMAND });
    expect(again.error).toBeUndefined();
    expect(await readFile(path.join(h.markers, `image-${tag}`), 'utf8')).toBe(`${registry.host}/acme/app@${digest}`);
  });

  it('refuses before creating a deployment when the released manifest is gone from the registry', async () => {
    const { tag, digest } = await releaseImage(`${registry.host}/acme/gone:v1`, 'image-gone');
    await deleteFromRegistry(registry.url, 'acme/gone', 'manifests', digest);
    await h.resetMarkers();
    const before = await deployments();
    const result = await h.deploy({ ...UNSIGNED, tag, environment: 'image-gone', run: IMAGE_COMMAND });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(new RegExp(`the registry has no manifest .*acme/gone@${digest}`));
    expect(await deployments()).toBe(before);
    expect(await h.ran()).toEqual([]);
  });

  it('checks both platforms of an index: one blob deleted is refused, naming the platform and the blob', async () => {
    const { tag } = await releaseImage(`${registry.host}/acme/multi:v1`, 'image-multi');
    const index = JSON.parse((await inspectRaw(`${registry.host}/acme/multi:v1`)).toString('utf8')) as {
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    const arm = index.manifests.find((entry) => entry.platform.architecture === 'arm64')!;
    const layer = blobsOf(await inspectRaw(`${registry.host}/acme/multi@${arm.digest}`))[1]!;
    await deleteFromRegistry(registry.url, 'acme/multi', 'blobs', layer);
    await h.resetMarkers();
    const before = await deployments();
    const result = await h.deploy({ ...UNSIGNED, tag, environment: 'image-multi', run: IMAGE_COMMAND });
    expect(result.failed).toBe(true);
    expect(result.error).toContain(`platform linux/arm64: layer 1 of 1 blob ${layer}`);
    expect(result.error).toContain('is missing from the registry');
    expect(await deployments()).toBe(before);
    expect(await h.ran()).toEqual([]);
  });

  it('follows the token challenge; wrong credentials are refused naming registry-password, nothing created', async () => {
    const { username, password } = withToken.credentials;
    const { tag, digest } = await releaseImage(`${withToken.registry.host}/acme/private:v1`, 'image-private', {
      'registry-username': username,
      'registry-password': password,
    });
    await h.resetMarkers();
    const before = await deployments();
    const wrong = 'wrong-registry-password-42';
    const refused = await h.deploy({
      ...UNSIGNED,
      tag,
      environment: 'image-private',
      run: IMAGE_COMMAND,
      registry: withToken.registry.host,
      'registry-username': username,
      'registry-password': wrong,
    });
    expect(refused.failed).toBe(true);
    expect(refused.error).toMatch(/Input 'registry-password' was refused/);
    expect(refused.stdout.replace(`::add-mask::${wrong}`, '')).not.toContain(wrong);
    expect(await deployments()).toBe(before);
    expect(await h.ran()).toEqual([]);

    const deployed = await h.deploy({
      ...UNSIGNED,
      tag,
      environment: 'image-private',
      run: IMAGE_COMMAND,
      registry: withToken.registry.host,
      'registry-username': username,
      'registry-password': password,
    });
    expect(deployed.error).toBeUndefined();
    expect(await readFile(path.join(h.markers, `image-${tag}`), 'utf8')).toBe(
      `${withToken.registry.host}/acme/private@${digest}`,
    );
  });
});

/** A registry run by an attacker: asks every client for basic credentials and keeps what it is sent. */
async function startCredentialTrap() {
  const received: string[] = [];
  const server = createServer((request, response) => {
    received.push(request.headers.authorization ?? '');
    response.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `localhost:${(server.address() as AddressInfo).port}`;
  return { host, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Publishes, by hand, a copy of an image release under a new tag whose release.json names another registry. */
async function republishNamingRegistry(from: string, tag: string, otherRegistry: string): Promise<void> {
  const dir = await mkdtemp(path.join(h.work, 'hostile-'));
  const names = await downloadRelease(h.gh.server, from, dir);
  const manifest = JSON.parse(await readFile(path.join(dir, 'release.json'), 'utf8'));
  Object.assign(manifest, { tag, version: versionOfTag(tag), image: { ...manifest.image, registry: otherRegistry } });
  const assets = new Map<string, Buffer>();
  for (const name of names) if (name !== 'SHA256SUMS') assets.set(name, await readFile(path.join(dir, name)));
  assets.set('release.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  const sums = [...assets].map(([name, bytes]) => ({ name, sha256: digestOf(bytes).slice('sha256:'.length) }));
  assets.set('SHA256SUMS', Buffer.from(formatChecksums(sums)));
  const api = gatewayFor(h.gh.server.url);
  const draft = await api.createRelease({
    tag_name: tag,
    target_commitish: manifest.build.commit,
    name: tag,
    draft: true,
  });
  for (const [name, bytes] of assets) await api.uploadReleaseAsset(draft, { name, bytes, size: bytes.length });
  await api.publishDraft(draft.id);
}

describe('registry credentials', () => {
  it('are never sent to a registry a release names: refused before any request, naming both registries', async () => {
    const trap = await startCredentialTrap();
    try {
      const { tag: from } = await releaseImage(`${registry.host}/acme/app:v1`, 'image-trap');
      await republishNamingRegistry(from, 'v880', trap.host);
      const { username, password } = withToken.credentials;
      await h.resetMarkers();
      const before = await deployments();
      // Provenance is checked (the default): the hand-made release is unsigned, but the
      // registry was asked before provenance, so the refusal must come before any request.
      const result = await h.deploy({
        tag: 'v880',
        environment: 'image-trap',
        run: IMAGE_COMMAND,
        registry: withToken.registry.host,
        'registry-username': username,
        'registry-password': password,
      });
      expect(trap.received.filter((header) => header !== '')).toEqual([]);
      expect(result.failed).toBe(true);
      expect(result.error).toContain(`names registry ${trap.host}`);
      expect(result.error).toContain(`for ${withToken.registry.host} (input 'registry')`);
      expect(trap.received).toEqual([]);
      expect(await deployments()).toBe(before);
      expect(await h.ran()).toEqual([]);
    } finally {
      await trap.close();
    }
  });
});

describe('an image release promoted with from-release', () => {
  it('releases the same image record and digest with the new config, verified in the registry, and it deploys', async () => {
    const { tag: from, digest } = await releaseImage(`${registry.host}/acme/promoted:v1`, 'image-staging');
    const env = await releaseEnv({
      server: h.gh.server,
      workDir: h.work,
      commit: h.commits.at(-1) as string,
      runId: String(++runId),
      inputs: { ...UNSIGNED, 'from-release': from, environment: 'image-production', config: 'GREETING=promoted' },
    });
    const promoted = await runReleaseInProcess(env);
    expect(promoted.failure).toBeUndefined();
    expect(promoted.log).toMatch(
      /Verified .*acme\/promoted@sha256:[0-9a-f]{64} in its registry: the released manifest, 2 platform manifest\(s\)/,
    );
    const tag = promoted.outputs['tag'] as string;
    const read = async (release: string) => {
      const dir = await mkdtemp(path.join(h.work, 'assets-'));
      await downloadRelease(h.gh.server, release, dir);
      return JSON.parse(await readFile(path.join(dir, 'release.json'), 'utf8'));
    };
    const [before, after] = [await read(from), await read(tag)];
    expect(after.build).toEqual(before.build);
    expect(after.image).toEqual(before.image);
    expect(after.environment).toBe('image-production');

    const deployed = await h.deploy({ ...UNSIGNED, tag, environment: 'image-production', run: IMAGE_COMMAND });
    expect(deployed.error).toBeUndefined();
    expect(await readFile(path.join(h.markers, `image-${tag}`), 'utf8')).toBe(
      `${registry.host}/acme/promoted@${digest}`,
    );
    expect(await readFile(path.join(h.markers, `greeting-${tag}`), 'utf8')).toBe('promoted');
  });
});
