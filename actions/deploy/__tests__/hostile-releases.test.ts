/**
 * Releases made by hand through the API by someone who can write releases,
 * as an attacker would: each is refused before a deployment is created,
 * with an error naming the field, and the planted secret shows nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SECRET_VALUE, type DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import type { ActionRun } from '@build-release-run/test-helpers/action-env';
import { parseMarker } from '@build-release-run/release-format';
import { gatewayFor, startHarness } from './helpers.ts';

let h: DeployHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const files = { 'app.txt': 'app\n' };
const HOSTILE_TAG = 'v9$(echo${IFS}INJECTED>&2)';
const deploymentsCreated = () => h.gh.server.requests.filter((r) => r.operationId === 'repos/create-deployment').length;

/** Nothing of the planted secret anywhere the action writes. */
function expectNoSecret(result: ActionRun): void {
  const stdout = result.stdout.replace(`::add-mask::${SECRET_VALUE}`, '');
  for (const text of [stdout, result.summary, JSON.stringify(result.outputs), result.error ?? '']) {
    expect(text).not.toContain(SECRET_VALUE);
  }
}

/** Deploys and expects a refusal before any deployment exists, nothing run, no output. */
async function expectRefused(inputs: Record<string, string>, message: RegExp): Promise<ActionRun> {
  const before = deploymentsCreated();
  const result = await h.deploy(inputs);
  expect(result.failed).toBe(true);
  expect(result.error).toMatch(message);
  expect(deploymentsCreated()).toBe(before);
  expect(result.outputs).toEqual({});
  expect(await h.ran()).toEqual([]);
  expectNoSecret(result);
  return result;
}

describe('anchors outside the release', () => {
  it('refuses a release GitHub does not mark immutable, and says how to fix it', async () => {
    h.gh.server.setImmutableReleases('octo/app', false);
    try {
      await h.publish({ tag: 'v70', files, secretKeys: ['DB_PASSWORD'] });
    } finally {
      h.gh.server.setImmutableReleases('octo/app', true);
    }
    await expectRefused(
      { tag: 'v70' },
      /Release v70 is not immutable.*Enable release immutability.*'allow-mutable-release: true'/,
    );
    const allowed = await h.deploy({ tag: 'v70', 'allow-mutable-release': 'true' });
    expect(allowed.error).toBeUndefined();
    expect(allowed.outputs['tag']).toBe('v70');
    expectNoSecret(allowed);
    await h.resetMarkers();
  });

  it('refuses a release whose tag was moved to another commit', async () => {
    h.gh.server.setImmutableReleases('octo/app', false);
    try {
      await h.publish({ tag: 'v71', files, commit: h.commits[0] });
    } finally {
      h.gh.server.setImmutableReleases('octo/app', true);
    }
    const api = gatewayFor(h.gh.server.url);
    await api.client.call('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
      ref: 'tags/v71',
      sha: h.commits[1],
      force: true,
    });
    await expectRefused(
      { tag: 'v71', 'allow-mutable-release': 'true' },
      new RegExp(
        `v71: the tag points at commit ${h.commits[1]}, but its release\\.json says build\\.commit ${h.commits[0]}`,
      ),
    );
  });

  it("refuses a build other than input 'digest'", async () => {
    const { manifest } = await h.publish({ tag: 'v72', files, secretKeys: ['DB_PASSWORD'] });
    const other = `sha256:${'0'.repeat(64)}`;
    await expectRefused({ tag: 'v72', digest: other }, new RegExp(`Input 'digest' is ${other}, but v72 carries build`));
    const pinned = await h.deploy({
      tag: 'v72',
      digest: manifest.build.digest.toUpperCase().replace('SHA256', 'sha256'),
    });
    expect(pinned.error).toBeUndefined();
    await h.resetMarkers();
  });
});

