/**
 * The release action end to end against the local GitHub server (immutable
 * releases on): run() with the env a runner sets, then everything read back
 * through the API as a reviewer or deploy would.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { parseConfigEnv, parseManifest } from '@build-release-run/release-format';
import { TEST_TOKEN, type TestGitHub, startTestGitHub } from '@build-release-run/test-helpers/github-server';
import { conformingIt } from '@build-release-run/test-helpers/conforming';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { releaseEnv, runReleaseInProcess, writeTestArchive } from '@build-release-run/test-helpers/release-action';

let github: TestGitHub;
const it = conformingIt(() => github.server);
let work: string;
let runs = 0;

beforeEach(async () => {
  github = await startTestGitHub({ immutableReleases: true });
  work = await tempDir('brr-release-');
});

afterEach(async () => {
  await github.close();
  await removeDir(work);
});

function octokit() {
  return getOctokit(TEST_TOKEN, { baseUrl: github.server.url });
}

async function release(inputs: Record<string, string>, options: { runId?: string; attempt?: string } = {}) {
  const env = await releaseEnv({
    server: github.server,
    workDir: work,
    commit: github.repo.commits.at(-1) as string,
    runId: options.runId ?? String(1000 + ++runs),
    attempt: options.attempt,
    inputs,
  });
  return runReleaseInProcess(env);
}

/** Downloads every asset of a release into a fresh folder, as a reviewer would. */
async function download(tag: string): Promise<string> {
  const { data } = await octokit().rest.repos.getReleaseByTag({ owner: 'octo', repo: 'app', tag });
  const dir = path.join(work, `download-${tag}`);
  await mkdir(dir);
  for (const asset of data.assets) {
    const response = await octokit().request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
      owner: 'octo',
      repo: 'app',
      asset_id: asset.id,
      headers: { accept: 'application/octet-stream' },
    });
    await writeFile(path.join(dir, asset.name), Buffer.from(response.data as unknown as ArrayBuffer));
  }
  return dir;
}

