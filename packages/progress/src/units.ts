/**
 * Sizes and durations as people read them. Sizes use binary (IEC) units,
 * KiB = 1024 bytes, everywhere in the project: the compression block is
 * 4 MiB and the step summary limit is 1 MiB, both binary, and one unit
 * system keeps two numbers in one log comparable.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** `512 B`, `1.0 KiB`, `286.1 MiB`, `1.4 GiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} B`;
  // 1023.96 KiB would print as "1024.0 KiB": say the next unit instead.
  if (value.toFixed(1) === '1024.0' && unit < UNITS.length - 1) return `1.0 ${UNITS[unit + 1]}`;
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

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
