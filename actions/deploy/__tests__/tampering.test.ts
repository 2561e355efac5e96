import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { compress, craftTar } from '@build-release-run/test-helpers/crafted-tar';
import { type Checksum, serializeConfigEnv } from '@build-release-run/release-format';
import { gatewayFor, startHarness } from './helpers.ts';

let h: DeployHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function statesOf(tag: string): Promise<string[][]> {
  const api = gatewayFor(h.gh.server.url);
  const deployments = await api.listDeployments({ ref: tag });
  return Promise.all(deployments.map(async (d) => (await api.listDeploymentStatuses(d.id)).map((s) => s.state)));
}

describe('a release whose bytes changed on the server', () => {
  // Each file is caught by the first check that covers it, in deploy's order:
  // GitHub's digest vouches for release.json, release.json for the archive
  // and config.env (whose deployment is then recorded as an error; release.json
  // fails before any deployment exists).
  it.each([
    ['the archive', 'release.json', (name: string) => name.endsWith('.tar.gz'), [['error', 'in_progress']]],
    ['config.env', 'release.json', (name: string) => name === 'config.env', [['error', 'in_progress']]],
    ['release.json', "GitHub's asset digest", (name: string) => name === 'release.json', []],
  ])(
    'refuses when %s is corrupted, caught by %s: the command never runs, nothing reports success',
    async (label, checker, pick, deploymentStates) => {
      const tag = `v2${['the archive', 'config.env', 'release.json'].indexOf(label)}`;
      const { release } = await h.publish({ tag, files: { 'app.txt': `${label}\n`, 'data.bin': 'z'.repeat(20_000) } });
      const asset = release.assets.find((a) => pick(a.name));
      expect(asset).toBeDefined();
      await h.gh.server.corruptAsset(asset!.id);

      const result = await h.deploy({ tag });
      expect(result.failed).toBe(true);
      // The original bytes' hash is what every record of the release says: GitHub's digest keeps it.
      expect(result.error).toBe(
        `${asset!.name}: its bytes hash to ${result.error?.match(/hash to (sha256:[0-9a-f]{64})/)?.[1]}, ` +
          `but ${checker} says ${asset!.digest}. The asset changed after it was released; refusing to use it.`,
      );
      expect(result.error).not.toContain(`hash to ${asset!.digest}`);
      expect(await h.ran()).toEqual([]);
      expect(result.outputs).toEqual({});
      expect(await statesOf(tag)).toEqual(deploymentStates);
    },
  );

  it.each([
    [
      'lists another digest for the archive',
      (lines: Checksum[]) => [{ ...lines[0]!, sha256: 'f'.repeat(64) }, ...lines.slice(1)],
      /but SHA256SUMS says sha256:f{64}/,
    ],
    [
      'has no line for the config',
      (lines: Checksum[]) => lines.filter((line) => line.name !== 'config.env'),
      /SHA256SUMS lists .*, but the release is made of /,
    ],
    [
      'lists a file the release does not have',
      (lines: Checksum[]) => [...lines, { name: 'extra.bin', sha256: '0'.repeat(64) }],
      /SHA256SUMS lists .*extra\.bin.*, but the release is made of /,
    ],
  ])(
    'refuses a release whose published SHA256SUMS %s (read, since it is not the text release.json implies)',
    async (_label, change, error) => {
      const tag = `v34${['lists another', 'has no line', 'lists a file'].findIndex((start) => _label.startsWith(start))}`;
      await h.publish({ tag, files: { 'app.txt': 'x\n' }, checksums: change });
      const result = await h.deploy({ tag });
      expect(result.failed).toBe(true);
      expect(result.error).toMatch(error);
      expect(await h.ran()).toEqual([]);
    },
  );

  it('records a corrupted archive as an error on the deployment', async () => {
    const { release } = await h.publish({ tag: 'v31', files: { 'app.txt': 'x\n' } });
    await h.gh.server.corruptAsset(release.assets.find((a) => a.name.endsWith('.tar.gz'))!.id);
    await h.deploy({ tag: 'v31' });
    const [states] = await statesOf('v31');
    expect(states?.[0]).toBe('error');
  });

  it('refuses an archive replaced before upload (digest chain broken at the manifest)', async () => {
    // Upload different bytes under the archive's name: GitHub's digest matches the bytes, the manifest does not.
    const other = path.join(h.work, 'other.tar.gz');
    await writeFile(other, compress(craftTar([{ name: 'app.txt', content: 'evil\n' }]), 'tar.gz'));
    await h.publish({ tag: 'v32', files: { 'app.txt': 'good\n' }, archiveFile: other });
    const result = await h.deploy({ tag: 'v32' });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(
      /is [\d.]+ (B|[KMG]iB \(\d+ bytes\)) on GitHub, but the manifest says|but release.json says/,
    );
    expect(await h.ran()).toEqual([]);
  });

  it('refuses a correctly released but unsafe archive, leaving nothing outside the folder', async () => {
    const evil = path.join(h.work, 'evil.tar.gz');
    await writeFile(evil, compress(craftTar([{ name: '../../escaped.txt', content: 'x' }]), 'tar.gz'));
    await h.publish({ tag: 'v33', files: { 'app.txt': 'x' }, prebuiltArchive: evil });
    const result = await h.deploy({ tag: 'v33' });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(/has a '\.\.' segment/);
    expect(await h.ran()).toEqual([]);
    expect(existsSync(path.join(h.work, 'runner-temp', 'escaped.txt'))).toBe(false);
    expect(existsSync(path.join(h.work, 'runner-temp', 'build-release-run', 'deploy-v33-4242'))).toBe(false);
  });
});