describe('release action', () => {
  it('publishes a complete, verifiable release', async () => {
    const archive = await writeTestArchive(work);
    const result = await release({
      digest: archive.digest,
      archive: archive.file,
      version: 'increment',
      environment: 'staging',
      config: 'LOG_LEVEL=info\nGREETING="hello\\nworld"\n',
      'secret-keys': 'DB_PASSWORD',
    });
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({ tag: 'v1', version: '1', 'previous-tag': '' });
    expect(result.outputs['release-url']).toMatch(/\/releases\/tag\/v1$/);

    const dir = await download('v1');
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' }).trim().split('\n')).toEqual([
      `${archive.name}: OK`,
      'config.env: OK',
      'release.json: OK',
    ]);
    const manifestText = await readFile(path.join(dir, 'release.json'), 'utf8');
    const manifest = parseManifest(manifestText);
    expect(manifest).toMatchObject({
      tag: 'v1',
      version: '1',
      environment: 'staging',
      build: { digest: archive.digest, archive: archive.name, format: 'tar.gz', commit: github.repo.commits.at(-1) },
      config: { asset: 'config.env', keys: ['GREETING', 'LOG_LEVEL'], secretKeys: ['DB_PASSWORD'] },
      previous: null,
      run: { id: '1001', attempt: '1' },
      actor: 'octocat',
    });
    expect(result.outputs['manifest-digest']).toBe(
      `sha256:${execFileSync('sha256sum', [path.join(dir, 'release.json')], { encoding: 'utf8' }).slice(0, 64)}`,
    );
    expect(parseConfigEnv(await readFile(path.join(dir, 'config.env'), 'utf8'))).toEqual({
      values: { GREETING: 'hello\nworld', LOG_LEVEL: 'info' },
      secretKeys: ['DB_PASSWORD'],
    });
    // The tag was claimed at the built commit, and the release is published.
    const { data: ref } = await octokit().rest.git.getRef({ owner: 'octo', repo: 'app', ref: 'tags/v1' });
    expect(ref.object.sha).toBe(github.repo.commits.at(-1));
    expect(result.summary).toContain('Released [v1]');
  });

  it.each([
    ['increment', ['v1', 'v2', 'v3']],
    ['patch', ['v0.0.1', 'v0.0.2', 'v0.0.3']],
    ['minor', ['v0.1.0', 'v0.2.0', 'v0.3.0']],
    ['major', ['v1.0.0', 'v2.0.0', 'v3.0.0']],
  ])('numbers releases with the %s scheme', async (scheme, tags) => {
    const archive = await writeTestArchive(work);
    const got: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await release({
        digest: archive.digest,
        archive: archive.file,
        version: scheme,
        config: `N=${i}`,
      });
      expect(result.failure).toBeUndefined();
      got.push(result.outputs.tag as string);
    }
    expect(got).toEqual(tags);
  });

  it('takes an explicit version with or without v, and a timestamp', async () => {
    const archive = await writeTestArchive(work);
    const explicit = await release({ digest: archive.digest, archive: archive.file, version: '1.4.2' });
    expect(explicit.outputs).toMatchObject({ tag: 'v1.4.2', version: '1.4.2' });
    const withV = await release({ digest: archive.digest, archive: archive.file, version: 'v2.0.0-rc.1' });
    expect(withV.outputs).toMatchObject({ tag: 'v2.0.0-rc.1', version: '2.0.0-rc.1' });
    const bump = await release({ digest: archive.digest, archive: archive.file, version: 'patch' });
    expect(bump.outputs.tag).toBe('v1.4.3');
    const stamp = await release({ digest: archive.digest, archive: archive.file, version: 'timestamp' });
    expect(stamp.outputs.tag).toMatch(/^v\d{8}\.\d{6}$/);
    const again = await release({ digest: archive.digest, archive: archive.file, version: 'timestamp', config: 'A=1' });
    expect(again.failure).toBeUndefined();
    expect(again.outputs.tag).not.toBe(stamp.outputs.tag);
  });

  it('makes a config-only release that reuses the build, with a config diff in the notes', async () => {
    const archive = await writeTestArchive(work);
    const first = await release({
      digest: archive.digest,
      archive: archive.file,
      environment: 'production',
      config: 'A=1\nB=two\nC=gone',
      'secret-keys': 'TOKEN',
    });
    expect(first.failure).toBeUndefined();
    const second = await release({
      digest: archive.digest,
      archive: archive.file,
      environment: 'production',
      config: 'A=1\nB=three\nD=new',
      'secret-keys': 'TOKEN,API_KEY',
    });
    expect(second.failure).toBeUndefined();
    expect(second.outputs).toMatchObject({ tag: 'v2', 'previous-tag': 'v1' });

    const manifest = parseManifest(await readFile(path.join(await download('v2'), 'release.json'), 'utf8'));
    const firstManifest = parseManifest(await readFile(path.join(await download('v1'), 'release.json'), 'utf8'));
    expect(manifest.build).toEqual(firstManifest.build);
    expect(manifest.previous).toEqual({ tag: 'v1', buildDigest: archive.digest });

    const { data } = await octokit().rest.repos.getReleaseByTag({ owner: 'octo', repo: 'app', tag: 'v2' });
    expect(data.assets.map((a) => a.name).sort()).toEqual(
      [archive.name, 'SHA256SUMS', 'config.env', 'release.json'].sort(),
    );
    const body = data.body ?? '';
    expect(body).toContain('- changed `B`: `two` → `three`');
    expect(body).toContain('- removed `C`');
    expect(body).toContain('- added `D` = `new`');
    expect(body).toContain('- added secret `API_KEY`');
    expect(body).toContain('config-only release');
    expect(body).toContain('sha256sum -c SHA256SUMS');
    expect(body).toContain(archive.digest);
    expect(second.summary).toContain('- changed `B`: `two` → `three`');
  });

  it("reads the previous release's config through its release.json, never from the notes", async () => {
    const archive = await writeTestArchive(work);
    const inputs = { digest: archive.digest, archive: archive.file, environment: 'production' };
    expect((await release({ ...inputs, config: 'A=1\nB=two' })).failure).toBeUndefined();
    const { data: v1 } = await octokit().rest.repos.getReleaseByTag({ owner: 'octo', repo: 'app', tag: 'v1' });
    // The notes carry the marker only: no copy of the config.
    expect(v1.body).not.toContain('B=two');
    expect(v1.body).not.toContain(Buffer.from('A=1\nB=two\n').toString('base64'));
    const reads = (name: string) => {
      const asset = v1.assets.find((a) => a.name === name)!;
      return github.server.requests.filter((entry) => entry.path.endsWith(`/releases/assets/${asset.id}`)).length;
    };

    const second = await release({ ...inputs, config: 'A=1\nB=three' });
    expect(second.summary).toContain('- changed `B`: `two` → `three`');
    expect([reads('release.json'), reads('config.env')]).toEqual([1, 1]);

    // A config.env that release.json does not vouch for is not believed: the diff lists every key as added.
    const { data: v2 } = await octokit().rest.repos.getReleaseByTag({ owner: 'octo', repo: 'app', tag: 'v2' });
    await github.server.corruptAsset(v2.assets.find((a) => a.name === 'config.env')!.id);
    const third = await release({ ...inputs, config: 'A=1\nB=four' });
    expect(third.log).toMatch(
      /Could not read config\.env of v2 \(config\.env: its bytes hash to sha256:[0-9a-f]{64}, but/,
    );
    expect(third.summary).toContain('- added `B` = `four`');
  });

  it('keeps environments apart: the previous release is the same environment', async () => {
    const archive = await writeTestArchive(work);
    await release({ digest: archive.digest, archive: archive.file, environment: 'staging' });
    await release({ digest: archive.digest, archive: archive.file, environment: 'production' });
    const third = await release({
      digest: archive.digest,
      archive: archive.file,
      environment: 'staging',
      config: 'X=1',
    });
    expect(third.outputs).toMatchObject({ tag: 'v3', 'previous-tag': 'v1' });
  });

  it('never sends a request that changes a published release', async () => {
    const archive = await writeTestArchive(work);
    for (let i = 0; i < 3; i++) {
      await release({ digest: archive.digest, archive: archive.file, config: `I=${i}` }, { runId: `50${i}` });
    }
    // Re-running a run that already published reports the same release and changes nothing.
    const again = await release(
      { digest: archive.digest, archive: archive.file, config: 'I=2' },
      { runId: '502', attempt: '2' },
    );
    expect(again.outputs.tag).toBe('v3');
    // generate-notes is a POST that stores nothing (GitHub computes the list and forgets it).
    const writes = github.server.requests.filter(
      (r) => r.method !== 'GET' && r.operationId !== 'repos/generate-release-notes',
    );
    // Each release: one tag, one draft, four uploads, one publish; nothing else.
    expect(writes.map((r) => r.operationId)).toEqual(
      Array(3)
        .fill([
          'git/create-ref',
          'repos/create-release',
          ...Array(4).fill('repos/upload-release-asset'),
          'repos/update-release',
        ])
        .flat(),
    );
  });
});

