import { describe, expect, it } from '@jest/globals';
import { formatBytes, parseByteSize } from '../src/index.ts';

describe('parseByteSize', () => {
  it.each<[string, number | undefined]>([
    ['16GiB', 16 * 1024 ** 3],
    ['16 GiB', 16 * 1024 ** 3],
    ['16gib', 16 * 1024 ** 3],
    ['500MB', 500_000_000],
    ['1.5KiB', 1536],
    ['2TB', 2 * 1000 ** 4],
    ['4096', 4096],
    ['12B', 12],
    ['', undefined],
    ['GiB', undefined],
    ['-1', undefined],
    ['1e9', undefined],
    ['16 gigs', undefined],
    ['99999999999999999999', undefined],
  ])('%s → %s', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [16 * 1024 ** 3, '16.0 GiB'],
    [1024 ** 5, '1.0 PiB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('reads back what it prints', () => {
    expect(parseByteSize(formatBytes(16 * 1024 ** 3).replace(' ', ''))).toBe(16 * 1024 ** 3);
  });
});
