/**
 * Deploy's side of the unpacker's limits (issue 15 finding 4, issue 9):
 * the caps are inputs with today's values as defaults, and a release that
 * cannot fit on the target's disk is refused before anything is created.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { DEFAULT_LIMITS, parseEntryLimit, parseSizeLimit } from '@build-release-run/unpack';
import type { DeployHarness } from '@build-release-run/test-helpers/deploy-harness';
import { startHarness } from './helpers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

let h: DeployHarness;
beforeAll(async () => {
  h = await startHarness();
  await h.publish({ tag: 'v1', files: { 'app.txt': 'app\n', 'b.txt': 'b', 'c/d.txt': 'd' } });
  // A manifest that declares a build of 1 PiB: no runner holds that.
  await h.publish({ tag: 'v99', files: { 'app.txt': 'app\n' }, declaredSize: 1024 ** 5 });
});
afterAll(async () => {
  await h.close();
});

const deploymentsCreated = () => h.gh.server.requests.filter((r) => r.operationId === 'repos/create-deployment').length;

describe('the unpack caps as inputs', () => {
  it('default in action.yml to the values the unpacker uses without them', async () => {
    const yml = parse(await readFile(path.join(here, '../action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
    };
    const declared = {
      maxEntries: parseEntryLimit('max-entries', yml.inputs['max-entries']?.default ?? 'missing'),
      maxBytes: parseSizeLimit('max-unpacked-size', yml.inputs['max-unpacked-size']?.default ?? 'missing'),
    };
    expect(declared).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toEqual({ maxEntries: 1_000_000, maxBytes: 16 * 1024 ** 3 });
  });

  it.each([
    ['max-entries', '0', /Input 'max-entries' must be a whole number of archive entries, at least 1; got '0'/],
    ['max-entries', '1e6', /Input 'max-entries' must be a whole number/],
    ['max-unpacked-size', '16 gigs', /Input 'max-unpacked-size' must be a size such as 16GiB, 500MB/],
    ['max-unpacked-size', '-5GiB', /Input 'max-unpacked-size' must be a size/],
  ])('a bad %s (%s) is an error naming the input; nothing is created or run', async (input, value, message) => {
    const before = deploymentsCreated();
    const result = await h.deploy({ tag: 'v1', [input]: value });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(message);
    expect(deploymentsCreated()).toBe(before);
    expect(await h.ran()).toEqual([]);
  });

  it('max-entries below the build refuses it as an archive bomb, and the command does not run', async () => {
    const result = await h.deploy({ tag: 'v1', 'max-entries': '2' });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(/the archive has more than 2 entries/);
    expect(await h.ran()).toEqual([]);
  });

  it('max-unpacked-size below the build refuses it', async () => {
    const result = await h.deploy({ tag: 'v1', 'max-unpacked-size': '1KiB' });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(/the archive expands to more than 1\.0 KiB \(a possible archive bomb\)/);
    expect(await h.ran()).toEqual([]);
  });

  it('generous caps deploy the build', async () => {
    const result = await h.deploy({ tag: 'v1', 'max-entries': '10', 'max-unpacked-size': '1MB' });
    expect(result.error).toBeUndefined();
    expect(await h.ran()).toEqual(['ran-v1']);
  });
});

describe('disk space', () => {
  it('a release larger than the free space is refused early, naming both in human units', async () => {
    const before = deploymentsCreated();
    const result = await h.deploy({ tag: 'v99' });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(
      /Not enough disk space to deploy: the release's archive is 1\.0 PiB and unpacks to at least as much, which needs about 2\.2 PiB with a margin, but the file system of '.*' has [\d.]+ [KMGT]?i?B free/,
    );
    expect(result.error).toMatch(/set the input 'directory' to a folder on a larger disk/);
    expect(deploymentsCreated()).toBe(before);
    expect(await h.ran()).not.toContain('ran-v99');
  });
});
