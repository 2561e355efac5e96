/**
 * Chunks of bytes on their way to disk: written whole, and their memory
 * handed back as soon as their reader is done with them.
 *
 * A gigabyte passes through a deploy as thousands of chunks, each in an
 * ArrayBuffer of its own: every socket read (about 64 KiB), every output
 * buffer a decompressor fills (128 KiB). Left to the garbage collector they
 * piled up to 60 MB between collections, the largest part of the deploy's
 * peak RSS (docs/performance.md, deploy). Whoever reads a chunk last, and
 * knows that nothing reads it again, frees it here.
 */
import type { FileHandle } from 'node:fs/promises';

/**
 * Frees a chunk's memory now instead of at the next collection. Only a chunk
 * that is the whole of its ArrayBuffer: a view into a larger buffer (Node's
 * pool of small Buffers, the part of a decompressor's buffer it is still
 * filling, a slice of a read) may share it with bytes someone still reads,
 * and is left to the collector. The chunk reads as empty afterwards.
 */
export function releaseChunk(chunk: Uint8Array): void {
  const buffer = chunk.buffer;
  if (!(buffer instanceof ArrayBuffer) || buffer.detached) return;
  if (chunk.byteOffset !== 0 || chunk.byteLength !== buffer.byteLength) return;
  try {
    buffer.transfer(0);
  } catch {
    // Not detachable (memory Node or WebAssembly keeps): the collector frees it.
  }
}

/**
 * The chunks of `source`, each released once the consumer asks for the next
 * one (or stops): for a consumer that has finished with a chunk by then,
 * awaiting whatever it wrote of it, and copies what it keeps.
 */
export async function* releasedAfterUse<T extends Uint8Array>(source: AsyncIterable<T>): AsyncGenerator<T> {
  for await (const chunk of source) {
    try {
      yield chunk;
    } finally {
      releaseChunk(chunk);
    }
  }
}

/** Writes every byte of `pieces` to `file`, in order, in as few calls as the kernel allows. */
export async function writeAll(file: FileHandle, pieces: Uint8Array[]): Promise<void> {
  let pending = pieces.filter((piece) => piece.length > 0);
  while (pending.length > 0) {
    let { bytesWritten } = await file.writev(pending);
    while (pending.length > 0 && bytesWritten >= (pending[0] as Uint8Array).length) {
      bytesWritten -= (pending[0] as Uint8Array).length;
      pending = pending.slice(1);
    }
    if (bytesWritten > 0) pending[0] = (pending[0] as Uint8Array).subarray(bytesWritten);
  }
}
