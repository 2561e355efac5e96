import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { runAction as boundary } from '@build-release-run/action-kit';
import { main } from '../src/main.ts';
import { inputEnv, runAction } from '@build-release-run/test-helpers/action-env';
import { makeTree, removeDir, sha256sum, tempDir } from '@build-release-run/test-helpers/tree';

let base: string;
let workspace: string;
let runnerTemp: string;

beforeEach(async () => {
  base = await tempDir();
  workspace = path.join(base, 'workspace');
  runnerTemp = path.join(base, 'temp');
  await mkdir(workspace);
  await mkdir(runnerTemp);
});
afterEach(async () => {
  await removeDir(base);
});

function build(inputs: Record<string, string>) {
  return runAction(() => boundary(main), {
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    GITHUB_REPOSITORY: 'octo/web-app',
    GITHUB_RUN_ID: '7',
    ...inputEnv(inputs),
  });
}

async function leftovers(): Promise<string[]> {
  const dir = path.join(runnerTemp, 'build-release-run');
  return existsSync(dir) ? readdir(dir) : [];
}

describe('the build action', () => {
  it('runs the build command, packs its output and reports the digest', async () => {
    const result = await build({
      path: 'out',
      run: 'mkdir -p out/static && echo "app" > out/app.js && echo "body{}" > out/static/site.css',
      format: 'tar.gz',
    });

    expect(result.error).toBeUndefined();
    expect(result.failed).toBe(false);
    const { digest, archive, size, files } = result.outputs;
    expect(archive).toMatch(/build-release-run\/web-app-[0-9a-f]{12}\.tar\.gz$/);
    expect(digest).toBe(`sha256:${sha256sum(archive as string)}`);
    expect(result.outputs['artifact-name']).toBe(`build-sha256-${(digest as string).slice(7)}`);
    expect(archive).toContain((digest as string).slice(7, 19));
    expect(Number(size)).toBeGreaterThan(0);
    expect(files).toBe('2');
    expect(result.summary).toContain(digest);
    expect(result.summary).toContain('644 static/site.css');
    expect(await leftovers()).toEqual([path.basename(archive as string)]);
  });

  it('defaults to tar.zst and gives the same digest for the same content', async () => {
    await makeTree(workspace, { 'dist/index.html': '<h1>hi</h1>', 'dist/run.sh': { content: 'echo', mode: 0o755 } });
    const first = await build({ path: 'dist' });
    const second = await build({ path: 'dist/\n# a comment\n' });
    expect(first.outputs['archive']).toMatch(/\.tar\.zst$/);
    expect(second.outputs['digest']).toBe(first.outputs['digest']);
  });

  it('honours exclusions and working-directory', async () => {
    await makeTree(workspace, { 'web/dist/a.js': 'a', 'web/dist/a.js.map': 'map', 'web/dist/b.js': 'b' });
    const result = await build({ path: 'dist\n!dist/**/*.map', 'working-directory': 'web', name: 'site' });
    expect(result.error).toBeUndefined();
    expect(result.outputs['files']).toBe('2');
    expect(result.outputs['archive']).toMatch(/site-[0-9a-f]{12}\.tar\.zst$/);
  });
});

describe("the checkout's .git folder, where actions/checkout keeps the job's token", () => {
  const token = Buffer.from(`x-access-token:ghs_${'bEeF42'.repeat(6)}`).toString('base64');
  beforeEach(async () => {
    await makeTree(workspace, {
      'app.py': 'print(1)',
      '.git/config': `[http]\n\textraheader = AUTHORIZATION: basic ${token}\n`,
      '.git/HEAD': 'ref: refs/heads/main\n',
    });
  });

  it('is never packed, even when path selects the whole workspace', async () => {
    const result = await build({ path: '.', format: 'tar.gz' });
    expect(result.error).toBeUndefined();
    expect(result.outputs['files']).toBe('1');
    const listing = execFileSync('tar', ['-tzf', result.outputs['archive'] as string], { encoding: 'utf8' });
    expect(listing.split('\n').filter((line) => line !== '' && line !== './')).toEqual(['app.py']);
  });

  it('is refused as a path line', async () => {
    const result = await build({ path: '.git', format: 'tar.gz' });
    expect(result.error).toMatch(/^Input 'path' is "\.git", which is inside a \.git folder in the workspace/);
  });
});

