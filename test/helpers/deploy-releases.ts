/**
 * Publishes releases in the agreed format (archive, config.env, release.json,
 * SHA256SUMS) straight through the API, for deploy tests: the same writers
 * the release action uses, without running it.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { collectEntries, packArchive, walk } from '@build-release-run/archive';
import type { Digest } from '@build-release-run/contract';
import type { GitHubApi, Release } from '@build-release-run/github-api';
import {
  CHECKSUMS_ASSET,
  CONFIG_ASSET,
  MANIFEST_ASSET,
  MANIFEST_SCHEMA,
  type Checksum,
  type ReleaseManifest,
  archiveAssetName,
  digestFile,
  digestOf,
  formatChecksums,
  renderMarker,
  serializeConfigEnv,
  serializeManifest,
  versionOfTag,
} from '@build-release-run/release-format';
import { makeTree, type TreeSpec } from './tree.ts';

export interface TestReleaseSpec {
  tag: string;
  environment?: string;
  /** The build output. */
  files: TreeSpec;
  config?: Record<string, string>;
  secretKeys?: string[];
  format?: 'tar.gz' | 'tar.zst';
  /** 40 hex: a commit of the server's repository. */
  commit: string;
  /** Leave the release a draft. */
  draft?: boolean;
  /** config.env written as is, unchecked; its keys go into the manifest. */
  rawConfig?: string;
  /** Publish it as a prerelease. */
  prerelease?: boolean;
  /**
   * Changes release.json after it was assembled, written without validation
   * (a hostile release made by hand); the checksums follow the changed text.
   */
  manifestPatch?: (manifest: Record<string, unknown>) => void;
  /** Assets not to upload (to make a release the release action did not make). */
  omit?: string[];
  /** Replaces the archive with these bytes after the digests were computed from the real one. */
  archiveFile?: string;
  /** Releases this archive file as the build, digests and all (a hostile build made by hand). */
  prebuiltArchive?: string;
  /** The build size release.json declares, instead of the archive's (a manifest made by hand). */
  declaredSize?: number;
  /** The release notes (e.g. with a body marker written by hand). */
  body?: string;
  /** Notes as the release action writes them: its marker, after `body`. */
  actionNotes?: boolean;
  /** Changes the SHA256SUMS lines (a release the release action did not make). */
  checksums?: (lines: Checksum[]) => Checksum[];
  /** Writes SHA256SUMS from its lines another way than the release action does. */
  checksumsText?: (lines: Checksum[]) => string;
}

export interface TestRelease {
  release: Release;
  manifest: ReleaseManifest;
  /** sha256 of the release.json uploaded (after manifestPatch). */
  manifestDigest: Digest;
  archiveFile: string;
}

export async function publishTestRelease(api: GitHubApi, spec: TestReleaseSpec, workDir: string): Promise<TestRelease> {
  const dir = path.join(workDir, `release-${spec.tag}`);
  await mkdir(dir, { recursive: true });
  const root = path.join(dir, 'build');
  await makeTree(root, spec.files);
  const format = spec.format ?? 'tar.gz';
  const packedFile = path.join(dir, `build.${format}`);
  const packed =
    spec.prebuiltArchive === undefined
      ? await packArchive({
          entries: await collectEntries(root, await walk(root)),
          format,
          mtime: 0,
          output: packedFile,
        })
      : { ...(await digestFile(spec.prebuiltArchive)), files: 0 };
  const archiveName = archiveAssetName('app', packed.digest, format);

  const values = spec.config ?? { APP_ENV: 'test' };
  // `rawConfig` writes config.env as given (a hostile release made by hand); the manifest lists its keys.
  const configText = spec.rawConfig ?? serializeConfigEnv({ values, secretKeys: spec.secretKeys ?? [] });
  const manifest: ReleaseManifest = {
    schema: MANIFEST_SCHEMA,
    tag: spec.tag,
    version: versionOfTag(spec.tag),
    environment: spec.environment ?? 'production',
    build: {
      digest: packed.digest,
      archive: archiveName,
      format,
      size: spec.declaredSize ?? packed.size,
      commit: spec.commit,
      ref: 'refs/heads/main',
    },
    config: {
      asset: CONFIG_ASSET,
      digest: digestOf(configText),
      keys:
        spec.rawConfig === undefined
          ? Object.keys(values).sort()
          : [...spec.rawConfig.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1] as string).sort(),
      secretKeys: [...(spec.secretKeys ?? [])].sort(),
    },
    previous: null,
    run: { id: '1', attempt: '1', url: 'https://github.com/octo/app/actions/runs/1' },
    actor: 'octocat',
    createdAt: new Date(0).toISOString(),
  };
  let manifestText: string;
  if (spec.manifestPatch === undefined) {
    manifestText = serializeManifest(manifest);
  } else {
    const raw = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
    spec.manifestPatch(raw);
    manifestText = `${JSON.stringify(raw, null, 2)}\n`;
  }
  const lines = (spec.checksums ?? ((same: Checksum[]) => same))([
    { name: archiveName, sha256: packed.digest.slice('sha256:'.length) },
    { name: CONFIG_ASSET, sha256: digestOf(configText).slice('sha256:'.length) },
    { name: MANIFEST_ASSET, sha256: digestOf(manifestText).slice('sha256:'.length) },
  ]);
  const sums = (spec.checksumsText ?? formatChecksums)(lines);

  const draft = await api.createRelease({
    tag_name: spec.tag,
    target_commitish: spec.commit,
    name: spec.tag,
    draft: true,
    ...(spec.prerelease ? { prerelease: true } : {}),
    ...(spec.body === undefined && !spec.actionNotes ? {} : { body: notesOf(spec, manifest) }),
  });
  const omit = new Set(spec.omit ?? []);
  const archiveFile = spec.archiveFile ?? spec.prebuiltArchive ?? packedFile;
  const { size } = await stat(archiveFile);
  const uploads = [
    { name: archiveName, file: archiveFile, size },
    { name: CONFIG_ASSET, bytes: Buffer.from(configText), size: Buffer.byteLength(configText) },
    { name: MANIFEST_ASSET, bytes: Buffer.from(manifestText), size: Buffer.byteLength(manifestText) },
    { name: CHECKSUMS_ASSET, bytes: Buffer.from(sums), size: Buffer.byteLength(sums) },
  ];
  for (const upload of uploads) if (!omit.has(upload.name)) await api.uploadReleaseAsset(draft, upload);
  const release = spec.draft ? draft : await api.publishDraft(draft.id);
  return { release, manifest, manifestDigest: digestOf(manifestText), archiveFile: packedFile };
}

/** `body`, then (with `actionNotes`) the marker the release action ends its notes with. */
function notesOf(spec: TestReleaseSpec, manifest: ReleaseManifest): string {
  if (!spec.actionNotes) return spec.body ?? '';
  const marker = renderMarker({
    run: manifest.run.id,
    attempt: manifest.run.attempt,
    environment: manifest.environment,
    digest: manifest.build.digest,
    config: manifest.config.digest,
    commit: manifest.build.commit,
    createdAt: manifest.createdAt,
    previous: null,
  });
  return [spec.body ?? '', marker].join('\n');
}
