/**
 * Replays GitHub traffic recorded in @octokit/fixtures against the server:
 * the same requests must get the same status codes, responses with the same
 * keys and values, and the same headers. IDs and SHAs differ (the fixtures
 * normalise them), so they are mapped as the replay learns them; the values
 * that differ for reasons other than behaviour are listed with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startGitHubServer, type GitHubServer } from '../src/index.ts';
import { makeGitRepo, type GitFixtureRepo } from '@build-release-run/test-helpers/github-server';

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

/**
 * Fields whose recorded value says nothing about behaviour, so only their
 * presence and shape are compared.
 */
const VALUES_NOT_COMPARED: Record<string, string> = {
  node_id: 'opaque global ids, and the fixtures normalise them all to one value',
  author: 'the fixture user made the recording; this server has one identity (github-actions[bot])',
  uploader: 'the fixture user made the recording; this server has one identity (github-actions[bot])',
  download_count: 'the fixtures normalise it (42)',
  request_id: 'the fixtures normalise it; ours is random',
  documentation_url: "GitHub's documentation moved since the recording; ours come from the current description",
};

/** Headers compared by value where the recording has them (others: presence of x-ratelimit-*, content-length). */
const HEADERS_COMPARED = [
  'content-type',
  'location',
  'link',
  'x-github-media-type',
  'x-ratelimit-limit',
  'x-ratelimit-resource',
];

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Differences between two JSON values, recursively: keys, and values once normalised. */
function differences(
  recorded: unknown,
  actual: unknown,
  normalise: { recorded(value: string): string; actual(value: string): string },
  where = '$',
): string[] {
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual)) return [`${where}: expected an array`];
    if (recorded.length !== actual.length)
      return [`${where}: ${recorded.length} items recorded, ${actual.length} answered`];
    return recorded.flatMap((item, i) => differences(item, actual[i], normalise, `${where}[${i}]`));
  }
  if (recorded === null || typeof recorded !== 'object') {
    const expected = typeof recorded === 'string' ? normalise.recorded(recorded) : recorded;
    const got = typeof actual === 'string' ? normalise.actual(actual) : actual;
    return Object.is(expected, got)
      ? []
      : [`${where}: ${JSON.stringify(expected)} recorded, ${JSON.stringify(got)} answered`];
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${where}: expected an object`];
  const found: string[] = [];
  const ours = actual as Record<string, unknown>;
  for (const [key, value] of Object.entries(recorded)) {
    if (!(key in ours)) found.push(`${where}.${key} missing`);
    else if (key in VALUES_NOT_COMPARED) found.push(...keysOnly(value, ours[key], `${where}.${key}`));
    else found.push(...differences(value, ours[key], normalise, `${where}.${key}`));
  }
  for (const key of Object.keys(ours)) {
    if (!(key in recorded) && !FIELDS_ADDED_SINCE_RECORDING.has(key)) found.push(`${where}.${key} not recorded`);
  }
  return found;
}

function keysOnly(recorded: unknown, actual: unknown, where: string): string[] {
  if (recorded === null || typeof recorded !== 'object')
    return typeof recorded === typeof actual ? [] : [`${where}: type`];
  if (actual === null || typeof actual !== 'object') return [`${where}: expected an object`];
  const missing = Object.keys(recorded).filter((k) => !(k in actual) && !FIELDS_ADDED_SINCE_RECORDING.has(k));
  const extra = Object.keys(actual).filter((k) => !(k in recorded) && !FIELDS_ADDED_SINCE_RECORDING.has(k));
  return [...missing.map((k) => `${where}.${k} missing`), ...extra.map((k) => `${where}.${k} not recorded`)];
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
    // Recorded ids are rewritten to ours wherever they appear, so an id field compares as the ids learned.
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

  /** A recorded string as this server would say it: its SHAs, ids and hosts, timestamps as a pattern. */
  normaliseRecorded(value: string): string {
    if (TIMESTAMP.test(value)) return '<timestamp>';
    let text = value;
    for (const [recorded, actual] of this.shas) text = text.replaceAll(recorded, actual);
    text = this.rewritePath(text);
    // One host here serves what GitHub splits over api., uploads. and the web host.
    return text
      .replace(/^https:\/\/uploads\.github\.com/, '<uploads>')
      .replace(/^https:\/\/(api\.)?github\.com/, '<api>');
  }

  normaliseActual(value: string): string {
    if (TIMESTAMP.test(value)) return '<timestamp>';
    if (value.startsWith(this.server.uploadsUrl)) return `<uploads>${value.slice(this.server.uploadsUrl.length)}`;
    if (value.startsWith(this.server.url)) return `<api>${value.slice(this.server.url.length)}`;
    return value;
  }

  rewritePath(recordedPath: string): string {
    return recordedPath
      .replace(
        /\/releases\/assets\/(\d+)/,
        (_, id: string) => `/releases/assets/${this.assetIds.get(Number(id)) ?? id}`,
      )
      .replace(/\/releases\/(\d+)/, (_, id: string) => `/releases/${this.releaseIds.get(Number(id)) ?? id}`);
  }

  /** A recorded answer with its release and asset ids rewritten to the ones learned. */
  rewriteIds(recorded: unknown): unknown {
    if (Array.isArray(recorded)) return recorded.map((item) => this.rewriteIds(item));
    if (recorded === null || typeof recorded !== 'object') return recorded;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(recorded)) copy[key] = this.rewriteIds(value);
    if (typeof copy.id === 'number') {
      if ('tag_name' in copy) copy.id = this.releaseIds.get(copy.id) ?? copy.id;
      else if ('browser_download_url' in copy) copy.id = this.assetIds.get(copy.id) ?? copy.id;
    }
    return copy;
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

/**
 * The release a recording started from (its first answer), made through the
 * API: same tag, title and notes, at our commit standing for the recorded one.
 */
async function releaseAsRecorded(name: string, repo: GitFixtureRepo, shas: Map<string, string>): Promise<void> {
  const [first] = await scenario(name);
  const recorded = first!.response as { tag_name: string; name: string; body: string; target_commitish: string };
  const commit = repo.commits.at(-1)!;
  shas.set(recorded.target_commitish, commit);
  await api('POST', `/repos/${OWNER}/${name}/releases`, {
    tag_name: recorded.tag_name,
    name: recorded.name,
    body: recorded.body,
    target_commitish: commit,
  });
}

/** The state each recording started from. */
const SETUP: Record<string, (repo: GitFixtureRepo, shas: Map<string, string>) => Promise<void>> = {
  'release-assets': (repo, shas) => releaseAsRecorded('release-assets', repo, shas),
  'release-assets-conflict': (repo, shas) => releaseAsRecorded('release-assets-conflict', repo, shas),
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
    it('gets the recorded status codes, response keys and values, and headers', async () => {
      const repo = repos[name] as GitFixtureRepo;
      // Normalised SHAs are numbered in order of appearance: ...01 is main's head
      // (listed first), ...02 the older commit the recording branched from.
      const shas = new Map([
        ['0000000000000000000000000000000000000001', repo.commits[1] as string],
        ['0000000000000000000000000000000000000002', repo.commits[0] as string],
      ]);
      await SETUP[name]?.(repo, shas);
      const replayer = new Replayer(server, shas);
      const recorded = await scenario(name);
      expect(recorded.length).toBeGreaterThan(0);
      for (const [index, exchange] of recorded.entries()) {
        await BETWEEN[name]?.[index]?.(replayer);
        const label = `${exchange.method.toUpperCase()} ${exchange.path}`;
        const actual = await replayer.replay(exchange);
        expect({ label, status: actual.status }).toEqual({ label, status: exchange.status });
        replayer.learn(exchange.response, actual.body);
        const normalise = {
          recorded: (value: string) => replayer.normaliseRecorded(value),
          actual: (value: string) => replayer.normaliseActual(value),
        };
        expect({
          label,
          differences: differences(replayer.rewriteIds(exchange.response), actual.body, normalise),
        }).toEqual({
          label,
          differences: [],
        });
        for (const header of Object.keys(exchange.headers).filter((h) => h.startsWith('x-ratelimit-'))) {
          expect({ label, header, present: actual.headers.has(header) }).toEqual({ label, header, present: true });
        }
        for (const header of HEADERS_COMPARED) {
          const recordedValue = exchange.headers[header];
          const expected = recordedValue === undefined ? null : replayer.normaliseRecorded(String(recordedValue));
          const got = actual.headers.get(header);
          expect({ label, header, value: got === null ? null : replayer.normaliseActual(got) }).toEqual({
            label,
            header,
            value: expected,
          });
        }
        expect({ label, contentLength: actual.headers.has('content-length') }).toEqual({
          label,
          contentLength: 'content-length' in exchange.headers,
        });
      }
      expect(server.responseViolations).toEqual([]);
    });
  },
);