describe('untrusted text in a release', () => {
  it.each<[string, (m: Record<string, unknown>) => void, RegExp]>([
    [
      'an environment with new lines and workflow commands',
      (m) => (m['environment'] = 'staging\n::add-mask::Deployed\n::stop-commands::x'),
      /release\.json: environment must be a deploy target/,
    ],
    [
      'a ref with ::',
      (m) => ((m['build'] as Record<string, unknown>)['ref'] = 'refs/heads/x\n::error::y'),
      /build\.ref/,
    ],
    ['an actor with a link', (m) => (m['actor'] = '[x](http://evil)'), /release\.json: actor must be a GitHub login/],
    ['a field the format does not have', (m) => (m['notes'] = '<script>alert(1)</script>'), /"notes" is not a field/],
  ])('refuses %s before anything is created', async (_label, patch, message) => {
    const tag = `v8${Math.floor(Math.random() * 1e6)}`;
    await h.publish({ tag, files, manifestPatch: patch });
    const result = await expectRefused({ tag }, message);
    // Nothing from the field became a workflow command or a line of its own.
    expect(result.stdout).not.toMatch(/^::(stop-commands|error::y)/m);
    expect(result.stdout).not.toMatch(/^::add-mask::Deployed/m);
  });

  it('never chooses a release tag with shell in it for latest, nor prints it', async () => {
    await h.publish({ tag: 'v69', environment: 'shell-env', files, actionNotes: true });
    await h.publish({
      tag: HOSTILE_TAG,
      environment: 'shell-env',
      files,
      actionNotes: true,
      manifestPatch: () => undefined,
    });
    const result = await h.deploy({ tag: 'latest', environment: 'shell-env' });
    expect(result.error).toBeUndefined();
    expect(result.outputs['tag']).toBe('v69');
    expect(result.stdout).not.toContain('INJECTED');
    await h.resetMarkers();
  });

  it('never outputs a deployment ref that is not a release tag as previous-tag', async () => {
    await h.publish({ tag: 'v73', environment: 'hostile-env', files, secretKeys: ['DB_PASSWORD'] });
    const api = gatewayFor(h.gh.server.url);
    const created = await api.createDeployment({ ref: HOSTILE_TAG, environment: 'hostile-env', task: 'deploy' });
    if (!created.created) throw new Error('no deployment');
    await api.createDeploymentStatus(created.deployment.id, { state: 'success' });
    const result = await h.deploy({ tag: 'v73', environment: 'hostile-env' });
    expect(result.error).toBeUndefined();
    expect(result.outputs['previous-tag']).toBe('');
    expect(result.summary).not.toContain('INJECTED');
    expectNoSecret(result);
    await h.resetMarkers();
  });
});

describe('config that would take over the job', () => {
  it.each([
    ['BASH_ENV', 'BASH_ENV="$(touch $MARKER_DIR/ran-BASH_ENV)"'],
    ['NODE_OPTIONS', 'NODE_OPTIONS=--require=/tmp/evil.js'],
    ['LD_PRELOAD', 'LD_PRELOAD=/tmp/evil.so'],
    ['GITHUB_ENV', 'GITHUB_ENV=/tmp/elsewhere'],
    ['PATH', 'PATH=/tmp/evil-bin'],
    ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RUNTIME_TOKEN=forged'],
  ])('refuses a config.env setting %s, before anything is created or run', async (key, line) => {
    const tag = `v6${Math.floor(Math.random() * 1e6)}`;
    await h.publish({ tag, files, rawConfig: `${line}\n`, manifestPatch: () => undefined });
    await expectRefused({ tag }, new RegExp(`config\\.keys: ${key} is reserved`));
  });
});

