/**
 * Releasing chunks: a chunk that is its whole buffer is freed, and only once
 * its consumer has moved on; a view that shares its buffer is never touched.
 */
import { describe, expect, it } from '@jest/globals';
import { releaseChunk, releasedAfterUse } from '../src/chunks.ts';

/** A chunk with an ArrayBuffer of its own, as a socket read or a filled decompressor buffer arrives. */
function ownChunk(text: string): Buffer {
  const bytes = Buffer.from(text);
  const chunk = Buffer.from(new ArrayBuffer(bytes.length));
  bytes.copy(chunk);
  return chunk;
}

const detached = (chunk: Uint8Array): boolean => (chunk.buffer as ArrayBuffer).detached;

describe('releaseChunk', () => {
  it('frees a chunk that is its whole buffer', () => {
    const chunk = ownChunk('a whole read');
    releaseChunk(chunk);
    expect(detached(chunk)).toBe(true);
    expect(chunk.length).toBe(0);
    releaseChunk(chunk); // twice is harmless
  });

  it('leaves views into a shared buffer and pooled small buffers intact', () => {
    const backing = ownChunk('header|content that is still being read');
    const head = backing.subarray(0, 6);
    const tail = backing.subarray(7);
    const pooled = Buffer.from('small');
    for (const chunk of [head, tail, pooled]) releaseChunk(chunk);
    expect(detached(backing)).toBe(false);
    expect(backing.toString()).toBe('header|content that is still being read');
    expect(pooled.toString()).toBe('small');
  });
});

describe('releasedAfterUse', () => {
  async function* chunksOf(texts: string[]): AsyncGenerator<Buffer> {
    for (const text of texts) yield ownChunk(text);
  }

  it('hands each chunk over intact and frees it when the next is asked for', async () => {
    const seen: Buffer[] = [];
    for await (const chunk of releasedAfterUse(chunksOf(['one', 'two', 'three']))) {
      expect(detached(chunk)).toBe(false);
      seen.push(chunk);
      // What the consumer does with it takes time; the chunk stays whole meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(chunk.toString()).toBe(['one', 'two', 'three'][seen.length - 1]);
      if (seen.length > 1) expect(detached(seen[seen.length - 2] as Buffer)).toBe(true);
    }
    expect(seen.map(detached)).toEqual([true, true, true]);
  });

  it('frees the chunk in hand when the consumer stops early', async () => {
    let last: Buffer | undefined;
    for await (const chunk of releasedAfterUse(chunksOf(['one', 'two']))) {
      last = chunk;
      break;
    }
    expect(last !== undefined && detached(last)).toBe(true);
  });
});
