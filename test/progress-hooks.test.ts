/**
 * Progress of long work through the real code paths: pack, hash, upload,
 * download (through the local server's 302) and unpack each call back, and
 * a reporter on a fake clock (one second per callback, so a 24 MiB archive
 * "takes" longer than the quiet time) turns that into lines with a
 * percentage and human units.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { collectEntries, packArchive } from '@build-release-run/archive';
import { GitHubApi, type GitHubRequest } from '@build-release-run/github-api';
import { progressTo } from '@build-release-run/progress';
import { digestFile } from '@build-release-run/release-format';
import { unpackArchive } from '@build-release-run/unpack';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const MiB = 1024 * 1024;
let github: TestGitHub;
let work: string;
const lines: string[] = [];
let clock = 0;
const progress = progressTo(
  (line) => lines.push(line),
  () => (clock += 1000),
);

beforeAll(async () => {
  github = await startTestGitHub();
  work = await tempDir('brr-progress-');
  await mkdir(path.join(work, 'build'));
  await writeFile(path.join(work, 'build', 'build.bin'), randomBytes(24 * MiB));
  const entries = await collectEntries(path.join(work, 'build'), [path.join(work, 'build', 'build.bin')], 'path');
  const archive = path.join(work, 'app.tar.gz');
  const packed = await packArchive({
    entries,
    format: 'tar.gz',
    mtime: 0,
    output: archive,
    onProgress: progress('Packing'),
  });
  await digestFile(archive, progress('Hashing'));

  const octokit = getOctokit(TEST_TOKEN, { baseUrl: github.server.url });
  const request: GitHubRequest = (route, parameters) => octokit.request(route, parameters);
  const api = new GitHubApi({ request, repository: 'octo/app', transferProgress: progress });
  const draft = await api.createRelease({ tag_name: 'v1', draft: true });
  const asset = await api.uploadReleaseAsset(draft, { name: 'app.tar.gz', file: archive, size: packed.size });
  const downloaded = path.join(work, 'downloaded.tar.gz');
  await api.downloadReleaseAsset(asset.id, downloaded, 'app.tar.gz');
  await unpackArchive({
    archive: downloaded,
    format: 'tar.gz',
    directory: path.join(work, 'unpacked'),
    expectedDigest: packed.digest,
    onProgress: progress('Unpacking'),
  });
}, 120_000);

afterAll(async () => {
  await github.close();
  await removeDir(work);
});

describe('progress of long work', () => {
  it.each(['Packing', 'Hashing', 'Uploading app.tar.gz', 'Downloading app.tar.gz', 'Unpacking'])(
    '%s says at least three lines with a percentage, the last one 100%',
    (label) => {
      const own = lines.filter((line) => line.startsWith(`${label}: `));
      expect(own.filter((line) => /: \d{1,3}% \(/.test(line)).length).toBeGreaterThanOrEqual(3);
      expect(own.at(-1)).toMatch(/: 100% \(24\.\d MiB in [\d a-z]+, [\d.]+ [KM]iB\/s\)$/);
    },
  );

  it('shows every size in human units, never as raw bytes only', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).not.toMatch(/\d{4,}\s*(B|bytes)\b/);
      expect(line).toMatch(/ (B|KiB|MiB|GiB)\b/);
    }
  });
});