describe('SHA256SUMS as release.json implies it', () => {
  it('does not read SHA256SUMS whose GitHub digest is that of the text release.json implies: changed bytes there run nothing', async () => {
    // SHA256SUMS is a function of release.json (its lines are the digests release.json gives). When
    // GitHub's digest of it is the digest of that text, every line is vouched for without a download;
    // bytes changed in storage afterwards are never used, and the deploy runs the verified build.
    const { release } = await h.publish({ tag: 'v23', files: { 'app.txt': 'sums\n' } });
    await h.gh.server.corruptAsset(release.assets.find((a) => a.name === 'SHA256SUMS')!.id);
    const from = h.gh.server.requests.length;
    const result = await h.deploy({ tag: 'v23' });
    expect(result.error).toBeUndefined();
    expect(await h.ran()).toEqual(['ran-v23']);
    const sumsId = release.assets.find((a) => a.name === 'SHA256SUMS')!.id;
    expect(h.gh.server.requests.slice(from).filter((entry) => entry.path.endsWith(`/assets/${sumsId}`))).toEqual([]);
  });

  it('reads and accepts a SHA256SUMS written another valid way (binary-mode marks, other order)', async () => {
    await h.publish({
      tag: 'v35',
      files: { 'app.txt': 'x\n' },
      checksums: (lines) => [...lines].reverse(),
      checksumsText: (lines) => lines.map((line) => `${line.sha256} *${line.name}\n`).join(''),
    });
    const result = await h.deploy({ tag: 'v35' });
    expect(result.error).toBeUndefined();
    expect(await h.ran()).toContain('ran-v35');
  });
});

describe('the release notes never supply the config', () => {
  /** A config.env copy as the release notes once carried one (base64 in an HTML comment). */
  const copyInNotes = (text: string) =>
    `notes\n<!-- build-release-run-config.env ${Buffer.from(text).toString('base64')} -->\n`;

  it('passes on config.env as downloaded and verified, whatever config the notes hold', async () => {
    // The notes are editable after publishing, even on an immutable release.
    const edited = serializeConfigEnv({ values: { APP_ENV: 'edited-in-the-notes' }, secretKeys: [] });
    const { release } = await h.publish({
      tag: 'v37',
      files: { 'app.txt': 'x\n' },
      config: { APP_ENV: 'from-the-release' },
      body: copyInNotes(edited),
    });
    const configId = release.assets.find((a) => a.name === 'config.env')!.id;
    const from = h.gh.server.requests.length;
    const result = await h.deploy({ tag: 'v37' });
    expect(result.error).toBeUndefined();
    const configReads = h.gh.server.requests.slice(from).filter((entry) => entry.path.endsWith(`/assets/${configId}`));
    expect(configReads).toHaveLength(1);
    const config = await readFile(path.join(h.markers, 'config-v37'), 'utf8');
    expect(config).toContain('APP_ENV=from-the-release\n');
    expect(config).not.toContain('edited-in-the-notes');
  });

  it('refuses config.env when release.json names another config, even with a matching copy in the notes', async () => {
    // The copy is byte for byte the config.env asset (GitHub's digest, the SHA256SUMS line), but
    // release.json, the signed record, gives config.env another digest.
    const configText = serializeConfigEnv({ values: { APP_ENV: 'from-the-release' }, secretKeys: [] });
    const { release } = await h.publish({
      tag: 'v38',
      files: { 'app.txt': 'x\n' },
      config: { APP_ENV: 'from-the-release' },
      body: copyInNotes(configText),
      manifestPatch: (manifest) => {
        (manifest['config'] as Record<string, unknown>)['digest'] = `sha256:${'0'.repeat(64)}`;
      },
    });
    const before = await h.ran();
    const result = await h.deploy({ tag: 'v38' });
    expect(result.failed).toBe(true);
    expect(result.error).toBe(
      `config.env: its bytes hash to ${release.assets.find((a) => a.name === 'config.env')!.digest}, but release.json says sha256:${'0'.repeat(64)}. The asset changed after it was released; refusing to use it.`,
    );
    expect(await h.ran()).toEqual(before);
  });
});
