import { describe, expect, it } from '@jest/globals';
import { encodeHeader, encodePaxRecords } from '../src/index.ts';

describe('encodePaxRecords', () => {
  it('counts each record length including its own digits', () => {
    for (const valueLength of [1, 5, 88, 89, 90, 95, 96, 97, 98, 990, 995, 996, 997]) {
      const record = encodePaxRecords([['path', 'a'.repeat(valueLength)]]).toString('utf8');
      const declared = Number(record.slice(0, record.indexOf(' ')));
      expect(Buffer.byteLength(record)).toBe(declared);
    }
  });
});

describe('encodeHeader', () => {
  it('writes a plain ustar block for short ASCII names, owners empty and ids zero', () => {
    const block = encodeHeader({ path: 'bin/run', type: 'file', mode: 0o755, size: 10, mtime: 0 });
    expect(block.length).toBe(512);
    expect(block.subarray(0, 7).toString()).toBe('bin/run');
    expect(block.subarray(100, 107).toString()).toBe('0000755');
    expect(block.subarray(108, 115).toString()).toBe('0000000');
    expect(block.subarray(257, 263).toString()).toBe('ustar\u0000');
    expect(block.subarray(265, 329).every((byte) => byte === 0)).toBe(true);
  });

  it('puts long and non-ASCII names in a pax header', () => {
    const name = `${'é'.repeat(70)}/file`;
    const blocks = encodeHeader({ path: name, type: 'file', mode: 0o644, size: 0, mtime: 0 });
    expect(blocks.length).toBe(512 * 3);
    expect(String.fromCharCode(blocks[156] as number)).toBe('x');
    expect(blocks.subarray(512, 1024).toString('utf8')).toContain(` path=${name}\n`);
  });

  it('checksums the header as tar does', () => {
    const block = encodeHeader({ path: 'a', type: 'directory', mode: 0o755, size: 0, mtime: 0 });
    const copy = Buffer.from(block);
    copy.fill(0x20, 148, 156);
    const sum = copy.reduce((total, byte) => total + byte, 0);
    expect(parseInt(block.subarray(148, 154).toString(), 8)).toBe(sum);
  });
});
