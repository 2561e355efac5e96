/**
 * Replays GitHub traffic recorded in @octokit/fixtures against the server:
 * the same requests must get the same status codes and responses with the
 * same keys. IDs and SHAs differ (the fixtures normalise them), so they are
 * mapped as the replay learns them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startGitHubServer, type GitHubServer } from '../src/index.ts';
import { makeGitRepo, type GitFixtureRepo } from '../../../test/helpers/github-server.ts';

interface RecordedExchange {
  method: string;
  path: string;
  body: unknown;
  status: number;
  response: unknown;
  reqheaders: Record<string, string | number>;
  headers: Record<string, string>;
}

const OWNER = 'octokit-fixture-org';
const TOKEN = '0000000000000000000000000000000000000001';
/**
 * Fields GitHub added after these recordings were made, which its current
 * description lists (asset `digest`, release `immutable`/`updated_at`, the
 * `status` of error bodies, the user's `user_view_type`): present in our
 * answers, absent from the recorded ones.
 */
const FIELDS_ADDED_SINCE_RECORDING = new Set(['digest', 'immutable', 'updated_at', 'status', 'user_view_type']);

async function scenario(name: string): Promise<RecordedExchange[]> {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve('@octokit/fixtures/package.json'));
  const file = path.join(root, 'scenarios', 'api.github.com', name, 'normalized-fixture.json');
  return JSON.parse(await readFile(file, 'utf8')) as RecordedExchange[];
}

