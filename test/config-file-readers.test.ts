/**
 * RELEASE_CONFIG_FILE is read by real programs, each with its own rules
 * (docs/security.md, "The config file and its readers"). Every reader the
 * docs name and this machine has is run on a file written by the format's
 * own writer: plain values read as written everywhere; a value the format
 * double-quotes reads decoded in the format's reader and the documented
 * node and python3 lines (taken from the docs, so they cannot drift), and
 * with its quotes in kubectl and docker, as the docs say. docker runs
 * against a stand-in engine on a unix socket that records the container it
 * is asked to create: the CLI parses --env-file before it sends that.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ReleaseConfig, parseConfigEnv, serializeConfigEnv } from '@build-release-run/release-format';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';

const PLAIN: Record<string, string> = {
  GREETING: 'Hello from staging',
  EMPTY: '',
  WITH_EQUALS: 'a=b=c',
  WITH_HASH: 'x # not a comment',
  URL: 'https://app.example:8443/path?q=1&r=2',
};
const QUOTED: Record<string, string> = {
  MULTI_LINE: 'line one\nline two',
  QUOTES: 'say "hi" and \'bye\'',
  DOLLAR: '$HOME and `id`',
  NON_ASCII: 'café ✓',
  BACKSLASH: 'C:\\path',
  PADDED: ' padded ',
};
const config: ReleaseConfig = { values: { ...PLAIN, ...QUOTED }, secretKeys: ['DB_PASSWORD'] };
/** What a reader that takes each line as written (kubectl, docker) gives for each key. */
const asWritten = {
  ...PLAIN,
  ...Object.fromEntries(Object.entries(QUOTED).map(([key, value]) => [key, JSON.stringify(value)])),
};

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await tempDir('brr-config-readers-');
  file = path.join(dir, 'config.env');
  await writeFile(file, serializeConfigEnv(config));
});
afterAll(async () => {
  await removeDir(dir);
});

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** A reader this machine lacks is reported as skipped, never passed. */
const withProgram = (program: string) => (has(program) ? it : it.skip);

/** The sh blocks of docs/security.md's section on the config file, in order. */
async function documentedReaders(): Promise<string[]> {
  const doc = await readFile(path.resolve(import.meta.dirname, '../docs/security.md'), 'utf8');
  const start = doc.indexOf('### The config file and its readers');
  const section = doc.slice(start, doc.indexOf('\n## ', start));
  return [...section.matchAll(/```sh\n(.+?)\n```/gs)].map((match) => match[1] as string);
}

describe('the config file, read by', () => {
  it('the format itself: every value, and secret keys by name only', async () => {
    const text = await readFile(file, 'utf8');
    expect(parseConfigEnv(text)).toEqual(config);
    expect(text).toContain('# secret DB_PASSWORD\n');
    // The common case stays plain, so every reader agrees on it.
    for (const [key, value] of Object.entries(PLAIN)) expect(text).toContain(`\n${key}=${value}\n`);
  });

  it.each([
    ['node', 0],
    ['python3', 1],
  ])('the documented %s line: exactly the released values', async (program, index) => {
    const script = (await documentedReaders())[index] as string;
    expect(script.startsWith(`${program} `)).toBe(true);
    const out = execFileSync('sh', ['-c', script], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'], RELEASE_CONFIG_FILE: file },
    });
    expect(JSON.parse(out)).toEqual(config.values);
  });

  withProgram('kubectl')(
    'kubectl create configmap --from-env-file: plain values as written, quoted ones with their quotes',
    () => {
      const out = execFileSync(
        'kubectl',
        ['create', 'configmap', 'app-config', `--from-env-file=${file}`, '--dry-run=client', '-o', 'json'],
        { encoding: 'utf8' },
      );
      expect((JSON.parse(out) as { data: Record<string, string> }).data).toEqual(asWritten);
    },
  );

  withProgram('docker')(
    'docker --env-file (the CLI, against a stand-in engine): plain values as written, quoted ones with their quotes',
    async () => {
      const socket = path.join(dir, 'docker.sock');
      let created: { Env?: string[] } | undefined;
      const engine = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        request.on('end', () => {
          if (request.url?.endsWith('/_ping')) {
            response.writeHead(200, { 'API-Version': '1.43', 'Content-Type': 'text/plain' });
            response.end('OK');
          } else if (request.method === 'POST' && request.url?.includes('/containers/create')) {
            created = JSON.parse(body) as { Env?: string[] };
            response.writeHead(201, { 'Content-Type': 'application/json' });
            response.end('{"Id":"0123456789ab","Warnings":[]}');
          } else {
            response.writeHead(404, { 'Content-Type': 'application/json' });
            response.end('{"message":"not in this stand-in"}');
          }
        });
      });
      await new Promise<void>((resolve) => engine.listen(socket, resolve));
      try {
        // Spawned, not run synchronously: the stand-in engine answers from this process.
        const result = await new Promise<number | null>((resolve) => {
          const docker = spawn('docker', ['create', '--env-file', file, 'app:latest'], {
            env: { PATH: process.env['PATH'], DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: dir, HOME: dir },
            stdio: 'ignore',
          });
          docker.on('close', resolve);
        });
        expect(result).toBe(0);
      } finally {
        await new Promise((resolve) => engine.close(resolve));
      }
      const env = Object.fromEntries(
        (created?.Env ?? []).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
      );
      expect(env).toEqual(asWritten);
    },
  );
});
