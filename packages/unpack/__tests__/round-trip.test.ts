import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { FORMATS, collectEntries, packArchive, walk } from '@build-release-run/archive';
import { describeTree, makeTree, removeDir, tempDir, type TreeSpec } from '@build-release-run/test-helpers/tree';
import { unpackArchive } from '../src/index.ts';

const spec: TreeSpec = {
  'app/server.js': 'console.log("hi")\n',
  'app/bin/start': { content: '#!/bin/sh\nexec node server.js\n', mode: 0o755 },
  'app/empty': { dir: true },
  'app/bin/up': { symlink: '../server.js' },
  [`app/${'ñandú-'.repeat(30)}.txt`]: 'long name\n',
  [`app/${'nested/'.repeat(30)}file`]: 'deep\n',
  'app/big.bin': 'y'.repeat(300_000),
};

let work: string;
beforeEach(async () => {
  work = await tempDir('brr-roundtrip-');
  await makeTree(path.join(work, 'src'), spec);
});
afterEach(async () => {
  await removeDir(work);
});

describe.each(FORMATS)('a %s archive', (format) => {
  it('made by the build action unpacks to the same tree, verified against its digest', async () => {
    const root = path.join(work, 'src', 'app');
    const archive = path.join(work, `build.${format}`);
    const packed = await packArchive({
      entries: await collectEntries(root, await walk(root)),
      format,
      mtime: 0,
      output: archive,
    });

    const result = await unpackArchive({
      archive,
      format,
      directory: path.join(work, 'out'),
      expectedDigest: packed.digest,
    });

    expect(result.digest).toBe(packed.digest);
    expect(result.files).toBe(packed.files);
    expect(await describeTree(path.join(work, 'out'))).toEqual(await describeTree(root));
  });

  // Several times the size of the unpacker's two read buffers, and
  // incompressible: a buffer read into again before the decompressor is done
  // with it would corrupt the stream.
  it('of many MiB unpacks byte for byte (reads are not overwritten in flight)', async () => {
    const root = path.join(work, 'large');
    await makeTree(root, {
      'random.bin': randomBytes(9 * 1024 * 1024),
      'text.txt': 'line of text\n'.repeat(400_000),
    });
    const archive = path.join(work, `large.${format}`);
    const packed = await packArchive({
      entries: await collectEntries(root, await walk(root)),
      format,
      mtime: 0,
      output: archive,
    });
    await unpackArchive({ archive, format, directory: path.join(work, 'out'), expectedDigest: packed.digest });
    expect(await describeTree(path.join(work, 'out'))).toEqual(await describeTree(root));
  });

  it.each(['gnu', 'posix'])('made by GNU tar (--format=%s) unpacks to the same tree', async (tarFormat) => {
    const archive = path.join(work, `gnu.${format}`);
    execFileSync('tar', [
      `--format=${tarFormat}`,
      format === 'tar.zst' ? '--zstd' : '--gzip',
      '-cf',
      archive,
      '-C',
      path.join(work, 'src', 'app'),
      '.',
    ]);
    await unpackArchive({ archive, format, directory: path.join(work, 'out') });
    expect(await describeTree(path.join(work, 'out'))).toEqual(await describeTree(path.join(work, 'src', 'app')));
  });
});
