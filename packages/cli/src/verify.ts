/**
 * `brr verify TAG`: the deploy action's reader, in its order, with the
 * policy from the flags, and nothing run: the release is found as deploy
 * finds a tag, checked as deploy checks it (immutable, release.json and
 * SHA256SUMS, the tag at the built commit, an image in its registry, the
 * signed provenance of release.json and of the build), its config and
 * archive downloaded and checked, and the archive unpacked (checked again
 * while unpacking, every entry by deploy's rules) into a temporary folder
 * that is removed afterwards. Any refusal is an error naming the claim.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GitHubApi } from '@build-release-run/github-api';
import { formatBytes, type ProgressFactory } from '@build-release-run/progress';
import { unpackArchive } from '@build-release-run/unpack';
import {
  type ProvenanceOutcome,
  type ReadOptions,
  type VerifiedRelease,
  findRelease,
  readPayload,
  readRelease,
} from '@build-release-run/release-verify';
import { forTerminal } from './terminal.ts';

export async function verifyTag(
  api: GitHubApi,
  tag: string,
  options: Omit<ReadOptions, 'workDir'>,
  say: (line: string) => void,
  progress?: ProgressFactory,
): Promise<void> {
  const release = await findRelease(api, tag);
  const workDir = await mkdtemp(path.join(tmpdir(), 'brr-verify-'));
  try {
    const verified = await readRelease(api, release, { ...options, workDir });
    const { manifest } = verified;
    const payload = verified.image ?? (await readPayload(api, verified, workDir));
    const name = forTerminal(release.tag_name);
    const format = manifest.build.format;
    let unpacked: string;
    if (format === 'image') {
      unpacked = `nothing (an image release: ${forTerminal(verified.image?.pinned ?? '')}, every blob in its registry)`;
    } else {
      const files = await unpackArchive({
        archive: payload.archiveFile,
        format,
        directory: path.join(workDir, 'unpacked'),
        expectedDigest: manifest.build.digest,
        ...(progress === undefined ? {} : { onProgress: progress('Unpacking') }),
      });
      unpacked = `${files.files} file(s), ${formatBytes(files.expandedBytes)}, every entry within the folder`;
    }
    say(`${name}: verified, nothing run.`);
    for (const line of report(verified, options, unpacked)) say(`  ${line}`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function report(verified: VerifiedRelease, options: Omit<ReadOptions, 'workDir'>, unpacked: string): string[] {
  const { manifest, release } = verified;
  return [
    `environment  ${forTerminal(manifest.environment)}`,
    `commit       ${forTerminal(manifest.build.commit)} (the tag points at it)`,
    `build        ${manifest.build.digest} (${forTerminal(manifest.build.archive)}, ${formatBytes(manifest.build.size)})`,
    `config       ${manifest.config.digest} (${manifest.config.keys.length} key(s), ${manifest.config.secretKeys.length} secret name(s))`,
    `manifest     ${verified.manifestDigest}`,
    `immutable    ${release.immutable === true ? 'yes' : `no (accepted: --allow-mutable-release ${String(options.trust.allowMutableRelease)})`}`,
    ...provenanceLines(verified.provenance),
    `unpacked     ${unpacked}`,
    `checked      every asset against SHA256SUMS, the manifest and GitHub's asset digests`,
  ];
}

function provenanceLines(outcome: ProvenanceOutcome): string[] {
  if (!outcome.checked) return ['provenance   not checked (--verify-provenance false)'];
  const unnamed = (named: boolean, flag: string) =>
    named ? '' : ` (${flag} not given: any workflow of the repository on ${forTerminal(outcome.sourceRef)})`;
  return [
    `provenance   release.json signed by ${forTerminal(outcome.releaseSigner)}${unnamed(outcome.named.release, '--release-signer')}`,
    `             build signed by ${forTerminal(outcome.buildSigner)}${unnamed(outcome.named.build, '--build-signer')}`,
  ];
}
