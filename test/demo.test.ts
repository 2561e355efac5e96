// `pnpm demo` end to end: the example workflows run through the local
// runner against the local GitHub server, and leave the releases and
// deployments the pipeline promises.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readlink } from 'node:fs/promises';
import path from 'node:path';
import { type DemoResult, ledger, runDemo } from '../scripts/demo.ts';
import { removeDir, tempDir } from './helpers/tree.ts';

let dir: string;
let result: DemoResult;
// The demo takes about 15 s alone; next to other suites on 2 cores it has
// taken over a minute, so its set-up gets more room than a single test.
beforeAll(async () => {
  dir = await tempDir('brr-demo-test-');
  result = await runDemo({ dir, say: () => {}, validateResponses: true });
}, 240_000);
afterAll(async () => {
  await removeDir(dir);
});

describe('the demo pipeline', () => {
  it('releases a config-only change and a promotion as new releases of the same build', () => {
    expect(result.releases.map((r) => [r.tag, r.environment])).toEqual([
      ['v1', 'staging'],
      ['v2', 'staging'],
      ['v3', 'production'],
    ]);
    expect(result.releases[0]!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.releases.map((r) => r.digest)).toEqual(Array(3).fill(result.releases[0]!.digest));
    expect(result.releases[1]!.commit).not.toBe(result.releases[0]!.commit);
  });

  it('records a deployment for each deploy, the older ones made inactive, the rollback live', () => {
    expect(result.deployments.map((d) => [d.environment, d.tag, d.states.at(-1)])).toEqual([
      ['staging', 'v1', 'inactive'],
      ['staging', 'v2', 'inactive'],
      ['staging', 'v1', 'success'],
      ['production', 'v3', 'success'],
    ]);
  });

  it('serves the greeting of each deployed release, and the old one again after the rollback', () => {
    expect(result.answers).toEqual([
      { tag: 'v1', environment: 'staging', greeting: 'Hello from staging' },
      { tag: 'v2', environment: 'staging', greeting: 'Hello again from staging' },
      { tag: 'v1', environment: 'staging', greeting: 'Hello from staging' },
      { tag: 'v3', environment: 'production', greeting: 'Hello from production' },
    ]);
  });

  it('leaves releases/<tag> folders and a current link on the rolled-back release', async () => {
    expect(await readlink(path.join(result.target, 'staging', 'current'))).toBe('releases/v1');
    expect(await readlink(path.join(result.target, 'production', 'current'))).toBe('releases/v3');
  });

  it("keeps the local server within GitHub's OpenAPI description", () => {
    expect(result.violations).toEqual([]);
  });

  it('prints a ledger naming releases, deployments and where the files are', () => {
    const text = ledger(result);
    expect(text).toContain(`v2   staging    ${result.releases[1]!.digest}`);
    expect(text).toContain('in_progress → success → inactive');
    expect(text).toContain(path.join(result.target, '<environment>'));
  });
});
