/**
 * Real OCI images for tests, made the way an image build would: an OCI
 * layout with `umoci` (init, new, insert a file, set the platform), pushed
 * to a registry with `skopeo copy`, read back with `skopeo inspect --raw`.
 * A multi-platform index is written into the layout by hand (umoci makes
 * single-platform images) and pushed with `skopeo copy --all`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { digestHex } from '@build-release-run/contract';
import { digestOf } from '@build-release-run/release-format';

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
}

export interface Credentials {
  username: string;
  password: string;
}

export interface OciLayout {
  dir: string;
  /** A single-platform image tagged `tag` in the layout, holding /app/message.txt with `message`. */
  addImage(tag: string, message: string, architecture?: string): Promise<OciDescriptor>;
  /** An image index tagged `tag` over images already in the layout, with their platforms. */
  addIndex(tag: string, images: { tag: string; architecture: string }[]): Promise<OciDescriptor>;
  /** skopeo copy of `tag` (with --all: an index and every platform) to `destination` (`host/repo:tag`). */
  push(tag: string, destination: string, credentials?: Credentials): Promise<void>;
  remove(): Promise<void>;
}

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const REF_NAME = 'org.opencontainers.image.ref.name';

interface LayoutIndex {
  schemaVersion: 2;
  manifests: (OciDescriptor & { annotations?: Record<string, string>; platform?: unknown })[];
}

export async function makeOciLayout(): Promise<OciLayout> {
  const root = await mkdtemp(path.join(tmpdir(), 'brr-oci-'));
  const dir = path.join(root, 'layout');
  const umoci = (...args: string[]): void => {
    execFileSync('umoci', args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  umoci('init', '--layout', dir);
  const readIndex = async (): Promise<LayoutIndex> =>
    JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as LayoutIndex;
  const tagged = async (tag: string): Promise<OciDescriptor> => {
    const entry = (await readIndex()).manifests.find((manifest) => manifest.annotations?.[REF_NAME] === tag);
    if (entry === undefined) throw new Error(`no ${tag} in the layout`);
    return { mediaType: entry.mediaType, digest: entry.digest, size: entry.size };
  };
  return {
    dir,
    async addImage(tag, message, architecture = 'amd64') {
      const file = path.join(root, `${tag}.txt`);
      await writeFile(file, `${message}\n`);
      umoci('new', '--image', `${dir}:${tag}`);
      umoci('insert', '--image', `${dir}:${tag}`, file, '/app/message.txt');
      umoci('config', '--image', `${dir}:${tag}`, '--os=linux', `--architecture=${architecture}`);
      return tagged(tag);
    },
    async addIndex(tag, images) {
      const manifests = [];
      for (const image of images) {
        manifests.push({ ...(await tagged(image.tag)), platform: { os: 'linux', architecture: image.architecture } });
      }
      const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
      const digest = digestOf(bytes);
      await writeFile(path.join(dir, 'blobs', 'sha256', digestHex(digest)), bytes);
      const descriptor = { mediaType: OCI_INDEX, digest, size: bytes.length };
      const index = await readIndex();
      index.manifests.push({ ...descriptor, annotations: { [REF_NAME]: tag } });
      await writeFile(path.join(dir, 'index.json'), JSON.stringify(index));
      return descriptor;
    },
    async push(tag, destination, credentials) {
      await run('skopeo', [
        '--insecure-policy',
        'copy',
        '--quiet',
        '--all',
        '--dest-tls-verify=false',
        ...(credentials ? ['--dest-creds', `${credentials.username}:${credentials.password}`] : []),
        `oci:${dir}:${tag}`,
        `docker://${destination}`,
      ]);
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** The manifest bytes the registry serves for `reference` (`host/repo:tag` or `…@sha256:…`), read by skopeo. */
export async function inspectRaw(reference: string, credentials?: Credentials): Promise<Buffer> {
  const { stdout } = await run('skopeo', [
    'inspect',
    '--raw',
    '--tls-verify=false',
    ...(credentials ? ['--creds', `${credentials.username}:${credentials.password}`] : ['--no-creds']),
    `docker://${reference}`,
  ]);
  return stdout;
}

/**
 * skopeo runs asynchronously: a registry with token auth sends it to a realm
 * served by the GitHub server in this very process, which a blocked event
 * loop could never answer.
 */
const run = async (command: string, args: string[]): Promise<{ stdout: Buffer }> =>
  promisify(execFile)(command, args, { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024, timeout: 120_000 });

/** DELETE /v2/<name>/blobs/<digest> or manifests/<digest> on an anonymous test registry (delete is enabled there). */
export async function deleteFromRegistry(
  registryUrl: string,
  repository: string,
  kind: 'blobs' | 'manifests',
  digest: string,
): Promise<void> {
  const response = await fetch(`${registryUrl}/v2/${repository}/${kind}/${digest}`, { method: 'DELETE' });
  await response.body?.cancel();
  if (response.status !== 202) throw new Error(`DELETE ${kind}/${digest} answered ${response.status}`);
}

/** The digests of the config and layers of an image manifest as served. */
export function blobsOf(manifest: Buffer): string[] {
  const parsed = JSON.parse(manifest.toString('utf8')) as { config: { digest: string }; layers: { digest: string }[] };
  return [parsed.config.digest, ...parsed.layers.map((layer) => layer.digest)];
}
