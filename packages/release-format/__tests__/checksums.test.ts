import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { digestFile, digestOf, formatChecksums, parseChecksums } from '../src/index.ts';

describe('SHA256SUMS', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('brr-sums-');
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  it('is sorted by name and verified by sha256sum -c', async () => {
    const files = { 'release.json': '{}\n', 'app-0123456789ab.tar.gz': 'archive bytes', 'config.env': 'A=1\n' };
    const sums = [];
    for (const [name, content] of Object.entries(files)) {
      await writeFile(path.join(dir, name), content);
      sums.push({ name, sha256: digestOf(content).slice(7) });
    }
    const text = formatChecksums(sums);
    expect(text.split('\n').map((line) => line.split('  ')[1])).toEqual([
      'app-0123456789ab.tar.gz',
      'config.env',
      'release.json',
      undefined,
    ]);
    await writeFile(path.join(dir, 'SHA256SUMS'), text);
    const out = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    expect(out).toBe('app-0123456789ab.tar.gz: OK\nconfig.env: OK\nrelease.json: OK\n');
    expect(parseChecksums(text)).toEqual(sums.sort((a, b) => (a.name < b.name ? -1 : 1)));
  });

  it('hashes a file as a stream, giving what sha256sum gives', async () => {
    const file = path.join(dir, 'big');
    await writeFile(file, Buffer.alloc(3 * 1024 * 1024 + 7, 1));
    const { digest, size } = await digestFile(file);
    expect(size).toBe(3 * 1024 * 1024 + 7);
    expect(digest).toBe(`sha256:${execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]}`);
  });

  it.each([
    ['a short hex', `${'a'.repeat(63)}  x\n`],
    ['one space', `${'a'.repeat(64)} x\n`.replace(' x', 'x')],
    ['a repeated name', `${'a'.repeat(64)}  x\n${'b'.repeat(64)}  x\n`],
  ])('refuses %s', (_name, text) => {
    expect(() => parseChecksums(text)).toThrow(/SHA256SUMS/);
  });
});
