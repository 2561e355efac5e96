import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigurationError, isInside, realPathOf, resolveInputPath, searchPath } from '../src/index.ts';

let base: string;
let workspace: string;
let temp: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), 'brr-paths-')));
  workspace = path.join(base, 'workspace');
  temp = path.join(base, 'temp');
  await mkdir(path.join(workspace, 'config'), { recursive: true });
  await mkdir(temp);
  await writeFile(path.join(workspace, 'config', 'app.env'), 'A=1\n');
  await writeFile(path.join(base, 'outside.env'), 'B=2\n');
  await symlink(path.join(base, 'outside.env'), path.join(workspace, 'to-outside.env'));
  await symlink(base, path.join(workspace, 'to-base'));
  await symlink('config', path.join(workspace, 'to-config'));
  await symlink('loop', path.join(workspace, 'loop'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const resolve = (given: string, withTemp = false) =>
  resolveInputPath({
    inputName: 'config-file',
    given,
    base: workspace,
    roots: withTemp
      ? [
          { path: workspace, name: 'the workspace' },
          { path: temp, name: "the runner's temp folder" },
        ]
      : [{ path: workspace, name: 'the workspace' }],
  });

describe('resolveInputPath', () => {
  it.each([
    ['config/app.env', 'config/app.env'],
    ['./config/../config/app.env', 'config/app.env'],
    ['to-config/app.env', 'config/app.env'],
    ['config/not-yet/written.env', 'config/not-yet/written.env'],
    ['.', ''],
  ])('accepts %j inside the workspace, as its real path', (given, real) => {
    expect(resolve(given)).toBe(path.join(workspace, real));
  });

  it.each([
    ['../outside.env', ''],
    ['/proc/self/environ', ''],
    ['/etc/passwd', ''],
    ['to-outside.env', 'through a symbolic link'],
    ['to-base/outside.env', 'through a symbolic link'],
    ['to-base/workspace/../outside.env', 'through a symbolic link'],
    ['to-base/temp/x', 'through a symbolic link'],
  ])('refuses %j outside the workspace, naming the input', (given, how) => {
    expect(() => resolve(given)).toThrow(ConfigurationError);
    expect(() => resolve(given)).toThrow(
      new RegExp(
        `^Input 'config-file' is ${JSON.stringify(given).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, which is outside the workspace .*${how}.*Give a path inside the workspace\\.$`,
      ),
    );
  });

  it("accepts the runner's temp folder only where it is allowed", () => {
    expect(() => resolve(path.join(temp, 'a.tar.gz'))).toThrow(/outside the workspace/);
    expect(resolve(path.join(temp, 'a.tar.gz'), true)).toBe(path.join(temp, 'a.tar.gz'));
  });

  it('refuses a link loop and a NUL, naming the input', () => {
    expect(() => resolve('loop/x')).toThrow(/^Input 'config-file': cannot resolve "loop\/x" \(ELOOP\)/);
    expect(() => resolve('a\0b')).toThrow(/^Input 'config-file' contains a NUL character/);
  });

  it('quotes a hostile path escaped, on one line', () => {
    let message = '';
    try {
      resolve('../x\n::error::pwned');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('"../x\\n::error::pwned"');
    expect(message).not.toContain('\n');
  });
});

describe('path helpers', () => {
  it('isInside is lexical', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/b/c')).toBe(true);
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a')).toBe(false);
    expect(isInside('/a/b', '/a/b/../c')).toBe(false);
  });

  it('searchPath stops before the first wildcard segment', () => {
    expect(searchPath('/w/dist/**/*.js')).toBe('/w/dist');
    expect(searchPath('/w/dist/app.js')).toBe('/w/dist/app.js');
    expect(searchPath('/*')).toBe('/');
  });

  it('realPathOf resolves what exists and keeps the rest', () => {
    expect(realPathOf(path.join(workspace, 'to-config', 'new', 'file'))).toBe(
      path.join(workspace, 'config', 'new', 'file'),
    );
  });
});
