import { afterAll, beforeAll, afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { gatewayFor, startHarness } from './helpers.ts';

// Incompressible, so the archive is big enough to be cut in the middle.
const payload = randomBytes(512 * 1024).toString('base64');

let h: DeployHarness;
beforeAll(async () => {
  h = await startHarness();
  await h.publish({ tag: 'v1', files: { 'app.txt': 'app v1\n', 'payload.txt': payload } });
  await h.publish({ tag: 'v2', files: { 'app.txt': 'app v2\n', 'payload.txt': payload } });
});
afterEach(() => {
  h.gh.server.faults.clear();
});
afterAll(async () => {
  await h.close();
});

// Asset bytes are fetched in this order: release.json, config.env, the archive (SHA256SUMS is checked
// against GitHub's digest of it without being read).
const ARCHIVE_DOWNLOAD = 3;

describe('faults while deploying', () => {
  it('retries an archive download cut mid-way, verifies it and deploys', async () => {
    const id = h.gh.server.faults.add({ kind: 'reset', route: 'storage', nth: ARCHIVE_DOWNLOAD, afterBytes: 100_000 });
    const result = await h.deploy({ tag: 'v1' });
    expect(result.error).toBeUndefined();
    expect(h.gh.server.faults.fired()[id]).toBe(1);
    expect(result.stdout).toMatch(/retrying in \d+ ms \(attempt 2\)/);
    expect(await h.ran()).toEqual(['ran-v1']);
    expect(await readFile(path.join(result.outputs['directory'] as string, 'payload.txt'), 'utf8')).toBe(payload);
  });

  it('retries API errors (5xx) on the way', async () => {
    h.gh.server.faults.add({ kind: 'status', route: 'repos/get-release-by-tag', status: 502 });
    h.gh.server.faults.add({ kind: 'status', route: 'repos/create-deployment-status', status: 503 });
    const result = await h.deploy({ tag: 'v2' });
    expect(result.error).toBeUndefined();
    expect(result.outputs['tag']).toBe('v2');
  });

  it('fails clearly when the download keeps failing, and nothing runs', async () => {
    const before = await h.ran();
    h.gh.server.faults.add({ kind: 'reset', route: 'storage', nth: ARCHIVE_DOWNLOAD, times: 50, afterBytes: 50_000 });
    const result = await h.deploy({ tag: 'v1' });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(/download cut.*gave up after 4 attempts/);
    expect(await h.ran()).toEqual(before);
    const api = gatewayFor(h.gh.server.url);
    const [newest] = await api.listDeployments();
    const states = (await api.listDeploymentStatuses(newest!.id)).map((s) => s.state);
    expect(states).toEqual(['error', 'in_progress']);
  });
});
