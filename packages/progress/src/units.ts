/**
 * Sizes and durations as people read them. Sizes use binary (IEC) units,
 * KiB = 1024 bytes, everywhere in the project: the compression block is
 * 4 MiB and the step summary limit is 1 MiB, both binary, and one unit
 * system keeps two numbers in one log comparable.
 */
import { formatBytes } from '@build-release-run/contract';

// formatBytes is the contract's: one rule for every size in a message.
export { formatBytes };

/**
 * A size where the exact count matters (two sizes that must be equal): the
 * human form, then the bytes. `1.5 MiB (1572864 bytes)`; small sizes need
 * no second form.
 */
export function formatBytesExact(bytes: number): string {
  return bytes < 1024 ? formatBytes(bytes) : `${formatBytes(bytes)} (${bytes} bytes)`;
}

/** Bytes per second: `25.6 MiB/s`. */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** `0 s`, `42 s`, `3 min 5 s`, `2 h 10 min`: whole seconds, two units at most. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
