// The example app builds reproducibly and serves the GREETING of its
// environment on the PORT of its environment.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { describeTree, removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const run = promisify(execFile);
const appDir = path.resolve(import.meta.dirname, '..', 'examples', 'app');

let dir: string;
beforeAll(async () => {
  dir = await tempDir('brr-example-app-');
});
afterAll(async () => {
  await removeDir(dir);
});

async function start(distDir: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(distDir, 'server.js')], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const match = /listening on (http:\/\/\S+)/.exec(line);
    if (match) return { child, url: match[1]! };
  }
  throw new Error('the app exited before it listened');
}

describe('the example app', () => {
  it('builds the same bytes twice', async () => {
    await run(process.execPath, [path.join(appDir, 'build.js'), path.join(dir, 'a')]);
    await run(process.execPath, [path.join(appDir, 'build.js'), path.join(dir, 'b')]);
    const a = await describeTree(path.join(dir, 'a'));
    expect(a.map((line) => line.split(' ')[0])).toEqual(['build-info.json', 'server.js']);
    expect(await describeTree(path.join(dir, 'b'))).toEqual(a);
  });

  it('answers with the GREETING of its environment on the PORT of its environment', async () => {
    await run(process.execPath, [path.join(appDir, 'build.js'), path.join(dir, 'served')]);
    const { child, url } = await start(path.join(dir, 'served'), { PORT: '0', GREETING: 'Hej from staging' });
    try {
      const response = await fetch(url);
      expect(await response.text()).toBe('Hej from staging\n');
      const health = (await (await fetch(`${url}/health`)).json()) as { build: string };
      expect(health.build).toMatch(/^sha256:[0-9a-f]{64}$/);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
