/**
 * Pack refuses exactly what unpack would refuse (issue 9, observation 10):
 * each case is made on disk and packed by the build's packer, and crafted
 * into an archive and unpacked by deploy's unpacker; both refuse with the
 * same reason from the shared entry policy, or both accept.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { checkEntryName, checkSymlinkTarget, collectEntries, walk } from '@build-release-run/archive';
import { ConfigurationError } from '@build-release-run/contract';
import { type CraftedEntry, compress, craftTar } from '@build-release-run/test-helpers/crafted-tar';
import { makeTree, removeDir, tempDir, type TreeSpec } from '@build-release-run/test-helpers/tree';
import { UnsafeArchiveError, unpackArchive } from '../src/index.ts';
import { writeFile } from 'node:fs/promises';

let work: string;
beforeEach(async () => {
  work = await tempDir('brr-policy-');
});
afterEach(async () => {
  await removeDir(work);
});

interface Case {
  /** The file or symlink, by its name in the archive. */
  name: string;
  /** A symlink's target; a file otherwise. */
  link?: string;
  /** The shared policy's reason, or undefined when both sides accept. */
  refused?: RegExp;
}

const cases: Array<[string, Case]> = [
  ["a symlink with '..' after a name (a -> b/../c)", { name: 'a', link: 'b/../c', refused: /has '\.\.' after a name/ }],
  ['a symlink climbing out', { name: 'sub/up', link: '../../secret', refused: /points outside the folder/ }],
  ['an absolute symlink', { name: 'abs', link: '/etc/passwd', refused: /points to an absolute path/ }],
  ['a control character (U+0001)', { name: 'bell\u0001.txt', refused: /contains a control character \(U\+0001\)/ }],
  ['DEL', { name: 'del\u007f', refused: /contains a control character \(U\+007F\)/ }],
  ['a C1 control (CSI)', { name: 'csi\u009b2J', refused: /contains a control character \(U\+009B\)/ }],
  ['an escape sequence', { name: 'x\u001b[2J', refused: /contains a control character \(U\+001B\)/ }],
  ['a newline', { name: 'two\nlines', refused: /contains a control character \(U\+000A\)/ }],
  ['Windows traversal ..\\..\\evil', { name: '..\\..\\evil', refused: /contains a backslash/ }],
  ['a UNC path \\\\server\\share', { name: '\\\\server\\share', refused: /contains a backslash/ }],
  ['a drive C:\\Windows', { name: 'C:\\Windows', refused: /contains a backslash|contains a colon/ }],
  ['a drive-relative C:../x', { name: 'C:..', refused: /contains a colon/ }],
  ['an NTFS stream', { name: 'file::$DATA', refused: /contains a colon/ }],
  ['the device CON', { name: 'CON', refused: /'CON' in 'CON' is a Windows device name/ }],
  ['the device nul.txt', { name: 'dir/nul.txt', refused: /is a Windows device name/ }],
  ['the device com1', { name: 'com1', refused: /is a Windows device name/ }],
  ['the device LPT9.log', { name: 'LPT9.log', refused: /is a Windows device name/ }],
  ['a trailing dot', { name: 'name.', refused: /ends with a dot or a space/ }],
  ['a trailing space', { name: 'dir /f', refused: /'dir ' in 'dir [^']*' ends with a dot or a space/ }],
  ['three dots', { name: '...', refused: /ends with a dot or a space/ }],
  [
    'a symlink to ..\\x',
    { name: 'l', link: '..\\x', refused: /has a backslash \('\\'\), a folder separator on Windows in its target/ },
  ],
  ['a symlink to C:/x', { name: 'l', link: 'C:/x', refused: /has a colon/ }],
  ['a symlink to a device', { name: 'l', link: 'sub/AUX', refused: /names 'AUX', which is a Windows device name/ }],
  ['a symlink with a control character', { name: 'l', link: 'x\u0007', refused: /has a control character/ }],
  ['a plain file', { name: 'app/server.js' }],
  ['names that only start like devices', { name: 'console/com10/conference.txt' }],
  ['dots inside names', { name: 'a.b/.hidden/..c' }],
  ['a name starting with two dots', { name: '..hidden' }],
  ['unicode', { name: 'ñandú/日本.txt' }],
  ['a symlink up to a sibling', { name: 'sub/up', link: '../c' }],
  ['a symlink down', { name: 'a', link: './b/c' }],
];

describe.each(cases)('%s', (_label, { name, link, refused }) => {
  it(refused ? 'is refused by pack at build time, naming the path' : 'is packed', async () => {
    const root = path.join(work, 'root');
    const spec: TreeSpec = { [name]: link === undefined ? 'content' : { symlink: link } };
    await makeTree(root, spec);
    const attempt = collectEntries(root, await walk(root));
    if (refused === undefined) {
      await expect(attempt).resolves.toContainEqual(expect.objectContaining({ name }));
      return;
    }
    await expect(attempt).rejects.toThrow(ConfigurationError);
    await expect(attempt).rejects.toThrow(refused);
    await expect(attempt).rejects.toThrow(/^Input 'path': /);
  });

  it(refused ? 'is refused by unpack at deploy time, for the same reason' : 'is unpacked', async () => {
    const entry: CraftedEntry = link === undefined ? { name, content: 'content' } : { name, type: '2', linkname: link };
    // Through pax, as the packer writes names ustar cannot hold.
    const archive = path.join(work, 'a.tar.gz');
    await writeFile(archive, compress(craftTar([{ ...entry, pax: { path: name } }]), 'tar.gz'));
    const attempt = unpackArchive({ archive, format: 'tar.gz', directory: path.join(work, 'out') });
    if (refused === undefined) {
      await expect(attempt).resolves.toMatchObject({ entries: 1 });
      return;
    }
    await expect(attempt).rejects.toThrow(UnsafeArchiveError);
    await expect(attempt).rejects.toThrow(refused);
  });

  it('gets the same verdict from the policy both sides import', () => {
    const checked = link === undefined ? checkEntryName(name) : checkSymlinkTarget(name, link);
    expect(checked.ok).toBe(refused === undefined);
    if (!checked.ok) expect(checked.reason).toMatch(refused as RegExp);
  });
});

describe('names only an archive can hold (no disk makes them)', () => {
  it.each([
    ['a NUL byte', 'a\u0000b', /contains a NUL byte/],
    ['a segment over 255 bytes', `a/${'n'.repeat(256)}`, /is longer than 255 bytes/],
    ['a name over 4095 bytes', `${'d'.repeat(200)}/`.repeat(21), /longer than 4095/],
    ['an absolute path', '/etc/passwd', /is an absolute path/],
    ['a .. segment', 'a/../../b', /has a '\.\.' segment/],
  ])('%s is refused', (_label, name, reason) => {
    const checked = checkEntryName(name);
    expect(checked).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('keeps names canonical: ./ and repeated or trailing / dropped', () => {
    expect(checkEntryName('./a//b/')).toEqual({ ok: true, name: 'a/b' });
    expect(checkEntryName('./')).toEqual({ ok: true, name: '' });
  });
});