describe('latest', () => {
  it('never resolves to a prerelease or a draft', async () => {
    await h.publish({ tag: 'v74', environment: 'latest-env', files, secretKeys: ['DB_PASSWORD'] });
    await h.publish({ tag: 'v75', environment: 'latest-env', files, prerelease: true });
    await h.publish({ tag: 'v76', environment: 'latest-env', files, draft: true });
    const result = await h.deploy({ tag: 'latest', environment: 'latest-env' });
    expect(result.error).toBeUndefined();
    expect(result.outputs['tag']).toBe('v74');
    // Asked for, a pre-release may be the latest; a draft never is.
    const pre = await h.deploy({ tag: 'latest-prerelease', environment: 'latest-env' });
    expect([pre.error, pre.outputs['tag']]).toEqual([undefined, 'v75']);
    await h.resetMarkers();
  });

  // The body marker chooses `latest` without a download, but the notes stay editable: it is a hint, never a fact.
  // Written by hand, as the action writes it (renderMarker would refuse the broken one).
  const markerSaying = (environment: string, run = '1'): string =>
    `notes\n<!-- build-release-run ${JSON.stringify({
      run,
      attempt: '1',
      environment,
      digest: `sha256:${'1'.repeat(64)}`,
      config: `sha256:${'2'.repeat(64)}`,
      commit: h.commits[0] as string,
      createdAt: new Date(0).toISOString(),
      previous: null,
    })} -->`;

  it('reads a marker by the manifest rule: one that breaks it is no marker, and release.json decides', async () => {
    await h.publish({ tag: 'v78', environment: 'marked', files });
    // Claims 'marked', with a run id release.json's rule refuses: ignored, so v79's manifest (env 'other') is read.
    const broken = markerSaying('marked', '0-a');
    expect([parseMarker(broken), parseMarker(markerSaying('marked'))?.environment]).toEqual([undefined, 'marked']);
    await h.publish({ tag: 'v79', environment: 'other', files, body: broken });
    const result = await h.deploy({ tag: 'latest', environment: 'marked' });
    expect([result.error, result.outputs['tag']]).toEqual([undefined, 'v78']);
    await h.resetMarkers();
  });

  it('refuses the release a marker chose when its release.json names another environment', async () => {
    await h.publish({ tag: 'v80', environment: 'marked', files });
    await h.publish({ tag: 'v81', environment: 'other', files, body: markerSaying('marked') });
    await expectRefused(
      { tag: 'latest', environment: 'marked' },
      /v81: its release notes' marker says environment 'marked', but its release.json says 'other'/,
    );
  });
});

describe('secrets', () => {
  it('masks and redacts every line of a multi-line secret', async () => {
    await h.publish({ tag: 'v77', environment: 'multi', files, secretKeys: ['SSH_KEY'] });
    const key = '-----BEGIN KEY-----\nMIIsecondLineOfTheKey\nMIIthirdLineOfTheKey\n-----END KEY-----';
    const result = await h.deploy(
      { tag: 'v77', environment: 'multi', run: 'echo "line: $(echo "$SSH_KEY" | sed -n 2p)"; echo "$SSH_KEY"' },
      { SSH_KEY: key },
    );
    expect(result.error).toBeUndefined();
    const masks = result.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'));
    const rest = result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    for (const line of ['MIIsecondLineOfTheKey', 'MIIthirdLineOfTheKey']) {
      // Each line masked on its own, as the runner masks the lines of a multi-line secret.
      expect(masks).toContain(`::add-mask::${line}`);
      expect(rest.join('\n')).not.toContain(line);
    }
    expect(result.stdout).toContain('line: ***');
    await h.resetMarkers();
  });
});

/**
 * An API in between (a proxy, a compromised GHES) that answers every asset
 * download with far more bytes than the asset's listed size; the rest it
 * forwards. Counts the bytes it managed to send.
 */
async function startFloodingProxy(upstream: string, floodBytes: number) {
  const sent = { bytes: 0 };
  const proxy = createServer((request, response) => {
    if (/\/releases\/assets\/\d+$/.test(request.url ?? '') && request.headers.accept === 'application/octet-stream') {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      const pump = (): void => {
        while (sent.bytes < floodBytes && !response.destroyed) {
          sent.bytes += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      response.on('error', () => undefined);
      pump();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)),
      ) as Record<string, string>;
      fetch(`${upstream}${request.url}`, {
        method: request.method,
        headers,
        redirect: 'manual',
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      })
        .then(async (answer) => {
          const out: Record<string, string> = {};
          answer.headers.forEach((value, name) => {
            if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name))
              out[name] = value;
          });
          response.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    sent,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}

describe('exhaustion', () => {
  it('reads no more of an asset than GitHub lists: a flood is cut at once, not stored', async () => {
    await h.publish({ tag: 'v90', files });
    const flood = 256 * 1024 * 1024;
    const proxy = await startFloodingProxy(h.gh.server.url, flood);
    try {
      const before = deploymentsCreated();
      const result = await h.deploy({ tag: 'v90' }, { GITHUB_API_URL: proxy.url });
      expect(result.failed).toBe(true);
      expect(result.error).toMatch(/release\.json: GitHub lists \d+ bytes, but more were sent/);
      expect(proxy.sent.bytes).toBeLessThan(16 * 1024 * 1024);
      expect(deploymentsCreated()).toBe(before);
      expect(await h.ran()).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
