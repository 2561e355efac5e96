/**
 * Progress lines for long work (pack, hash, upload, download, unpack). The
 * packages doing the work only call back with how far they are; the action
 * decides where the lines go. Quiet for small or fast work: nothing is said
 * before the work has run `quietMs`, and a finishing line only when a
 * progress line was said before it. After that, a line each time another
 * `everyPercent` is done or `everyMs` has passed, whichever comes first.
 * Work of `largeBytes` or more is long by its size alone: it reports every
 * `everyPercent` from the start, however fast this machine is, so the same
 * build says the same things on a fast disk and on a runner's network.
 * The clock is injected, so the rule is tested without waiting.
 */
import { formatBytes, formatDuration, formatRate } from './units.ts';

export interface ProgressSettings {
  quietMs: number;
  everyMs: number;
  everyPercent: number;
  largeBytes: number;
}

export const DEFAULT_PROGRESS: ProgressSettings = {
  quietMs: 3000,
  everyMs: 5000,
  everyPercent: 10,
  largeBytes: 128 * 1024 * 1024,
};

/**
 * Told how many bytes are done so far (never decreasing) of `total`, the
 * bytes the work will have done at the end (0 when unknown). This is the
 * one shape of the `onProgress` option of pack, hash, upload, download and
 * unpack.
 */
export type ProgressCallback = (done: number, total: number) => void;

/** Makes the callback for one piece of work: `label` names it (`Uploading app.tar.zst`). */
export type ProgressFactory = (label: string) => ProgressCallback;

export interface ProgressOptions {
  label: string;
  /** Milliseconds, from any origin (Date.now, performance.now, a fake). */
  now: () => number;
  emit: (line: string) => void;
  settings?: Partial<ProgressSettings>;
}

export function createProgress(options: ProgressOptions): ProgressCallback {
  const settings = { ...DEFAULT_PROGRESS, ...options.settings };
  const { label, now, emit } = options;
  const start = now();
  // When the last line was said and the step it was at. Large work counts
  // as having said 0% at the start: its first line comes at the next step.
  let lastAt: number | undefined;
  let lastStep = -1;
  let said = false;
  let finished = false;
  return (done: number, total: number) => {
    if (finished) return;
    const at = now();
    const elapsed = at - start;
    const complete = total > 0 && done >= total;
    if (complete) {
      finished = true;
      if (said) emit(finishLine(label, done, elapsed));
      return;
    }
    const large = total >= settings.largeBytes;
    if (!large && elapsed < settings.quietMs) return;
    if (large && lastAt === undefined) {
      lastAt = start;
      lastStep = 0;
    }
    const step = total > 0 ? Math.floor((done / total) * (100 / settings.everyPercent)) : -1;
    if (lastAt !== undefined && step <= lastStep && at - lastAt < settings.everyMs) return;
    lastAt = at;
    lastStep = step;
    said = true;
    emit(progressLine(label, done, total, elapsed));
  };
}

/** `Uploading app.tar.zst: 45% (128.0 MiB of 286.1 MiB, 25.6 MiB/s, about 6 s left)` */
export function progressLine(label: string, done: number, total: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  if (total <= 0) return `${label}: ${formatBytes(done)} so far (${formatRate(rate)})`;
  const percent = Math.min(99, Math.floor((done / total) * 100));
  const left = rate > 0 ? `about ${formatDuration(((total - done) * 1000) / rate)} left` : 'time left unknown';
  return `${label}: ${percent}% (${formatBytes(done)} of ${formatBytes(total)}, ${formatRate(rate)}, ${left})`;
}

/** `Uploading app.tar.zst: 100% (286.1 MiB in 11 s, 25.6 MiB/s)` */
export function finishLine(label: string, done: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  return `${label}: 100% (${formatBytes(done)} in ${formatDuration(elapsedMs)}, ${formatRate(rate)})`;
}

/** The factory an action hands to the packages: every line to `emit`, timed by `now`. */
export function progressTo(
  emit: (line: string) => void,
  now: () => number = Date.now,
  settings?: Partial<ProgressSettings>,
): ProgressFactory {
  return (label) => createProgress({ label, now, emit, ...(settings ? { settings } : {}) });
}
