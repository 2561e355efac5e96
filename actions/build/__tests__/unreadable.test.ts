/**
 * An unreadable file must fail the build with an error naming `path`. Root
 * reads everything, so under root the bundled entry runs as `nobody` via
 * setpriv, from copies in a folder `nobody` can read wherever the checkout is.
 */
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inputEnv } from '@build-release-run/test-helpers/action-env';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const bundle = path.resolve(import.meta.dirname, '../../../dist/build');
let base: string;

beforeEach(async () => {
  base = await tempDir();
  await chmod(base, 0o755);
});
afterEach(async () => {
  await removeDir(base);
});

it('refuses an unreadable file, naming the input, and leaves no archive', async () => {
  const workspace = path.join(base, 'ws');
  const temp = path.join(base, 'temp');
  await mkdir(path.join(workspace, 'dist'), { recursive: true });
  await mkdir(temp);
  await writeFile(path.join(workspace, 'dist', 'ok.txt'), 'ok');
  await writeFile(path.join(workspace, 'dist', 'secret.key'), 'no');
  await chmod(path.join(workspace, 'dist', 'secret.key'), 0o000);
  await chmod(temp, 0o777);
  const outputFile = path.join(temp, 'output');
  await writeFile(outputFile, '');
  await chmod(outputFile, 0o666);

  const tools = path.join(base, 'tools');
  await mkdir(tools);
  await copyFile(process.execPath, path.join(tools, 'node'));
  await chmod(path.join(tools, 'node'), 0o755);
  await copyFile(path.join(bundle, 'index.js'), path.join(tools, 'index.js'));
  await copyFile(path.join(bundle, 'package.json'), path.join(tools, 'package.json'));
  const node = [path.join(tools, 'node'), path.join(tools, 'index.js')];

  const asRoot = process.getuid?.() === 0;
  const [command, ...args] = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node] : node;
  const child = spawnSync(command as string, args, {
    encoding: 'utf8',
    env: {
      PATH: process.env['PATH'],
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: temp,
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_RUN_ID: '7',
      GITHUB_OUTPUT: outputFile,
      ...inputEnv({ path: 'dist', format: 'tar.gz' }),
    },
  });

  expect(child.stdout).toMatch(/::error::Input 'path': cannot read 'secret.key' \(EACCES\)/);
  expect(child.status).toBe(1);
  expect(await readdir(path.join(temp, 'build-release-run'))).toEqual([]);
});
