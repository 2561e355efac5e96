/**
 * A longer fuzzing run of the unpacker than the suite's fuzz test: mutated
 * real archives (test/helpers/unpack-fuzz.ts) for N minutes, then the count
 * of each outcome and every broken invariant (a raw decompressor error, an
 * unexpected exception, a write outside the target, a link leaving it).
 * Exits 1 when an invariant broke.
 *
 *   pnpm fuzz:unpack [--minutes 5] [--seed 1]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { type OutcomeKind, fuzzCase, makeSeeds, runFuzzCase } from '@build-release-run/test-helpers/unpack-fuzz';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
  },
});
const minutes = Number(args.minutes);
const firstSeed = Number(args.seed);
if (!(minutes > 0) || !Number.isSafeInteger(firstSeed)) {
  console.error('usage: pnpm fuzz:unpack [--minutes N] [--seed S]');
  process.exit(2);
}

const BATCH = 200;
const work = await tempDir('brr-fuzz-bench-');
const seeds = await makeSeeds(path.join(work, 'seeds'));
const counts = new Map<OutcomeKind, number>();
const violations: string[] = [];
let cases = 0;
let peakRss = 0;
const started = Date.now();
const deadline = started + minutes * 60_000;
let batch = 0;
try {
  while (Date.now() < deadline) {
    const seed = firstSeed + batch;
    batch += 1;
    for (const c of fc.sample(fuzzCase(seeds.length), { seed, numRuns: BATCH })) {
      if (Date.now() >= deadline) break;
      const outcome = await runFuzzCase(seeds[c.seed]!, c, path.join(work, 'case'));
      cases += 1;
      counts.set(outcome.kind, (counts.get(outcome.kind) ?? 0) + 1);
      for (const violation of outcome.violations) {
        violations.push(`${violation}\n    case (fast-check seed ${seed}): ${JSON.stringify(c).slice(0, 400)}`);
      }
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  }
} finally {
  await removeDir(work);
}

const seconds = (Date.now() - started) / 1000;
console.log(
  `fuzz:unpack: ${cases} cases in ${seconds.toFixed(0)} s over ${seeds.length} seed archives (${seeds.map((s) => s.name).join('; ')}), fast-check seeds ${firstSeed}..${firstSeed + batch - 1}`,
);
console.log('');
console.log('| outcome | cases |');
console.log('| --- | ---: |');
const kinds: OutcomeKind[] = [
  'unpacked',
  'UnsafeArchiveError',
  'CorruptArchiveError',
  'DigestMismatchError',
  'UnpackFileSystemError',
  'ConfigurationError',
  'raw decompressor error',
  'unexpected exception',
];
for (const kind of kinds) console.log(`| ${kind} | ${counts.get(kind) ?? 0} |`);
const outside = violations.filter(
  (v) => v.startsWith('something was written outside') || v.includes('was written'),
).length;
const links = violations.filter((v) => v.startsWith('the link')).length;
console.log(`| writes outside the target | ${outside} |`);
console.log(`| links leaving the target | ${links} |`);
console.log('');
console.log(`peak RSS ${(peakRss / 1024 ** 2).toFixed(0)} MiB`);
if (violations.length > 0) {
  console.log(`\n${violations.length} broken invariant(s):`);
  for (const violation of violations.slice(0, 20)) console.log(`- ${violation}`);
  process.exitCode = 1;
}
