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
    expect(out).toMatch(/\nReleases \(.*\):\n {2}v3 {2}production {2}build /);
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
    expect(out).toMatch(
      /provenance {3}release\.json signed by https:\/\/github\.com\/octo\/app\/\.github\/workflows\/build-release\.yml@refs\/heads\/main/,
    );
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

/**
 * Issue 22 point 6: `brr verify v7 && echo "v7 is what was built"` (the
 * README) must be true. brr verify exits 1, naming the failed claim, for
 * every release deploy refuses, with the policy as flags of deploy's names.
 */
/** A release published while the repository's release immutability was off. */
async function publishMutable(tag: string): Promise<void> {
  fixture.github.server.setImmutableReleases('octo/app', false);
  try {
    await fixture.publish({ tag, files: { 'app.txt': `${tag}\n` } });
  } finally {
    fixture.github.server.setImmutableReleases('octo/app', true);
  }
}

describe('brr verify refuses what deploy refuses', () => {
  const files = (tag: string) => ({ 'app.txt': `${tag}\n` });

  it.each<[string, (tag: string) => Promise<void>, string[], RegExp]>([
    [
      'a mutable release',
      publishMutable,
      [],
      /^brr verify: Release v\d+ is not immutable: .*or set '--allow-mutable-release true' to accept mutable releases\.\n$/,
    ],
    [
      'an unattested release (made with a contents: write token)',
      async (tag) => {
        await fixture.publish({ tag, files: files(tag) }, false);
      },
      [],
      /^brr verify: No attestation of release\.json of v\d+ \(sha256:[0-9a-f]{64}\) in octo\/app: nothing proves a workflow of this repository made it\..*--verify-provenance false/,
    ],
    [
      'a release whose tag was moved',
      async (tag) => {
        await publishMutable(tag);
        await fixture.api.client.call('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
          ref: `tags/${tag}`,
          sha: fixture.github.repo.commits[1],
          force: true,
        });
      },
      ['--allow-mutable-release', 'true'],
      /^brr verify: v\d+: the tag points at commit [0-9a-f]{40}, but its release\.json says build\.commit [0-9a-f]{40}\. The tag was moved/,
    ],
    [
      'a build signed by a workflow --build-signer does not name',
      async (tag) => {
        await fixture.publish({ tag, files: files(tag) }, { build: { workflowFile: '.github/workflows/promote.yml' } });
      },
      ['--build-signer', 'build-release.yml', '--release-signer', 'build-release.yml, promote.yml'],
      /^brr verify: The attestation of the build of v\d+ \(sha256:[0-9a-f]{64}\) is refused: the signer workflow \(certificate SAN\) is https:\/\/github\.com\/octo\/app\/\.github\/workflows\/promote\.yml@refs\/heads\/main, the policy expects https:\/\/github\.com\/octo\/app\/\.github\/workflows\/build-release\.yml@refs\/heads\/main\. Set the option --build-signer if this signer is expected\./,
    ],
    [
      'a build signed by the workflow file of another branch, in a run of main',
      async (tag) => {
        const evil = 'octo/app/.github/workflows/build-release.yml@refs/heads/evil';
        await fixture.publish({ tag, files: files(tag) }, { build: { jobWorkflow: evil } });
      },
      ['--build-signer', 'build-release.yml'],
      /is refused: the signer workflow \(certificate SAN\) is https:\/\/github\.com\/octo\/app\/\.github\/workflows\/build-release\.yml@refs\/heads\/evil, the policy expects .*build-release\.yml@refs\/heads\/main\./,
    ],
  ])('exits 1 for %s, naming the claim', async (_name, make, flags, message) => {
    const tag = `v${400 + Math.floor(Math.random() * 1e5)}`;
    await make(tag);
    const { code, out, err } = await brr(['verify', tag, ...flags]);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(code).toBe(1);
  });

  it('exits 0 only for a release deploy would run, saying who signed what', async () => {
    const tag = 'v300';
    await fixture.publish({ tag, files: files(tag) });
    const { code, out, err } = await brr(['verify', tag, '--build-signer', 'build-release.yml']);
    expect([code, err]).toEqual([0, '']);
    const signer = 'https://github.com/octo/app/.github/workflows/build-release.yml@refs/heads/main';
    expect(out).toContain(
      `  provenance   release.json signed by ${signer} (--release-signer not given: any workflow of the repository on refs/heads/main)\n`,
    );
    expect(out).toContain(`               build signed by ${signer}\n`);
    expect(out).toContain('  immutable    yes\n');
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

  it('GH_TOKEN, --repo and --source-ref work as well (brr outside a workflow)', async () => {
    const { code } = await brr(['ledger', '--json', '--repo', 'octo/app', '--source-ref', 'main'], {
      GH_TOKEN: fixture.env.GITHUB_TOKEN,
      GITHUB_API_URL: fixture.env.GITHUB_API_URL,
      BRR_SIGSTORE_TRUSTED_ROOT: fixture.env.BRR_SIGSTORE_TRUSTED_ROOT,
    });
    expect(code).toBe(0);
  });

  it('outside a workflow, verifying provenance needs --source-ref (exit 1, naming the flag)', async () => {
    const { code, err } = await brr(['verify', 'v1'], {
      GITHUB_TOKEN: fixture.env.GITHUB_TOKEN,
      GITHUB_API_URL: fixture.env.GITHUB_API_URL,
      GITHUB_REPOSITORY: 'octo/app',
    });
    expect(code).toBe(1);
    expect(err).toMatch(
      /^brr verify: Option --source-ref is empty and the event payload names no default branch: set --source-ref/,
    );
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

/** Issue 22 point 6: the ledger shows a forged release as one, and links nowhere a release names. */
describe('brr ledger marks each release as deploy would judge it', () => {
  beforeAll(async () => {
    await fixture.publish({ tag: 'v500', files: { 'app.txt': 'forged\n' } }, false);
    await publishMutable('v501');
    await fixture.publish(
      { tag: 'v502', files: { 'app.txt': 'promoted build\n' } },
      { build: { workflowFile: '.github/workflows/promote.yml' } },
    );
  }, 60_000);

  const policy = ['--build-signer', 'build-release.yml', '--release-signer', 'build-release.yml,promote.yml'];

  it('verified, unattested or refused, and why (JSON and text)', async () => {
    const json = await brr(['ledger', '--json', ...policy]);
    expect(json.code).toBe(0);
    const releases = (JSON.parse(json.out) as { releases: { tag: string; standing: string; why?: string }[] }).releases;
    const standing = (tag: string) => releases.find((release) => release.tag === tag);
    expect(['v1', 'v2', 'v3'].map((tag) => standing(tag)?.standing)).toEqual(['verified', 'verified', 'verified']);
    expect(standing('v500')).toMatchObject({
      standing: 'unattested',
      why: expect.stringMatching(/^No attestation of release\.json of v500/),
    });
    expect(standing('v501')).toMatchObject({
      standing: 'refused',
      why: expect.stringMatching(/^Release v501 is not immutable/),
    });
    expect(standing('v502')).toMatchObject({
      standing: 'refused',
      why: expect.stringMatching(
        /^The attestation of the build of v502 .* is refused: the signer workflow \(certificate SAN\) is .*promote\.yml/,
      ),
    });

    const text = await brr(['ledger', ...policy]);
    expect(text.out).toMatch(/\n {2}v1 {2}staging {2}build [0-9a-f]{12} {2}commit [0-9a-f]{7} {2}\S+ {2}verified\n/);
    expect(text.out).toMatch(/\n {2}v500 {2}production .* {2}unattested: No attestation of release\.json of v500/);
    // Refused before its release.json is read: no environment or build to show.
    expect(text.out).toMatch(
      /\n {2}v501 {2}\? {2}build - {2}commit - .* {2}refused: Release v501 is not immutable.* or set '--allow-mutable-release true'/,
    );
  });

  it('the page links only to release pages of this repository on this server', async () => {
    const page = path.join(fixture.work, 'ledger-links.html');
    const { code } = await brr(['ledger', '--html', page, '--server', 'https://github.example', ...policy]);
    expect(code).toBe(0);
    const html = await readFile(page, 'utf8');
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
    expect(hrefs.length).toBeGreaterThan(3);
    for (const href of hrefs) expect(href).toMatch(/^https:\/\/github\.example\/octo\/app\/releases\/tag\/v\d+$/);
    // The environment URL a deployment status names is shown, as text.
    expect(html).toContain('https://staging.example.com');
    expect(html).toMatch(/<span class="standing unattested">unattested<\/span>/);
  });
});
