/**
 * `brr verify TAG`: the deploy action's checks, in its order, and nothing
 * run: the release is resolved as deploy resolves a tag, its manifest,
 * config and archive are downloaded and checked against SHA256SUMS, the
 * manifest and GitHub's own digests, and the archive is unpacked (checked
 * again while unpacking, every entry by deploy's rules) into a temporary
 * folder that is removed afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GitHubApi } from '@build-release-run/github-api';
import { formatBytes, type ProgressFactory } from '@build-release-run/progress';
import { unpackArchive } from '@build-release-run/unpack';
import { releaseForTag } from '@build-release-run/release-verify';
import { verifyManifest, verifyPayload } from '@build-release-run/release-verify';
import { forTerminal } from './terminal.ts';

export async function verifyTag(
  api: GitHubApi,
  tag: string,
  say: (line: string) => void,
  progress?: ProgressFactory,
): Promise<void> {
  const release = await releaseForTag(api, tag);
  const workDir = await mkdtemp(path.join(tmpdir(), 'brr-verify-'));
  try {
    const verified = await verifyManifest(api, release, workDir);
    const { manifest } = verified;
    const payload = await verifyPayload(api, release, verified, workDir);
    const format = manifest.build.format;
    if (format === 'image') {
      // The image's manifest asset was checked like an archive; the registry is deploy's to check.
      say(`${forTerminal(release.tag_name)}: verified (an image release: its manifest asset), nothing run.`);
      return;
    }
    const unpacked = await unpackArchive({
      archive: payload.archiveFile,
      format,
      directory: path.join(workDir, 'unpacked'),
      expectedDigest: manifest.build.digest,
      ...(progress === undefined ? {} : { onProgress: progress('Unpacking') }),
    });
    const name = forTerminal(release.tag_name);
    say(`${name}: verified, nothing run.`);
    say(`  environment  ${forTerminal(manifest.environment)}`);
    say(`  commit       ${forTerminal(manifest.build.commit)}`);
    say(
      `  build        ${manifest.build.digest} (${forTerminal(manifest.build.archive)}, ${formatBytes(manifest.build.size)})`,
    );
    say(
      `  config       ${manifest.config.digest} (${manifest.config.keys.length} key(s), ${manifest.config.secretKeys.length} secret name(s))`,
    );
    say(`  manifest     ${verified.manifestDigest}`);
    say(
      `  unpacked     ${unpacked.files} file(s), ${formatBytes(unpacked.expandedBytes)}, every entry within the folder`,
    );
    say(`  checked      every asset against SHA256SUMS, the manifest and GitHub's asset digests`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
