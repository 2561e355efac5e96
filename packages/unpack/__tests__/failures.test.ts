/**
 * Every failure of unpack is one of the project's errors, saying what was
 * wrong (issue 15, findings 1 and 2): corrupt compressed data, a name the
 * target's file system cannot hold, a sparse file in pax form, and the digest
 * mismatch winning over whatever else went wrong.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodePaxRecords } from '@build-release-run/archive';
import { formatDigest } from '@build-release-run/contract';
import { compress, craftTar } from '@build-release-run/test-helpers/crafted-tar';
import { describeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import {
  CorruptArchiveError,
  DigestMismatchError,
  UnpackFileSystemError,
  UnsafeArchiveError,
  refuseUnsupportedPlatform,
  unpackArchive,
} from '../src/index.ts';

let work: string;
let target: string;
beforeEach(async () => {
  work = await tempDir('brr-unpack-fail-');
  target = path.join(work, 'target');
});
afterEach(async () => {
  await removeDir(work);
});

const sha256 = (bytes: Buffer) => formatDigest(createHash('sha256').update(bytes).digest('hex'));
const wrongDigest = formatDigest('0'.repeat(64));

async function unpackBytes(bytes: Buffer, format: 'tar.gz' | 'tar.zst', expectedDigest?: typeof wrongDigest) {
  const archive = path.join(work, `archive.${format}`);
  await writeFile(archive, bytes);
  return unpackArchive({ archive, format, directory: target, ...(expectedDigest ? { expectedDigest } : {}) });
}

const goodTar = craftTar([
  { name: 'app/a.txt', content: 'a'.repeat(5000) },
  { name: 'app/b.txt', content: 'b' },
]);

describe('corrupt compressed data', () => {
  const formats = ['tar.gz', 'tar.zst'] as const;
  const damages: Array<[string, (good: Buffer) => Buffer]> = [
    ['truncated', (good) => good.subarray(0, good.length - 7)],
    ['not compressed at all', () => Buffer.from('this is not an archive, only text\n'.repeat(4))],
    ['with garbage instead of its header', (good) => Buffer.concat([Buffer.from('GARBAGE!'), good.subarray(8)])],
    ['empty', () => Buffer.alloc(0)],
  ];
  describe.each(formats)('%s', (format) => {
    const codec = format === 'tar.gz' ? 'gzip' : 'zstd';
    it.each(damages)('%s: "the archive is corrupt", naming the codec; nothing is left', async (_label, damage) => {
      const bad = damage(compress(goodTar, format));
      const attempt = unpackBytes(bad, format);
      await expect(attempt).rejects.toThrow(CorruptArchiveError);
      await expect(attempt).rejects.toThrow(
        new RegExp(`^the archive is corrupt: its ${codec} data is invalid \\(.+\\)$`),
      );
      expect(existsSync(target)).toBe(false);
    });

    it.each(damages)('%s, with another expected digest: the digest mismatch is reported', async (_label, damage) => {
      const bad = damage(compress(goodTar, format));
      const attempt = unpackBytes(bad, format, wrongDigest);
      await expect(attempt).rejects.toThrow(DigestMismatchError);
      // The digest of the whole file, not of the bytes read before the failure.
      await expect(attempt).rejects.toThrow(`the archive's sha256 is ${sha256(bad)}`);
      expect(existsSync(target)).toBe(false);
    });

    it('a corrupt archive whose digest is the expected one is reported as corrupt', async () => {
      const bad = compress(goodTar, format).subarray(0, 30);
      await expect(unpackBytes(bad, format, sha256(bad))).rejects.toThrow(CorruptArchiveError);
    });
  });

  it('a gzip member followed by garbage is corrupt, not silently cut', async () => {
    const bad = Buffer.concat([gzipSync(goodTar), Buffer.from('trailing bytes')]);
    await expect(unpackBytes(bad, 'tar.gz')).rejects.toThrow(/the archive is corrupt: its gzip data/);
  });

  it('an unsafe entry in an archive that is not the released one is reported as a digest mismatch', async () => {
    const bytes = compress(craftTar([{ name: '../evil', content: 'x' }]), 'tar.gz');
    await expect(unpackBytes(bytes, 'tar.gz', wrongDigest)).rejects.toThrow(DigestMismatchError);
  });

  it('an archive that cannot be read is an UnpackFileSystemError naming it', async () => {
    const attempt = unpackArchive({ archive: path.join(work, 'missing.tar.gz'), format: 'tar.gz', directory: target });
    await expect(attempt).rejects.toThrow(UnpackFileSystemError);
    await expect(attempt).rejects.toThrow(/Could not read the archive '.*missing\.tar\.gz' \(ENOENT\)/);
  });
});

describe('a target the OS refuses', () => {
  it('a folder below a file is an UnpackFileSystemError naming the folder', async () => {
    await writeFile(path.join(work, 'a-file'), 'x');
    const archive = path.join(work, 'a.tar.gz');
    await writeFile(archive, compress(goodTar, 'tar.gz'));
    const attempt = unpackArchive({ archive, format: 'tar.gz', directory: path.join(work, 'a-file', 'target') });
    await expect(attempt).rejects.toThrow(UnpackFileSystemError);
    await expect(attempt).rejects.toThrow(/Could not unpack '\.' into '.*a-file\/target' \(ENOTDIR\)/);
  });
});

describe('names too long for the target file system', () => {
  // A target folder whose own path is about 4,050 bytes: names the policy
  // accepts (each segment under 255, the whole under 4,095) no longer fit.
  async function deepTarget(): Promise<string> {
    let deep = work;
    for (let i = 0; i < 16; i++) deep = path.join(deep, `${i}`.padEnd(250, 'd'));
    await mkdir(deep, { recursive: true });
    return path.join(deep, 'target');
  }

  it.each([
    ['a file', [{ name: `f/${'n'.repeat(250)}`, content: 'x' }]],
    ['a folder', [{ name: `${'n'.repeat(200)}/${'m'.repeat(200)}/`, type: '5' }]],
    ['a symlink', [{ name: 's'.repeat(250), type: '2', linkname: 'x' }]],
  ])('%s is refused up front, naming the folder, and nothing is left', async (_label, entries) => {
    const directory = await deepTarget();
    const archive = path.join(work, 'long.tar.gz');
    await writeFile(archive, compress(craftTar(entries), 'tar.gz'));
    const before = await describeTree(work);
    const attempt = unpackArchive({ archive, format: 'tar.gz', directory });
    await expect(attempt).rejects.toThrow(UnpackFileSystemError);
    await expect(attempt).rejects.toThrow(
      /would be a path of \d+ bytes below '.*\/target', longer than the 4095 the file system allows/,
    );
    expect(await describeTree(work)).toEqual(before);
  });
});

describe('sparse files', () => {
  it('a pax sparse file made by GNU tar (--format=posix --sparse) is refused, as type S is', async () => {
    const source = path.join(work, 'src');
    await mkdir(source);
    await writeFile(path.join(source, 'sparse.bin'), 'head');
    execFileSync('truncate', ['-s', '4M', path.join(source, 'sparse.bin')]);
    const tar = path.join(work, 'sparse.tar');
    execFileSync('tar', ['--format=posix', '--sparse', '-cf', tar, '-C', source, '.']);
    const raw = await readFile(tar);
    expect(raw.toString('latin1')).toContain('GNU.sparse.major=1'); // GNU tar made the pax sparse form

    const attempt = unpackBytes(gzipSync(raw), 'tar.gz');
    await expect(attempt).rejects.toThrow(UnsafeArchiveError);
    await expect(attempt).rejects.toThrow(
      /GNUSparseFile\.\d+\/sparse\.bin' is a GNU sparse file \(pax record GNU\.sparse\./,
    );
    expect(existsSync(target)).toBe(false);
  });

  it.each([
    ['GNU.sparse.map (format 0.1)', { 'GNU.sparse.map': '0,4', 'GNU.sparse.size': '4' }],
    ['GNU.sparse.offset (format 0.0)', { 'GNU.sparse.offset': '0', 'GNU.sparse.numbytes': '4' }],
  ])('%s is refused', async (_label, pax) => {
    const bytes = compress(craftTar([{ name: 'f', content: 'data', pax }]), 'tar.zst');
    await expect(unpackBytes(bytes, 'tar.zst')).rejects.toThrow(/'f' is a GNU sparse file/);
  });

  it.each(['path', 'linkpath', 'size', 'GNU.sparse.major'])(
    "a global pax record '%s' (which other readers apply to later entries) is refused",
    async (key) => {
      const global = craftTar([{ name: 'g', type: 'g', content: encodePaxRecords([[key, '1']]) }], { end: false });
      const bytes = compress(Buffer.concat([global, goodTar]), 'tar.gz');
      await expect(unpackBytes(bytes, 'tar.gz')).rejects.toThrow(`the archive has a global pax record '${key}'`);
    },
  );
});

describe('platforms', () => {
  it('refuses to run on Windows with an error that says where to run instead', () => {
    expect(() => refuseUnsupportedPlatform('win32')).toThrow(/does not run on Windows runners.*runs-on: ubuntu-latest/);
    expect(() => refuseUnsupportedPlatform('linux')).not.toThrow();
    expect(() => refuseUnsupportedPlatform('darwin')).not.toThrow();
  });
});
