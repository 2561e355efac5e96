// Third-party notices: scripts/licenses.ts against a made-up bundle (which
// files count, what is written, what stops the bundle), and every committed
// dist/<bundle>/licenses.txt naming what its bundle is known to carry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { thirdPartyNotice } from '../scripts/licenses.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const LOADERS = '/x/node_modules/@vercel/ncc/dist/ncc/loaders/ts-loader.js??ruleSet[1].rules[2].use[1]!';

describe('thirdPartyNotice', () => {
  let dir: string;
  const store = () => path.join(dir, 'node_modules', '.pnpm');
  beforeAll(async () => {
    dir = await tempDir('brr-licenses-');
    await makeTree(path.join(store(), 'left-pad@1.3.0', 'node_modules', 'left-pad'), {
      'package.json': JSON.stringify({ name: 'left-pad', version: '1.3.0', license: 'WTFPL' }),
      'LICENSE.md': 'Do what you want.\n',
      'index.js': '',
    });
    await makeTree(path.join(store(), '@scope+lib@2.0.0', 'node_modules', '@scope', 'lib'), {
      'package.json': JSON.stringify({ name: '@scope/lib', version: '2.0.0', license: { type: 'ISC' } }),
      'lib/a.js': '',
    });
    await makeTree(path.join(store(), 'mystery@0.0.1', 'node_modules', 'mystery'), {
      'package.json': JSON.stringify({ name: 'mystery', version: '0.0.1' }),
      'index.js': '',
    });
  });
  afterAll(() => removeDir(dir));

  const stats = async (files: string[], concatenated: string[] = []) => {
    const file = path.join(dir, `stats-${files.length}-${concatenated.length}.json`);
    const modules = [
      ...files.map((f) => ({ identifier: `${LOADERS}${f}` })),
      { identifier: `${LOADERS}${dir}/src/main.ts|abc`, modules: concatenated.map((f) => ({ identifier: f })) },
      { identifier: 'external node-commonjs "node:fs"' },
      // Read but tree-shaken away: not in the bundle.
      { identifier: `${LOADERS}${path.join(store(), 'mystery@0.0.1/node_modules/mystery/index.js')}`, orphan: true },
    ];
    await writeFile(file, JSON.stringify({ modules }));
    return file;
  };

  it('lists each package once, sorted, with version, license and its license files; not this repository', async () => {
    const notice = await thirdPartyNotice(
      await stats(
        [path.join(store(), 'left-pad@1.3.0/node_modules/left-pad/index.js'), `${dir}/packages/own/src/x.ts`],
        [
          path.join(store(), '@scope+lib@2.0.0/node_modules/@scope/lib/lib/a.js'),
          path.join(store(), 'left-pad@1.3.0/node_modules/left-pad/index.js'),
        ],
      ),
      'demo',
    );
    const rule = '='.repeat(80);
    expect(notice).toBe(
      'Third-party software bundled in dist/demo/: 2 packages, each with the license it is distributed under.\n' +
        'build-release-run itself is MIT licensed: see LICENSE.\n\n' +
        `${rule}\n@scope/lib 2.0.0 (ISC)\n${rule}\n\n` +
        'The package ships no license file; its package.json names the license above.\n\n' +
        `${rule}\nleft-pad 1.3.0 (WTFPL)\n${rule}\n\nDo what you want.\n`,
    );
  });

  it('stops the bundle at a package that states no license anywhere, naming it and the way out', async () => {
    await expect(
      thirdPartyNotice(await stats([path.join(store(), 'mystery@0.0.1/node_modules/mystery/index.js')]), 'demo'),
    ).rejects.toThrow(/^mystery@0\.0\.1 \(.*\) declares no license and ships no license file: find the license/);
  });
});

describe('dist/<bundle>/licenses.txt', () => {
  it.each([
    ['build', ['@actions/core', '@actions/artifact', '@azure/storage-blob', '@sigstore/sign', 'buffers']],
    ['release', ['@actions/core', '@actions/artifact', 'unzip-stream', 'buffers', 'semver']],
    ['deploy', ['@actions/core', '@octokit/core', '@sigstore/verify', 'yaml']],
    ['brr', ['@actions/github', '@octokit/core', '@sigstore/verify', 'undici']],
  ])('%s names what it bundles, each with a license', async (bundle, known) => {
    const notice = await readFile(path.join(repoRoot, 'dist', bundle, 'licenses.txt'), 'utf8');
    const listed = [...notice.matchAll(/^={80}\n(\S+) (\S+) \((.+)\)\n={80}\n\n(.)/gm)];
    expect(notice).toMatch(new RegExp(`^Third-party software bundled in dist/${bundle}/: ${listed.length} packages`));
    expect(listed.map((m) => m[1])).toEqual(expect.arrayContaining(known));
    expect(listed.filter((m) => m[1]!.startsWith('@build-release-run/'))).toEqual([]);
    expect(await readdir(path.join(repoRoot, 'dist', bundle))).toContain('licenses.txt');
  });
});
