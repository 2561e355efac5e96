/**
 * Sizes as people read and write them: one rule for the summaries that show
 * sizes and the inputs that take them (e.g. deploy's max-unpacked-size).
 */

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → '1.5 KiB'; under 1 KiB, the exact count ('512 B'). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${BINARY_UNITS[unit]}`;
}

const MULTIPLIER: Record<string, number> = {
  '': 1,
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
};

/**
 * '16GiB', '500 MB', '1.5GiB' or a plain byte count → bytes; undefined when
 * the text is not a size. Binary units (KiB, MiB, GiB, TiB) are powers of
 * 1024, decimal ones (KB, MB, GB, TB) powers of 1000, as `df -h` and
 * `df -H` print them.
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (match === null) return undefined;
  const multiplier = MULTIPLIER[(match[2] as string).toLowerCase()];
  if (multiplier === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * multiplier);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
