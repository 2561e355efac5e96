/** brr against the local server: each subcommand, its output and its exit status. */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { main } from '../src/main.ts';
import { HOSTILE, type Fixture, startFixture } from './fixture.ts';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await startFixture();
}, 60_000);
afterAll(() => fixture.close());

async function brr(args: string[], env: NodeJS.ProcessEnv = fixture.env) {
  let out = '';
  let err = '';
  const code = await main(args, { env, out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

// ESC, BEL, C1 CSI: none may reach a terminal from release text.
// eslint-disable-next-line no-control-regex -- what must not be printed
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('brr ledger', () => {
  it('--json: what is live in each environment, the rollback and the failure', async () => {
    const { code, out, err } = await brr(['ledger', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const ledger = JSON.parse(out);
    expect(ledger.repository).toBe('octo/app');
    const staging = ledger.environments.find((e: { name: string }) => e.name === 'staging');
    expect(staging.live).toMatchObject({ tag: 'v1', environmentUrl: 'https://staging.example.com' });
    expect(
      staging.events.map((e: { tag: string; kind: string; replaced?: string }) => [e.tag, e.kind, e.replaced ?? null]),
    ).toEqual([
      ['v1', 'deploy', null],
      ['v2', 'deploy', 'v1'],
      ['v1', 'rollback', 'v2'],
    ]);
    expect(staging.releases).toEqual(['v1', 'v2']);
    const production = ledger.environments.find((e: { name: string }) => e.name === 'production');
    expect(production.live).toBeUndefined();
    expect(production.events).toMatchObject([{ tag: 'v3', state: 'failure', succeeded: false, description: HOSTILE }]);
    expect(ledger.releases.map((r: { tag: string; buildDigest: string }) => [r.tag, r.buildDigest])).toEqual([
      ['v1', fixture.releases.v1!.manifest.build.digest],
      ['v2', fixture.releases.v1!.manifest.build.digest],
      ['v3', fixture.releases.v3!.manifest.build.digest],
    ]);
    expect(out).not.toMatch(/[\u007f-\u009f]/);
  });

  it('--environment keeps one environment', async () => {
    const { code, out } = await brr(['ledger', '--json', '--environment', 'production']);
    expect(code).toBe(0);
    expect(JSON.parse(out).environments.map((e: { name: string }) => e.name)).toEqual(['production']);
  });

  it('--environment with no such environment says so and lists no release of another', async () => {
    const { code, out } = await brr(['ledger', '--environment', 'prod']);
    expect(code).toBe(0);
    expect(out).toBe(
      "Ledger of octo/app\n\nNo releases or deployments for environment 'prod'. Environments found: production, staging.\n",
    );
  });

  it("--environment as text lists that environment's releases only", async () => {
    const { code, out } = await brr(['ledger', '--environment', 'production']);
    expect(code).toBe(0);
    expect(out).toMatch(/\nReleases:\n {2}v3 {2}production {2}build /);
    expect(out).not.toMatch(/\bv[12]\b/);
  });

  it('as text: live tags, the rollback, and release text without control characters', async () => {
    const { code, out } = await brr(['ledger']);
    expect(code).toBe(0);
    expect(out).toMatch(/staging\n {2}live: v1 \(deployment \d+/);
    expect(out).toMatch(/rollback to v1 \(from v2\)/);
    expect(out).toMatch(/production\n {2}live: nothing/);
    expect(out).toContain('boom \\u{1b}]0;owned\\u{7}');
    expect(out).not.toMatch(CONTROL);
  });
});

describe('brr verify', () => {
  it('exits 0 on a good release and says what it checked', async () => {
    const { code, out, err } = await brr(['verify', 'v1']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^v1: verified, nothing run\./);
    expect(out).toContain(fixture.releases.v1!.manifest.build.digest);
    expect(out).toMatch(/unpacked {5}2 file\(s\)/);
  });

  it('exits 1 naming the asset whose bytes were swapped', async () => {
    const release = fixture.releases.v3!.release;
    const archive = release.assets.find((asset) => asset.name === fixture.releases.v3!.manifest.build.archive)!;
    await fixture.github.server.corruptAsset(archive.id);
    const { code, out, err } = await brr(['verify', 'v3']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain(`brr verify: ${archive.name}: its bytes hash to`);
  });

  it('exits 1 for a tag that is not a release', async () => {
    const { code, err } = await brr(['verify', 'v9']);
    expect(code).toBe(1);
    expect(err).toMatch(/^brr verify: The tag is 'v9', but the repository has no release or tag of that name/);
  });
});

describe('brr diff', () => {
  it('lists config keys added, removed and changed, secrets by name only, and the same build', async () => {
    const { code, out } = await brr(['diff', 'v1', 'v2']);
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      expect.stringMatching(/^v1 \(staging, commit [0-9a-f]{7}\) → v2 \(staging, commit [0-9a-f]{7}\)$/),
      `build: same (${fixture.releases.v1!.manifest.build.digest})`,
      'config:',
      '  + API_KEY (secret)',
      '  - DB_PASSWORD (secret)',
      '  ~ GREETING: hello → hello again',
      '  + NEW=y',
      '  - OLD',
      '',
    ]);
  });

  it('--json says a different build', async () => {
    const { code, out } = await brr(['diff', 'v1', 'v3', '--json']);
    expect(code).toBe(0);
    const diff = JSON.parse(out);
    expect(diff.sameBuild).toBe(false);
    expect(diff.from.buildDigest).not.toBe(diff.to.buildDigest);
  });
});

describe('usage', () => {
  it.each([
    [[], /no command given/],
    [['deploy'], /unknown command 'deploy'/],
    [['verify'], /'verify' takes one TAG, got 0/],
    [['diff', 'v1'], /'diff' takes two tags/],
    [['verify', 'v1', '--json'], /'verify' takes no --json/],
    [['ledger', '--bogus'], /Unknown option '--bogus'/],
    [['ledger', '--repo', 'not a repo'], /--repo must be OWNER\/REPO/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const { code, out, err } = await brr(args as string[]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err).toMatch(/Run 'brr --help' for usage/);
  });

  it('without a token it says which variables to set (exit 2)', async () => {
    const { code, err } = await brr(['ledger'], {
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_API_URL: fixture.env.GITHUB_API_URL,
    });
    expect(code).toBe(2);
    expect(err).toMatch(/set GITHUB_TOKEN or GH_TOKEN/);
  });

  it('GH_TOKEN and --repo work as well', async () => {
    const { code } = await brr(['ledger', '--json', '--repo', 'octo/app'], {
      GH_TOKEN: fixture.env.GITHUB_TOKEN,
      GITHUB_API_URL: fixture.env.GITHUB_API_URL,
    });
    expect(code).toBe(0);
  });

  it('an API failure says the path, the status and the hint (exit 1)', async () => {
    const { code, err } = await brr(['ledger', '--repo', 'octo/missing']);
    expect(code).toBe(1);
    expect(err).toMatch(
      /GET \/repos\/octo\/missing\/releases\?per_page=100&page=1 failed with 404.*Hint: check the repository name/,
    );
  });

  it.each([[['--version']], [['-V']], [['ledger', '--version']]])(
    '%j prints the version on stdout (exit 0)',
    async (args) => {
      const { version } = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../package.json'), 'utf8'));
      const { code, out, err } = await brr(args);
      expect([code, out, err]).toEqual([0, `${version}\n`, '']);
    },
  );

  it('--help prints the usage on stdout (exit 0)', async () => {
    const { code, out } = await brr(['--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: brr <command>/);
    expect(out).toMatch(/Exit status:\n {2}0 {2}success.*\n {2}1 {2}failure.*\n {2}2 {2}usage error/s);
    expect(out).toMatch(/-V, --version/);
  });
});

describe('the brr executable', () => {
  // Spawned asynchronously: the local server answers from this process.
  function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const bin = path.resolve(import.meta.dirname, '../src/bin.ts');
    const child = spawn(process.execPath, [bin, ...args], { env: { ...fixture.env, PATH: process.env.PATH } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  }

  it('runs as `pnpm brr` does, with the exit status of main', async () => {
    const good = await run(['verify', 'v1']);
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    expect(good.stdout).toMatch(/^v1: verified/);
    const usage = await run(['frobnicate']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^brr: unknown command 'frobnicate'/);
  });
});
