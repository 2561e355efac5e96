import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import { COMPRESSION_BLOCK, FORMATS, createBlockCompressor } from '../src/index.ts';

describe('the block compressor', () => {
  it.each(FORMATS)('%s: keeps each block’s output intact until it is written, behind a slow disk', async (format) => {
    const written: Buffer[] = [];
    // A disk slower than the compressors: every block's pieces wait here
    // while the next blocks are compressed. Reusing a block's output buffer
    // before its pieces are written would overwrite them.
    const sink = createBlockCompressor(format, async (pieces) => {
      await sleep(30);
      written.push(Buffer.concat(pieces));
    });
    const input: Buffer[] = [];
    for (let index = 0; index < 7; index++) {
      const block = await sink.block();
      const length = index === 6 ? 1000 : COMPRESSION_BLOCK;
      // Random bytes do not compress: each block's output nearly fills the
      // reused buffer it is written into.
      randomBytes(length).copy(block);
      input.push(Buffer.from(block.subarray(0, length)));
      sink.submit(block, length);
    }
    await sink.end();

    const archive = Buffer.concat(written);
    const decompress = format === 'tar.gz' ? zlib.gunzipSync : zlib.zstdDecompressSync;
    expect(decompress(archive).equals(Buffer.concat(input))).toBe(true);
  });
});
