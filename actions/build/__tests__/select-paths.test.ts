import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { selectPaths } from '../src/select-paths.ts';
import { makeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';

let workspace: string;
beforeAll(async () => {
  workspace = await tempDir();
  await makeTree(workspace, {
    'dist/index.js': 'i',
    'dist/.well-known/x.json': '{}',
    'dist/maps/index.js.map': 'm',
    'dist/lib/a.js': 'a',
    'dist/lib/a.js.map': 'm',
    'dist/empty': { dir: true },
    'dist/linked': { symlink: 'lib' },
    'docs/readme.md': 'r',
    'other/file.js': 'o',
  });
});
afterAll(async () => {
  await removeDir(workspace);
});

async function select(lines: string[]) {
  const patterns = lines.map((line) =>
    line.startsWith('!') ? `!${path.resolve(workspace, line.slice(1))}` : path.resolve(workspace, line),
  );
  const { root, paths } = await selectPaths(patterns, workspace);
  return {
    root: path.relative(workspace, root) || '.',
    // The root itself may be listed; it is no entry of the archive.
    paths: paths
      .map((p) => path.relative(root, p))
      .filter((p) => p !== '')
      .sort(),
  };
}

describe('selectPaths', () => {
  it.each([
    [
      'a folder: its whole content, dotfiles and empty folders too, links not followed',
      ['dist'],
      'dist',
      [
        '.well-known',
        '.well-known/x.json',
        'empty',
        'index.js',
        'lib',
        'lib/a.js',
        'lib/a.js.map',
        'linked',
        'maps',
        'maps/index.js.map',
      ],
    ],
    ['a trailing slash changes nothing', ['dist/'], 'dist', undefined],
    ['a glob', ['dist/**/*.js'], 'dist', ['index.js', 'lib/a.js']],
    [
      'an exclusion',
      ['dist', '!dist/**/*.map'],
      'dist',
      ['.well-known', '.well-known/x.json', 'empty', 'index.js', 'lib', 'lib/a.js', 'linked', 'maps'],
    ],
    [
      'an excluded folder takes its content along',
      ['dist', '!dist/lib'],
      'dist',
      ['.well-known', '.well-known/x.json', 'empty', 'index.js', 'linked', 'maps', 'maps/index.js.map'],
    ],
    [
      'several paths keep their layout under their common folder',
      ['dist/index.js', 'docs'],
      '.',
      ['dist/index.js', 'docs', 'docs/readme.md'],
    ],
    ['a single file is packed by its name', ['other/file.js'], 'other', ['file.js']],
    [
      'a glob matching folders brings their content',
      ['dist/l*'],
      'dist',
      ['lib', 'lib/a.js', 'lib/a.js.map', 'linked'],
    ],
    [
      'a later line adds back what an earlier exclusion took (upload-artifact reads lines in order)',
      ['dist', '!dist/lib', 'dist/lib/a.js'],
      'dist',
      ['.well-known', '.well-known/x.json', 'empty', 'index.js', 'lib/a.js', 'linked', 'maps', 'maps/index.js.map'],
    ],
    ['nothing', ['missing', 'dist/*.css'], 'dist', []],
  ] as Array<[string, string[], string, string[] | undefined]>)('%s', async (_label, lines, root, expected) => {
    const result = await select(lines);
    expect(result.root).toBe(root);
    if (expected !== undefined) expect(result.paths).toEqual(expected);
    else expect(result.paths).toEqual((await select(['dist'])).paths);
  });
});
