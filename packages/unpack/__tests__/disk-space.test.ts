/**
 * A full disk (issue 15, finding 4): deploy compares the release with the
 * free space before unpacking, and ENOSPC while unpacking is a clear error
 * that leaves nothing behind.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compress, craftTar } from '@build-release-run/test-helpers/crafted-tar';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

// The disk fills up after this many bytes of file content have been written.
let spaceLeft = Infinity;
const realFs = await import('node:fs/promises');
jest.unstable_mockModule('node:fs/promises', () => ({
  ...realFs,
  default: realFs,
  async open(...args: Parameters<typeof realFs.open>) {
    const handle = await realFs.open(...args);
    return new Proxy(handle, {
      get(target, property, receiver) {
        if (property !== 'write') return Reflect.get(target, property, receiver) as unknown;
        return async (buffer: Buffer, offset: number, length: number) => {
          if (length > spaceLeft) {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
              errno: -28,
              syscall: 'write',
            });
          }
          spaceLeft -= length;
          return target.write(buffer, offset, length);
        };
      },
    });
  },
}));
const { UnpackFileSystemError, checkFreeSpace, spaceProblem, unpackArchive } = await import('../src/index.ts');

let work: string;
beforeEach(async () => {
  work = await tempDir('brr-disk-');
  spaceLeft = Infinity;
});
afterEach(async () => {
  await removeDir(work);
});

describe('spaceProblem', () => {
  it.each([
    ['fits with room to spare', { archiveBytes: GiB, archiveOnSameFileSystem: true }, 10 * GiB, undefined],
    [
      'the archive and its unpacked copy do not fit',
      { archiveBytes: GiB, archiveOnSameFileSystem: true },
      2 * GiB,
      /needs about 2\.2 GiB with a margin, but .* has 2\.0 GiB free/,
    ],
    [
      'without the download on that disk, one copy fits',
      { archiveBytes: GiB, archiveOnSameFileSystem: false },
      2 * GiB,
      undefined,
    ],
    [
      'the declared unpacked size counts',
      { archiveBytes: GiB, expandedBytes: 12 * GiB, archiveOnSameFileSystem: false },
      10 * GiB,
      /archive is 1\.0 GiB and unpacks to 12\.0 GiB, which needs about 13\.2 GiB/,
    ],
    [
      'a small build still needs the 64 MiB margin',
      { archiveBytes: MiB, archiveOnSameFileSystem: false },
      32 * MiB,
      /needs about 65\.0 MiB with a margin, but the file system of '\/srv' has 32\.0 MiB free/,
    ],
    ['exactly enough', { archiveBytes: 100 * MiB, archiveOnSameFileSystem: false }, 164 * MiB, undefined],
    [
      'attached files downloaded beside the archive count',
      { archiveBytes: GiB, attachedBytes: 3 * GiB, archiveOnSameFileSystem: true },
      4 * GiB,
      /archive is 1\.0 GiB and unpacks to at least as much; its attached files are 3\.0 GiB, which needs about 5\.5 GiB/,
    ],
    [
      'attached files on another file system do not',
      { archiveBytes: GiB, attachedBytes: 3 * GiB, archiveOnSameFileSystem: false },
      2 * GiB,
      undefined,
    ],
  ])('%s', (_label, need, free, expected) => {
    const problem = spaceProblem(need, free, '/srv');
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it('checkFreeSpace reads the file system of the nearest existing folder', async () => {
    const target = path.join(work, 'not', 'made', 'yet');
    await expect(checkFreeSpace(target, work, { archiveBytes: 1024 })).resolves.toBeUndefined();
    const attempt = checkFreeSpace(target, work, { archiveBytes: 1024 ** 5 });
    await expect(attempt).rejects.toThrow(UnpackFileSystemError);
    await expect(attempt).rejects.toThrow(new RegExp(`the file system of '${work}' has`));
  });
});

describe('ENOSPC while unpacking', () => {
  it.each(['tar.gz', 'tar.zst'] as const)(
    '%s: a clear error naming the entry, and the target is removed',
    async (format) => {
      const archive = path.join(work, `a.${format}`);
      const tar = craftTar([
        { name: 'app/small.txt', content: 'small' },
        { name: 'app/big.bin', content: Buffer.alloc(3 * MiB, 7) },
      ]);
      await writeFile(archive, compress(tar, format));
      spaceLeft = MiB;
      const target = path.join(work, 'target');
      const attempt = unpackArchive({ archive, format, directory: target });
      await expect(attempt).rejects.toThrow(UnpackFileSystemError);
      await expect(attempt).rejects.toThrow(
        /^Could not unpack 'app\/big\.bin' into '.*target' \(ENOSPC\): the file system is full: free disk space on the runner, or unpack onto a larger disk/,
      );
      expect(existsSync(target)).toBe(false);
    },
  );
});
