import { describe, expect, it } from '@jest/globals';
import { createProgress, progressTo } from '../src/index.ts';

const MiB = 1024 * 1024;

/** Plays (time in ms, bytes done) updates through a reporter on a fake clock; returns its lines. */
function play(total: number, updates: [number, number][], settings = {}): string[] {
  let clock = 0;
  const lines: string[] = [];
  const report = createProgress({
    label: 'Uploading a.tar.zst',
    now: () => clock,
    emit: (l) => lines.push(l),
    settings,
  });
  for (const [at, done] of updates) {
    clock = at;
    report(done, total);
  }
  return lines;
}

describe('createProgress', () => {
  it.each<[string, number, [number, number][], string[]]>([
    [
      'says nothing for work done within the quiet time',
      100 * MiB,
      [
        [500, 50 * MiB],
        [2900, 100 * MiB],
      ],
      [],
    ],
    ['says nothing while still quiet, even at 90%', 100 * MiB, [[1000, 90 * MiB]], []],
    [
      'first line once the quiet time has passed, then every 10%, then a finish line',
      100 * MiB,
      [
        [3000, 30 * MiB],
        [3500, 35 * MiB],
        [4000, 40 * MiB],
        [4100, 41 * MiB],
        [5000, 50 * MiB],
        [10_000, 100 * MiB],
      ],
      [
        'Uploading a.tar.zst: 30% (30.0 MiB of 100.0 MiB, 10.0 MiB/s, about 7 s left)',
        'Uploading a.tar.zst: 40% (40.0 MiB of 100.0 MiB, 10.0 MiB/s, about 6 s left)',
        'Uploading a.tar.zst: 50% (50.0 MiB of 100.0 MiB, 10.0 MiB/s, about 5 s left)',
        'Uploading a.tar.zst: 100% (100.0 MiB in 10 s, 10.0 MiB/s)',
      ],
    ],
    [
      'a line every 5 s when the percentage barely moves',
      100 * MiB,
      [
        [4000, 0.4 * MiB],
        [8000, 0.8 * MiB],
        [9000, 0.9 * MiB],
        [14_000, 1.4 * MiB],
      ],
      [
        'Uploading a.tar.zst: 0% (409.6 KiB of 100.0 MiB, 102.4 KiB/s, about 16 min 36 s left)',
        'Uploading a.tar.zst: 0% (921.6 KiB of 100.0 MiB, 102.4 KiB/s, about 16 min 31 s left)',
        'Uploading a.tar.zst: 1% (1.4 MiB of 100.0 MiB, 102.4 KiB/s, about 16 min 26 s left)',
      ],
    ],
    [
      'no rate yet: time left unknown',
      10 * MiB,
      [[3000, 0]],
      ['Uploading a.tar.zst: 0% (0 B of 10.0 MiB, 0 B/s, time left unknown)'],
    ],
    [
      'an unknown total says what is done so far',
      0,
      [[4000, 8 * MiB]],
      ['Uploading a.tar.zst: 8.0 MiB so far (2.0 MiB/s)'],
    ],
    [
      'nothing after the finish line',
      10 * MiB,
      [
        [3000, 5 * MiB],
        [4000, 10 * MiB],
        [9000, 10 * MiB],
      ],
      [
        'Uploading a.tar.zst: 50% (5.0 MiB of 10.0 MiB, 1.7 MiB/s, about 3 s left)',
        'Uploading a.tar.zst: 100% (10.0 MiB in 4 s, 2.5 MiB/s)',
      ],
    ],
  ])('%s', (_name, total, updates, lines) => {
    expect(play(total, updates)).toEqual(lines);
  });

  it('never says 100% before the work is done', () => {
    const lines = play(1000, [[3000, 999]]);
    expect(lines).toEqual(['Uploading a.tar.zst: 99% (999 B of 1000 B, 333 B/s, about 0 s left)']);
  });

  it('reports large work every 10% from the start, however fast it goes', () => {
    const lines = play(300 * MiB, [
      [100, 10 * MiB],
      [200, 30 * MiB],
      [300, 60 * MiB],
      [400, 100 * MiB],
      [500, 300 * MiB],
    ]);
    expect(lines).toEqual([
      'Uploading a.tar.zst: 10% (30.0 MiB of 300.0 MiB, 150.0 MiB/s, about 2 s left)',
      'Uploading a.tar.zst: 20% (60.0 MiB of 300.0 MiB, 200.0 MiB/s, about 1 s left)',
      'Uploading a.tar.zst: 33% (100.0 MiB of 300.0 MiB, 250.0 MiB/s, about 1 s left)',
      'Uploading a.tar.zst: 100% (300.0 MiB in 1 s, 600.0 MiB/s)',
    ]);
  });

  it('counts as large from 128 MiB on', () => {
    const fast: [number, number][] = [
      [100, 0.5],
      [200, 0.9],
    ];
    const at = (total: number) =>
      play(
        total,
        fast.map(([ms, part]) => [ms, Math.round(part * total)]),
      );
    expect(at(128 * MiB)).toHaveLength(2);
    expect(at(128 * MiB - 1)).toEqual([]);
  });

  it('takes its thresholds from the settings', () => {
    expect(play(100, [[100, 50]], { quietMs: 0 })).toHaveLength(1);
    expect(play(100, [[100, 50]], { quietMs: 200 })).toHaveLength(0);
  });
});

describe('progressTo', () => {
  it('makes one reporter per piece of work, all on the given clock and sink', () => {
    let clock = 0;
    const lines: string[] = [];
    const factory = progressTo(
      (l) => lines.push(l),
      () => clock,
    );
    const a = factory('Packing');
    const b = factory('Hashing');
    clock = 3000;
    a(10, 100);
    b(100, 200);
    expect(lines).toEqual([
      'Packing: 10% (10 B of 100 B, 3 B/s, about 27 s left)',
      'Hashing: 50% (100 B of 200 B, 33 B/s, about 3 s left)',
    ]);
  });
});
