import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeployHarness } from '../../../test/helpers/deploy-harness.ts';
import { compress, craftTar } from '../../../test/helpers/crafted-tar.ts';
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
  // GitHub's digest vouches for SHA256SUMS, SHA256SUMS for release.json,
  // release.json for the archive and config.env (whose deployment is then
  // recorded as an error; the first two fail before any deployment exists).
  it.each([
    ['the archive', 'release.json', (name: string) => name.endsWith('.tar.gz'), [['error', 'in_progress']]],
    ['config.env', 'release.json', (name: string) => name === 'config.env', [['error', 'in_progress']]],
    ['release.json', 'SHA256SUMS', (name: string) => name === 'release.json', []],
    ['SHA256SUMS', "GitHub's asset digest", (name: string) => name === 'SHA256SUMS', []],
  ])(
    'refuses when %s is corrupted, caught by %s: the command never runs, nothing reports success',
    async (label, checker, pick, deploymentStates) => {
      const tag = `v2${['the archive', 'config.env', 'release.json', 'SHA256SUMS'].indexOf(label)}`;
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
