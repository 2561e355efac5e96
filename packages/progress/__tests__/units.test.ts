import { describe, expect, it } from '@jest/globals';
import { formatBytes, formatBytesExact, formatDuration, formatRate } from '../src/index.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [4 * 1024 * 1024, '4.0 MiB'],
    [300_033_732, '286.1 MiB'],
    [16 * 1024 ** 3, '16.0 GiB'],
    [3 * 1024 ** 4, '3.0 TiB'],
    [5 * 1024 ** 5, '5.0 PiB'],
  ])('%d bytes → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatBytesExact', () => {
  it.each([
    [100, '100 B'],
    [300_033_732, '286.1 MiB (300033732 bytes)'],
  ])('%d bytes → %s', (bytes, text) => {
    expect(formatBytesExact(bytes)).toBe(text);
  });
});

describe('formatRate', () => {
  it('is bytes per second in binary units', () => {
    expect(formatRate(25.6 * 1024 * 1024)).toBe('25.6 MiB/s');
    expect(formatRate(10.4)).toBe('10 B/s');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [499, '0 s'],
    [42_000, '42 s'],
    [60_000, '1 min'],
    [185_000, '3 min 5 s'],
    [3_600_000, '1 h'],
    [7_800_000, '2 h 10 min'],
    [-5, '0 s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