/**
 * A GitHub API whose answers are not to be trusted (a proxy between the
 * runner and GHES, a compromised server): every release it returns carries
 * a hostile html_url.
 */
async function startRewritingProxy(htmlUrl: string) {
  const proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const headers = Object.fromEntries(
          Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)),
        ) as Record<string, string>;
        const upstream = await fetch(`${github.server.url}${request.url}`, {
          method: request.method,
          headers,
          redirect: 'manual',
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        });
        let body = Buffer.from(await upstream.arrayBuffer());
        const type = upstream.headers.get('content-type') ?? '';
        if (type.includes('json') && body.length > 0) {
          const rewrite = (value: unknown): unknown => {
            if (Array.isArray(value)) return value.map(rewrite);
            if (value && typeof value === 'object' && 'tag_name' in value) return { ...value, html_url: htmlUrl };
            return value;
          };
          body = Buffer.from(JSON.stringify(rewrite(JSON.parse(body.toString('utf8')))));
        }
        const out: Record<string, string> = {};
        upstream.headers.forEach((value, name) => {
          if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name))
            out[name] = value;
        });
        response.writeHead(upstream.status, out).end(body);
      })().catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

describe('an API answer is not trusted', () => {
  it("makes the release URL from the server and tag, never from the answer's html_url", async () => {
    const hostile = 'https://evil.example/x\n::add-mask::Published\n$(touch /tmp/brr-pwned-html-url)';
    const proxy = await startRewritingProxy(hostile);
    try {
      const archive = await writeTestArchive(work);
      const env = await releaseEnv({
        server: github.server,
        workDir: work,
        commit: github.repo.commits.at(-1) as string,
        runId: '4242',
        inputs: { digest: archive.digest, archive: archive.file, version: 'increment' },
      });
      const result = await runReleaseInProcess({ ...env, GITHUB_API_URL: proxy.url });
      expect(result.failure).toBeUndefined();
      expect(result.outputs['release-url']).toBe('https://github.example/octo/app/releases/tag/v1');
      expect(result.log.split('\n').filter((line) => line.startsWith('::add-mask::'))).toEqual([]);
      expect(result.log).not.toContain('evil.example');
      expect(result.summary).not.toContain('evil.example');
    } finally {
      await proxy.close();
    }
  });
});
