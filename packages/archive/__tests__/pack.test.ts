import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '@build-release-run/contract';
import { type ArchiveFormat, FORMATS, archiveMtime, collectEntries, packArchive, walk } from '../src/index.ts';
import {
  describeTree,
  makeTree,
  removeDir,
  sha256sum,
  tempDir,
  type TreeSpec,
} from '@build-release-run/test-helpers/tree';

const longName = `${'ñandú-'.repeat(20)}final.txt`.slice(0, 150);

const spec: TreeSpec = {
  'app/server.js': 'console.log("hi")\n',
  'app/bin/start': { content: '#!/bin/sh\nexec node server.js\n', mode: 0o755 },
  'app/empty': { dir: true },
  'app/link-to-server': { symlink: 'server.js' },
  'app/bin/up': { symlink: '../server.js' },
  [`app/${longName}`]: 'long\n',
  'app/z/deep/er/file': 'x'.repeat(70_000),
};

let work: string;
beforeEach(async () => {
  work = await tempDir();
});
afterEach(async () => {
  await removeDir(work);
});

async function pack(root: string, format: ArchiveFormat, output: string) {
  const entries = await collectEntries(root, await walk(root));
  return packArchive({ entries, format, mtime: 0, output });
}

describe.each(FORMATS)('a %s archive', (format) => {
  it('is byte-identical for the same content made differently', async () => {
    const first = path.join(work, 'first');
    const second = path.join(work, 'second');
    await makeTree(first, spec);
    const previous = process.umask(0o077);
    try {
      // Reverse creation order, another umask, other mtimes.
      await makeTree(second, Object.fromEntries(Object.entries(spec).reverse()));
    } finally {
      process.umask(previous);
    }
    await utimes(path.join(second, 'app/server.js'), 1_000_000, 2_000_000);
    await utimes(path.join(second, 'app/empty'), 5, 5);

    const a = await pack(path.join(first, 'app'), format, path.join(work, `a.${format}`));
    const b = await pack(path.join(second, 'app'), format, path.join(work, `b.${format}`));

    expect(b.digest).toBe(a.digest);
    expect(await readFile(path.join(work, `b.${format}`))).toEqual(await readFile(path.join(work, `a.${format}`)));
    expect(a.files).toBe(4);
  });

  it('has a digest equal to sha256sum and extracts with GNU tar to the same tree', async () => {
    const source = path.join(work, 'src');
    await makeTree(source, spec);
    const archive = path.join(work, `out.${format}`);
    const result = await pack(path.join(source, 'app'), format, archive);

    expect(result.digest).toBe(`sha256:${sha256sum(archive)}`);
    expect(result.size).toBe((await readFile(archive)).length);

    const extracted = path.join(work, 'extracted');
    await mkdir(extracted);
    execFileSync('tar', ['-xf', archive, '-C', extracted, format === 'tar.zst' ? '--zstd' : '--gzip']);
    expect(await describeTree(extracted)).toEqual(await describeTree(path.join(source, 'app')));
    expect(await describeTree(extracted)).toContain(`${longName} - ${Buffer.from('long\n').toString('base64')}`);
  });
});

describe('refusals', () => {
  it.each([
    [
      'a symlink out of the root',
      { 'root/escape': { symlink: '../secret' } },
      /symlink 'escape' -> '..\/secret' points outside the folder/,
    ],
    [
      'an absolute symlink',
      { 'root/abs': { symlink: '/etc/passwd' } },
      /symlink 'abs' -> '\/etc\/passwd' points to an absolute path/,
    ],
  ] as Array<[string, TreeSpec, RegExp]>)('refuses %s and writes nothing', async (_label, tree, message) => {
    await makeTree(work, tree);
    const root = path.join(work, 'root');
    await expect(collectEntries(root, await walk(root))).rejects.toThrow(message);
  });

  it('refuses a FIFO', async () => {
    await mkdir(path.join(work, 'root'));
    execFileSync('mkfifo', [path.join(work, 'root', 'pipe')]);
    const root = path.join(work, 'root');
    await expect(collectEntries(root, await walk(root))).rejects.toThrow(/'pipe' is a FIFO/);
  });

  it('refuses a path outside the root', async () => {
    await expect(collectEntries(path.join(work, 'root'), [path.join(work, 'other')])).rejects.toThrow(
      ConfigurationError,
    );
  });

  it('leaves no archive behind when a file disappears while packing', async () => {
    await makeTree(work, { 'root/a.txt': 'a', 'root/b.txt': 'b' });
    const root = path.join(work, 'root');
    const entries = await collectEntries(root, await walk(root));
    await writeFile(path.join(root, 'b.txt'), '');
    const output = path.join(work, 'out.tar.gz');
    await expect(packArchive({ entries, format: 'tar.gz', mtime: 0, output })).rejects.toThrow(/'b.txt' shrank/);
    expect(existsSync(output)).toBe(false);
    expect((await readdir(work)).filter((name) => name.startsWith('out'))).toEqual([]);
  });
});

describe('archiveMtime', () => {
  it('is 0 by default and SOURCE_DATE_EPOCH when set', () => {
    expect(archiveMtime({})).toBe(0);
    expect(archiveMtime({ SOURCE_DATE_EPOCH: '1700000000' })).toBe(1_700_000_000);
    expect(() => archiveMtime({ SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(/SOURCE_DATE_EPOCH must be a whole number/);
  });

  it('is the mtime GNU tar reports', async () => {
    await makeTree(work, { 'root/a': 'a' });
    const root = path.join(work, 'root');
    const output = path.join(work, 'o.tar.gz');
    await packArchive({
      entries: await collectEntries(root, await walk(root)),
      format: 'tar.gz',
      mtime: 1_700_000_000,
      output,
    });
    const listing = execFileSync('tar', ['--utc', '--full-time', '-tvzf', output], { encoding: 'utf8' });
    expect(listing).toMatch(/0\/0 +1 2023-11-14 22:13:20 a/);
  });
});

describe('archives larger than one compression block', () => {
  it.each(FORMATS)('%s: several members/frames make one stream that tar, gzip and zstd read', async (format) => {
    const root = path.join(work, 'big');
    // ~16 MB, enough for four blocks, partly compressible; the small files
    // (read whole, with blocking calls) straddle block boundaries too.
    let seed = 7;
    const noise = (length: number) => {
      const bytes = Buffer.allocUnsafe(length);
      for (let i = 0; i < length; i++) bytes[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
      return bytes;
    };
    await makeTree(root, {
      'a.bin': noise(3_000_000),
      'b.txt': 'lorem ipsum dolor sit amet\n'.repeat(200_000),
      'c/d.bin': noise(3_500_000),
      ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`small/${i}.bin`, noise(900_000 + i)])),
    });
    const first = await pack(root, format, path.join(work, `1.${format}`));
    const second = await pack(root, format, path.join(work, `2.${format}`));
    expect(second.digest).toBe(first.digest);

    const archive = path.join(work, `1.${format}`);
    execFileSync(format === 'tar.gz' ? 'gzip' : 'zstd', ['-t', '-q', archive]);
    const extracted = path.join(work, 'x');
    await mkdir(extracted);
    execFileSync('tar', ['-xf', archive, '-C', extracted, format === 'tar.zst' ? '--zstd' : '--gzip']);
    expect(await describeTree(extracted)).toEqual(await describeTree(root));
  });
});