describe('bad input: a clear error naming the input, nothing left behind', () => {
  it.each([
    ['path matching nothing', { path: 'missing' }, /Input 'path' matched nothing/],
    ['no path at all', { path: '' }, /Input 'path' is required/],
    [
      'a path outside the workspace',
      { path: '../elsewhere' },
      /Input 'path' is "..\/elsewhere", which is outside the workspace/,
    ],
    [
      'an absolute path outside the workspace',
      { path: '/etc' },
      /Input 'path' is "\/etc", which is outside the workspace/,
    ],
    [
      'a symlink escaping the root',
      { path: 'escape' },
      /Input 'path': the symlink 'link' -> '.*' points outside the folder/,
    ],
    ['an unknown format', { path: 'dist', format: 'zip' }, /Input 'format' is 'zip'; use one of: tar.gz, tar.zst/],
    [
      'a failing run command',
      { path: 'dist', run: 'echo building; exit 3' },
      /Input 'run': the build command exited with code 3/,
    ],
    ['a bad name', { path: 'dist', name: '../evil' }, /Input 'name' must be a build name: .*; got "..\/evil"/],
    ['bad retention-days', { path: 'dist', 'retention-days': '365' }, /Input 'retention-days' is '365'/],
    [
      'a deadline of no time',
      { path: 'dist', run: 'touch ran', 'deadline-minutes': '0' },
      /^Input 'deadline-minutes' is '0'; give the minutes the action may take, a number above 0 and at most 360 \(e\.g\. 60\)/,
    ],
    [
      'a deadline that is not a number',
      { path: 'dist', run: 'touch ran', 'deadline-minutes': 'an hour' },
      /^Input 'deadline-minutes' is 'an hour'; give the minutes/,
    ],
    [
      'a deadline past the job limit',
      { path: 'dist', run: 'touch ran', 'deadline-minutes': '361' },
      /^Input 'deadline-minutes' is '361'; .* at most 360/,
    ],
    [
      'working-directory outside',
      { path: 'dist', 'working-directory': '..' },
      /Input 'working-directory' is "..", which is outside the workspace/,
    ],
    [
      'a working-directory linked outside',
      { path: 'dist', 'working-directory': 'to-base' },
      /Input 'working-directory' is "to-base", which is outside the workspace .*\(through a symbolic link/,
    ],
    [
      'a path below a link to outside',
      { path: 'to-base/temp' },
      /Input 'path' is "to-base\/temp", which is outside the workspace .*\(through a symbolic link/,
    ],
    [
      'a glob below a link to outside',
      { path: 'dist\nto-base/**/*.js' },
      /Input 'path' is "to-base\/\*\*\/\*\.js", which is outside the workspace/,
    ],
    [
      'a missing working-directory with run',
      { path: 'dist', run: 'true', 'working-directory': 'nope' },
      /Input 'working-directory': 'nope' is not a folder/,
    ],
  ] as Array<[string, Record<string, string>, RegExp]>)('%s', async (_label, inputs, message) => {
    await makeTree(workspace, { 'dist/a.txt': 'a', 'escape/ok.txt': 'ok' });
    await symlink('../../outside', path.join(workspace, 'escape', 'link'));
    await symlink(base, path.join(workspace, 'to-base'));
    const result = await build(inputs);
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(message);
    expect(result.outputs).toEqual({});
    expect(await leftovers()).toEqual([]);
    // Refused before the build command: it never ran.
    if (!String(inputs['run']).includes('exit')) expect(existsSync(path.join(workspace, 'ran'))).toBe(false);
  });
});
