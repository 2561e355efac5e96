/**
 * Property-based fuzzing of the unpacker (issue 15): mutated real archives
 * (see test/helpers/unpack-fuzz.ts), a fixed seed and a bounded count so the
 * run is the same every time and short. A failure prints fast-check's seed,
 * path and shrunk counterexample; `pnpm fuzz:unpack --minutes N` runs longer.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import fc from 'fast-check';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import {
  type OutcomeKind,
  type Seed,
  fuzzCase,
  makeSeeds,
  runFuzzCase,
} from '@build-release-run/test-helpers/unpack-fuzz';

const SEED = 20261202;
const RUNS = 200;
// A case allocating by a declared size (an 8 GiB header) would show here; the
// caps and the reader's fixed buffers keep real growth to a few MiB.
const MEMORY_BOUND = 512 * 1024 * 1024;

let work: string;
let seeds: Seed[];
beforeAll(async () => {
  work = await tempDir('brr-fuzz-');
  seeds = await makeSeeds(path.join(work, 'seeds'));
});
afterAll(async () => {
  await removeDir(work);
});

const used = () => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

describe('the unpacker under mutation', () => {
  it('fails only with its own errors, writes nothing outside the target, makes no link leaving it', async () => {
    const counts = new Map<OutcomeKind, number>();
    const baseline = used();
    let peak = 0;
    await fc.assert(
      fc.asyncProperty(fuzzCase(seeds.length), async (c) => {
        const outcome = await runFuzzCase(seeds[c.seed] as Seed, c, path.join(work, 'case'));
        counts.set(outcome.kind, (counts.get(outcome.kind) ?? 0) + 1);
        peak = Math.max(peak, used() - baseline);
        expect(outcome.violations).toEqual([]);
        expect(peak).toBeLessThan(MEMORY_BOUND);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The mutations reach every layer: some archives unpack, some are refused
    // by the tar reader, some by the decompressor.
    expect(counts.get('unpacked')).toBeGreaterThan(0);
    expect(counts.get('UnsafeArchiveError')).toBeGreaterThan(0);
    expect(counts.get('CorruptArchiveError')).toBeGreaterThan(0);
    expect(counts.get('DigestMismatchError')).toBeGreaterThan(0);
  });
});