/** Differences between the key sets of two JSON values, recursively (first element of arrays). */
function keyDifferences(recorded: unknown, actual: unknown, where = '$'): string[] {
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual)) return [`${where}: expected an array`];
    if (recorded.length !== actual.length)
      return [`${where}: ${recorded.length} items recorded, ${actual.length} answered`];
    return recorded.flatMap((item, i) => keyDifferences(item, actual[i], `${where}[${i}]`));
  }
  if (recorded === null || typeof recorded !== 'object') return [];
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${where}: expected an object`];
  const differences: string[] = [];
  const ours = actual as Record<string, unknown>;
  for (const [key, value] of Object.entries(recorded)) {
    if (!(key in ours)) differences.push(`${where}.${key} missing`);
    else differences.push(...keyDifferences(value, ours[key], `${where}.${key}`));
  }
  for (const key of Object.keys(ours)) {
    if (!(key in recorded) && !FIELDS_ADDED_SINCE_RECORDING.has(key)) differences.push(`${where}.${key} not recorded`);
  }
  return differences;
}

class Replayer {
  readonly server: GitHubServer;
  readonly releaseIds = new Map<number, number>();
  readonly assetIds = new Map<number, number>();
  readonly shas: Map<string, string>;

  constructor(server: GitHubServer, shas: Map<string, string>) {
    this.server = server;
    this.shas = shas;
  }

  /** Learns recorded → actual ids from a pair of answers. */
  learn(recorded: unknown, actual: unknown): void {
    if (Array.isArray(recorded) && Array.isArray(actual)) {
      recorded.forEach((item, i) => this.learn(item, actual[i]));
      return;
    }
    if (recorded === null || typeof recorded !== 'object' || actual === null || typeof actual !== 'object') return;
    const r = recorded as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    if (typeof r.id === 'number' && typeof a.id === 'number') {
      if ('tag_name' in r) this.releaseIds.set(r.id, a.id);
      if ('browser_download_url' in r) this.assetIds.set(r.id, a.id);
    }
    if (Array.isArray(r.assets)) this.learn(r.assets, a.assets);
  }

  rewritePath(recordedPath: string): string {
    return recordedPath
      .replace(
        /\/releases\/assets\/(\d+)/,
        (_, id: string) => `/releases/assets/${this.assetIds.get(Number(id)) ?? id}`,
      )
      .replace(/\/releases\/(\d+)/, (_, id: string) => `/releases/${this.releaseIds.get(Number(id)) ?? id}`);
  }

  rewriteBody(body: unknown): unknown {
    if (typeof body === 'string') return body;
    return JSON.parse(JSON.stringify(body), (_key, value: unknown) =>
      typeof value === 'string' && this.shas.has(value) ? this.shas.get(value) : value,
    ) as unknown;
  }

  async replay(exchange: RecordedExchange): Promise<{ status: number; body: unknown; headers: Headers }> {
    const host = String(exchange.reqheaders.host);
    const base = host === 'uploads.github.com' ? this.server.uploadsUrl : this.server.url;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(exchange.reqheaders)) {
      if (key !== 'host' && key !== 'content-length') headers[key] = String(value);
    }
    const hasBody = exchange.body !== '' && exchange.body !== undefined;
    const body = hasBody
      ? typeof exchange.body === 'string'
        ? exchange.body
        : JSON.stringify(this.rewriteBody(exchange.body))
      : undefined;
    const response = await fetch(`${base}${this.rewritePath(exchange.path)}`, {
      method: exchange.method.toUpperCase(),
      headers,
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? '' : (JSON.parse(text) as unknown),
      headers: response.headers,
    };
  }
}

let server: GitHubServer;
let repos: Record<string, GitFixtureRepo>;

beforeAll(async () => {
  repos = {};
  for (const name of ['git-refs', 'release-assets', 'release-assets-conflict', 'errors'])
    repos[name] = await makeGitRepo(2);
  server = await startGitHubServer({
    repos: Object.fromEntries(Object.entries(repos).map(([name, repo]) => [`${OWNER}/${name}`, repo.path])),
    token: TOKEN,
    validateResponses: true,
  });
});

afterAll(async () => {
  await server.close();
  for (const repo of Object.values(repos)) await repo.remove();
});

async function api(method: string, apiPath: string, body?: unknown, base = server.url): Promise<unknown> {
  const response = await fetch(`${base}${apiPath}`, {
    method,
    headers: {
      authorization: `token ${TOKEN}`,
      'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${apiPath}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** The state each recording started from, made through the API. */
const SETUP: Record<string, (shas: Map<string, string>) => Promise<void>> = {
  'git-refs': async () => undefined,
  errors: async () => undefined,
  'release-assets': async () => {
    await api('POST', `/repos/${OWNER}/release-assets/releases`, {
      tag_name: 'v1.0.0',
      name: 'v1.0.0',
      body: 'Initial release',
    });
  },
  'release-assets-conflict': async () => {
    await api('POST', `/repos/${OWNER}/release-assets-conflict/releases`, { tag_name: 'v1.0.0' });
  },
};

/** Unrecorded requests the recordings made between recorded ones, by index of the next recorded one. */
const BETWEEN: Record<string, Record<number, (replayer: Replayer) => Promise<void>>> = {
  'release-assets-conflict': {
    // The first upload was made but left out of the recording, to record the conflict.
    1: async (replayer) => {
      const releaseId = [...replayer.releaseIds.values()][0] as number;
      await api(
        'POST',
        `/repos/${OWNER}/release-assets-conflict/releases/${releaseId}/assets?name=test-upload.txt&label=test`,
        'Hello, world!\n',
        server.uploadsUrl,
      );
    },
  },
};

describe.each(['git-refs', 'release-assets', 'release-assets-conflict', 'errors'])(
  '@octokit/fixtures scenario %s',
  (name) => {
    it('gets the recorded status codes and response keys', async () => {
      const repo = repos[name] as GitFixtureRepo;
      // Normalised SHAs are numbered in order of appearance: ...01 is main's head
      // (listed first), ...02 the older commit the recording branched from.
      const shas = new Map([
        ['0000000000000000000000000000000000000001', repo.commits[1] as string],
        ['0000000000000000000000000000000000000002', repo.commits[0] as string],
      ]);
      await SETUP[name]?.(shas);
      const replayer = new Replayer(server, shas);
      const recorded = await scenario(name);
      expect(recorded.length).toBeGreaterThan(0);
      for (const [index, exchange] of recorded.entries()) {
        await BETWEEN[name]?.[index]?.(replayer);
        const label = `${exchange.method.toUpperCase()} ${exchange.path}`;
        const actual = await replayer.replay(exchange);
        expect({ label, status: actual.status }).toEqual({ label, status: exchange.status });
        expect({ label, differences: keyDifferences(exchange.response, actual.body) }).toEqual({
          label,
          differences: [],
        });
        for (const header of Object.keys(exchange.headers).filter((h) => h.startsWith('x-ratelimit-'))) {
          expect({ label, header, present: actual.headers.has(header) }).toEqual({ label, header, present: true });
        }
        replayer.learn(exchange.response, actual.body);
      }
      expect(server.responseViolations).toEqual([]);
    });
  },
);
