import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CraftedEntry, compress, craftHeader, craftTar } from '@build-release-run/test-helpers/crafted-tar';
import { describeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { DigestMismatchError, type TarLimits, UnsafeArchiveError, unpackArchive } from '../src/index.ts';

let work: string;
let target: string;
beforeEach(async () => {
  work = await tempDir('brr-unpack-');
  target = path.join(work, 'target');
  await mkdir(path.join(work, 'outside'));
  await writeFile(path.join(work, 'outside', 'sentinel'), 'untouched');
});
afterEach(async () => {
  await removeDir(work);
});

async function unpackTar(tar: Buffer, limits?: Partial<TarLimits>, format: 'tar.gz' | 'tar.zst' = 'tar.gz') {
  const archive = path.join(work, `archive.${format}`);
  await writeFile(archive, compress(tar, format));
  try {
    return await unpackArchive({ archive, format, directory: target, ...(limits ? { limits } : {}) });
  } finally {
    await removeDir(archive);
  }
}

const file = (name: string, content: string | Buffer = 'x', extra: Partial<CraftedEntry> = {}): CraftedEntry => ({
  name,
  content,
  ...extra,
});

describe('crafted archives that must be refused', () => {
  it.each<[string, CraftedEntry[], RegExp]>([
    ['path traversal', [file('../outside/sentinel', 'pwned')], /'\.\.\/outside\/sentinel' has a '\.\.' segment/],
    ['traversal hidden in the middle', [file('app/../../outside/evil')], /has a '\.\.' segment/],
    ['an absolute path', [file('/tmp/brr-absolute-pwned')], /is an absolute path/],
    ['a symlink escaping with ..', [{ name: 'app/link', type: '2', linkname: '../../outside' }], /points outside/],
    ['an absolute symlink', [{ name: 'etc', type: '2', linkname: '/etc' }], /points to an absolute path/],
    [
      'a chain of links that escapes (sub/s -> .., sub/t -> s/..)',
      [
        { name: 'sub/s', type: '2', linkname: '..' },
        { name: 'sub/t', type: '2', linkname: 's/..' },
      ],
      /has '\.\.' after a name/,
    ],
    [
      'a hard link escaping with ..',
      [{ name: 'h', type: '1', linkname: '../outside/sentinel' }],
      /has a '\.\.' segment/,
    ],
    ['an absolute hard link', [{ name: 'h', type: '1', linkname: '/etc/passwd' }], /is an absolute path/],
    [
      'a hard link to a symlink (its relative target would move)',
      [
        { name: 'a/b/up', type: '2', linkname: '../../x' },
        { name: 'h', type: '1', linkname: 'a/b/up' },
      ],
      /does not point to a file extracted before it/,
    ],
    [
      'a symlink followed by a file written through it',
      [{ name: 'here', type: '2', linkname: '.' }, file('here/evil')],
      /'here\/evil' would be written through the symlink 'here'/,
    ],
    [
      'a folder replaced by a symlink (duplicate entry)',
      [{ name: 'dir/', type: '5', mode: 0o755 }, { name: 'dir', type: '2', linkname: 'other' }, file('dir/f')],
      /'dir' appears twice/,
    ],
    ['a file replaced by a later duplicate', [file('a', 'one'), file('a', 'two')], /'a' appears twice/],
    ['a character device', [{ name: 'null', type: '3' }], /'null' is a character device/],
    ['a block device', [{ name: 'sda', type: '4' }], /'sda' is a block device/],
    ['a FIFO', [{ name: 'pipe', type: '6' }], /'pipe' is a FIFO/],
    ['an unknown entry type', [{ name: 'odd', type: 'Z' }], /unknown entry type 'Z'/],
    [
      'a pax path that traverses while the ustar name looks harmless',
      [file('harmless', 'x', { pax: { path: '../outside/evil' } })],
      /has a '\.\.' segment/,
    ],
    [
      'a pax linkpath that escapes',
      [{ name: 'l', type: '2', linkname: 'ok', pax: { linkpath: '../../../etc' } }],
      /points outside/,
    ],
    [
      'a name segment longer than 255 bytes',
      [file('x', 'x', { pax: { path: `a/${'n'.repeat(300)}` } })],
      /longer than 255/,
    ],
    [
      'a name longer than PATH_MAX',
      [file('x', 'x', { pax: { path: `${'d'.repeat(200)}/`.repeat(25) + 'f' } })],
      /longer than 4095/,
    ],
  ])('%s', async (_label, entries, message) => {
    const before = await describeTree(work);
    const attempt = unpackTar(craftTar(entries));
    await expect(attempt).rejects.toThrow(UnsafeArchiveError);
    await expect(attempt).rejects.toThrow(message);
    // Nothing was written anywhere: the target folder is gone again and the rest is as it was.
    expect(await describeTree(work)).toEqual(before);
    expect(existsSync('/tmp/brr-absolute-pwned')).toBe(false);
  });

  it('refuses an entry-count bomb', async () => {
    const many = Array.from({ length: 50 }, (_, i) => file(`f${i}`, ''));
    await expect(unpackTar(craftTar(many), { maxEntries: 10 })).rejects.toThrow(/more than 10 entries/);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a compression bomb before writing past the cap', async () => {
    // 64 MiB of zeros compresses to about 64 KiB.
    const bomb = craftTar([file('zeros', Buffer.alloc(64 * 1024 * 1024))]);
    const compressed = compress(bomb, 'tar.gz');
    expect(compressed.length).toBeLessThan(1024 * 1024);
    const before = await describeTree(work);
    await expect(unpackTar(bomb, { maxBytes: 8 * 1024 * 1024 })).rejects.toThrow(
      /more than 8\.0 MiB.*refused before writing/,
    );
    expect(await describeTree(work)).toEqual(before);
  });

  it('refuses a stream of zeros after the end marker at the padding limit, not at the size cap', async () => {
    // With the default caps this would be read up to 16 GiB before the size cap stopped it.
    const tar = Buffer.concat([craftTar([file('a')]), Buffer.alloc(32 * 1024 * 1024)]);
    const attempt = unpackTar(tar, undefined, 'tar.zst');
    await expect(attempt).rejects.toThrow(UnsafeArchiveError);
    await expect(attempt).rejects.toThrow(/more than 65536 bytes of padding after its end-of-archive marker/);
    expect(existsSync(target)).toBe(false);
  });

  it('accepts the padding tar writes up to a 64 KiB record', async () => {
    // 'tar -b 128': the two end blocks, then zeros to the end of the 64 KiB record.
    const tar = craftTar([file('a')]);
    const record = Buffer.concat([tar, Buffer.alloc(64 * 1024 - (tar.length % (64 * 1024)))]);
    await expect(unpackTar(record)).resolves.toMatchObject({ files: 1 });
  });

  it.each<[string, Buffer, RegExp]>([
    ['a truncated archive', craftTar([file('a', 'abc')], { end: false }), /truncated/],
    ['a truncated file body', craftTar([file('a', 'abc', { size: 4096 })], { end: false }), /truncated/],
    ['garbage instead of a header', Buffer.alloc(1024, 0x41), /bad checksum|malformed/],
    ['data after the end marker', Buffer.concat([craftTar([file('a')]), Buffer.from('trailing')]), /after its end/],
    [
      'a lone zero block followed by an entry',
      Buffer.concat([Buffer.alloc(512), craftTar([file('a')])]),
      /lone zero block/,
    ],
  ])('refuses %s', async (_label, tar, message) => {
    await expect(unpackTar(tar)).rejects.toThrow(message);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a header whose checksum does not match', async () => {
    const header = craftHeader({ name: 'a', type: '0', mode: 0o644, size: 0 });
    header[0] = 'b'.charCodeAt(0);
    await expect(unpackTar(Buffer.concat([header, Buffer.alloc(1024)]))).rejects.toThrow(/bad checksum/);
  });
});

describe('crafted archives that are neutralised', () => {
  it('strips setuid, setgid and sticky bits', async () => {
    await unpackTar(
      craftTar([file('suid', '#!/bin/sh\n', { mode: 0o6755 }), { name: 'sticky/', type: '5', mode: 0o1777 }]),
    );
    const suid = await lstat(path.join(target, 'suid'));
    expect(suid.mode & 0o7000).toBe(0);
    expect(suid.mode & 0o100).toBe(0o100);
    expect((await lstat(path.join(target, 'sticky'))).mode & 0o7000).toBe(0);
  });

  it('accepts links that stay inside, long names via pax and GNU, and a leading ./', async () => {
    const longSegment = 'ñ'.repeat(100); // 200 bytes: over ustar's 100, under NAME_MAX
    const longPath = `${'deep/'.repeat(150)}end.txt`; // 757 bytes
    const gnuLongName = craftGnuLongName(`gnu/${'g'.repeat(150)}`, 'gnu content');
    const tar = Buffer.concat([
      craftTar(
        [
          file('./app/server.js', 'server'),
          { name: 'app/bin/', type: '5', mode: 0o755 },
          { name: 'app/bin/up', type: '2', linkname: '../server.js' },
          { name: 'app/same', type: '2', linkname: './server.js' },
          { name: 'app/hard', type: '1', linkname: 'app/server.js' },
          file('x', 'long', { pax: { path: `app/${longSegment}` } }),
          file('y', 'deep', { pax: { path: longPath } }),
          { name: './', type: '5', mode: 0o755 },
        ],
        { end: false },
      ),
      gnuLongName,
      Buffer.alloc(1024),
    ]);
    const result = await unpackTar(tar, undefined, 'tar.zst');
    expect(result).toMatchObject({ files: 4, symlinks: 2, hardlinks: 1 });
    expect(await readFile(path.join(target, 'app/bin/up'), 'utf8')).toBe('server');
    expect(await readFile(path.join(target, 'app/hard'), 'utf8')).toBe('server');
    expect(await readFile(path.join(target, 'app', longSegment), 'utf8')).toBe('long');
    expect(await readFile(path.join(target, longPath), 'utf8')).toBe('deep');
    expect(await readFile(path.join(target, 'gnu', 'g'.repeat(150)), 'utf8')).toBe('gnu content');
  });
});

describe('verification while unpacking', () => {
  it('removes everything when the digest is not the expected one', async () => {
    const archive = path.join(work, 'a.tar.gz');
    await writeFile(archive, compress(craftTar([file('a', 'content')]), 'tar.gz'));
    const wrong = `sha256:${'0'.repeat(64)}` as const;
    const attempt = unpackArchive({ archive, format: 'tar.gz', directory: target, expectedDigest: wrong });
    await expect(attempt).rejects.toThrow(DigestMismatchError);
    await expect(attempt).rejects.toThrow(/its bytes changed after it was released/);
    expect(existsSync(target)).toBe(false);
  });

  it('empties but keeps a folder that existed before', async () => {
    await mkdir(target);
    await expect(unpackTar(craftTar([file('ok'), file('../bad')]))).rejects.toThrow(UnsafeArchiveError);
    expect(await describeTree(target)).toEqual([]);
  });

  it('refuses a folder that is not empty, naming the input', async () => {
    await mkdir(target);
    await writeFile(path.join(target, 'stale'), 'old');
    await expect(unpackTar(craftTar([file('ok')]))).rejects.toThrow(/Input 'directory': '.*target' is not empty/);
    expect(await readFile(path.join(target, 'stale'), 'utf8')).toBe('old');
  });
});

function craftGnuLongName(name: string, content: string): Buffer {
  const body = Buffer.from(`${name}\u0000`);
  const header = craftHeader({ name: '././@LongLink', type: 'L', mode: 0o644, size: body.length });
  const bodyBlock = Buffer.concat([body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
  const entry = craftTar([file(name.slice(0, 99), content)], { end: false });
  return Buffer.concat([header, bodyBlock, entry]);
}
