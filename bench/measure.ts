/** Runs a command and reports its wall time and peak RSS (GNU time's %M). */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Measurement {
  wallMs: number;
  peakRssMb: number;
}

const GNU_TIME = '/usr/bin/time';

export function requireGnuTime(): void {
  if (!existsSync(GNU_TIME)) {
    console.error('The benchmarks read peak memory with GNU time: apt-get install time');
    process.exit(2);
  }
}

export function measure(command: string[], env: NodeJS.ProcessEnv = process.env): Measurement {
  const report = path.join(tmpdir(), `brr-bench-time-${process.pid}`);
  const started = performance.now();
  const child = spawnSync(GNU_TIME, ['-f', '%M', '-o', report, ...command], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  if (child.status !== 0) {
    // The action reports its error on stdout (::error::): show it.
    process.stderr.write(child.stdout);
    throw new Error(`${command.join(' ')} exited with ${child.status}`);
  }
  const kb = Number(readFileSync(report, 'utf8').trim().split('\n').pop());
  rmSync(report, { force: true });
  return { wallMs, peakRssMb: kb / 1024 };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
