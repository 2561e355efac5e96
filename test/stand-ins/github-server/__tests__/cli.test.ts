import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '@build-release-run/contract';
import { parseCliArguments } from '../src/cli.ts';
import { makeGitRepo } from '@build-release-run/test-helpers/github-server';

describe('github-server command line', () => {
  it('reads the fixed flags', () => {
    expect(
      parseCliArguments([
        '--port',
        '0',
        '--repo',
        'o/r=/tmp/x',
        '--token',
        't',
        '--immutable-releases',
        '--data',
        '/tmp/d',
        '--private',
        'o/r',
      ]),
    ).toEqual({
      port: 0,
      repos: { 'o/r': '/tmp/x' },
      token: ['t'],
      readOnlyTokens: [],
      visibility: { 'o/r': 'private' },
      immutableReleases: true,
      dataDir: '/tmp/d',
      validateResponses: false,
    });
  });

  it.each([
    [['--repo', 'bad', '--token', 't'], '--repo must be OWNER/NAME=PATH'],
    [['--repo', 'o/r=/x'], '--token TOKEN is required'],
    [['--token', 't'], '--repo OWNER/NAME=PATH is required'],
    [
      ['--port', 'http', '--repo', 'o/r=/x', '--token', 't'],
      "--port must be a port number or 0 for any free port; got 'http'",
    ],
    [['--repo', 'o/r=/x', '--token', 't', '--private', 'o/other'], '--private o/other: not a --repo of this server'],
  ])('refuses %j with a message naming the flag', (args, message) => {
    expect(() => parseCliArguments(args)).toThrow(ConfigurationError);
    expect(() => parseCliArguments(args)).toThrow(message);
  });

  it('refuses a --repo path that is not a git repository, naming it', async () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const notRepo = await mkdtemp(path.join(tmpdir(), 'brr-not-git-'));
    const child = spawn(process.execPath, [cli, '--repo', `o/r=${notRepo}`, '--token', 't'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    await rm(notRepo, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(stderr).toContain(`${notRepo} is not a git repository`);
  });

  it('prints the API base URL on its first line and serves until stopped', async () => {
    const repo = await makeGitRepo(1);
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawn(process.execPath, [cli, '--port', '0', '--repo', `o/r=${repo.path}`, '--token', 't'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await new Promise<string>((resolve) => lines.once('line', resolve));
      expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${first}/repos/o/r/releases`, { headers: { authorization: 'token t' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([]);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await repo.remove();
    }
  });
});
