/**
 * The download sink: every byte reaches the file in order, a chunk that is
 * the whole of its ArrayBuffer is freed once written, and a chunk that
 * shares its buffer with other bytes is never touched.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { removeDir, tempDir } from '@build-release-run/test-helpers/tree';
import { FileSink } from '../src/file-sink.ts';

let work: string;
beforeEach(async () => {
  work = await tempDir('brr-sink-');
});
afterEach(async () => {
  await removeDir(work);
});

/** A chunk with an ArrayBuffer of its own, as a socket read arrives. */
function ownChunk(bytes: Buffer): Buffer {
  const buffer = new ArrayBuffer(bytes.length);
  const chunk = Buffer.from(buffer);
  bytes.copy(chunk);
  return chunk;
}

describe('FileSink', () => {
  it('writes every chunk in order and frees the ones it owns whole', async () => {
    const parts = Array.from({ length: 40 }, (_, i) => randomBytes(1000 + i * 997));
    const chunks = parts.map(ownChunk);
    const file = path.join(work, 'out.bin');
    await pipeline(Readable.from(chunks), new FileSink(file));
    expect((await readFile(file)).equals(Buffer.concat(parts))).toBe(true);
    // Each chunk's memory was handed back once it was on disk.
    expect(chunks.map((chunk) => (chunk.buffer as ArrayBuffer).detached)).toEqual(chunks.map(() => true));
  });

  it('leaves a chunk that shares its buffer as it is', async () => {
    const whole = randomBytes(64 * 1024);
    const backing = ownChunk(whole);
    const first = backing.subarray(0, 1000);
    const second = backing.subarray(1000);
    const small = Buffer.from('from the pool of small buffers');
    const file = path.join(work, 'out.bin');
    await pipeline(Readable.from([first, second, small]), new FileSink(file));
    expect((await readFile(file)).equals(Buffer.concat([whole, Buffer.from('from the pool of small buffers')]))).toBe(
      true,
    );
    expect((backing.buffer as ArrayBuffer).detached).toBe(false);
    expect(backing.equals(whole)).toBe(true);
    expect(small.toString()).toBe('from the pool of small buffers');
  });

  it('fails when the file cannot be made, and says where', async () => {
    const file = path.join(work, 'missing', 'out.bin');
    await expect(pipeline(Readable.from([ownChunk(randomBytes(10))]), new FileSink(file))).rejects.toThrow(
      /ENOENT.*missing/,
    );
  });
});
