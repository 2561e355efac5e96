/**
 * Where a download's bytes go: a file, written chunk by chunk, each chunk's
 * memory handed back as soon as it is on disk.
 *
 * Every socket read arrives in an ArrayBuffer of its own (about 64 KiB).
 * Left to the garbage collector, a 1 GB download piled up to 60 MB of them
 * between collections. The sink owns what is written to it: once a chunk
 * is written, nothing reads it again, so it is released (releaseChunk) for
 * the next read to take its memory.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { releaseChunk, writeAll } from '@build-release-run/contract';

/** A file (created or emptied) that takes the chunks written to it and releases each once written. */
export class FileSink extends Writable {
  readonly #path: string;
  #handle: FileHandle | undefined;

  constructor(path: string) {
    // As fs.WriteStream: a chunk at a time in flight, the stream's buffer feeding writev.
    super({ highWaterMark: 64 * 1024 });
    this.#path = path;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.#path, 'w').then((handle) => {
      this.#handle = handle;
      callback();
    }, callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#writeAll([chunk]).then(() => callback(), callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.#writeAll(chunks.map(({ chunk }) => chunk)).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#close().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#close().then(
      () => callback(error),
      (closeError: unknown) => callback(error ?? (closeError as Error)),
    );
  }

  async #writeAll(chunks: Buffer[]): Promise<void> {
    await writeAll(this.#handle as FileHandle, chunks);
    for (const chunk of chunks) releaseChunk(chunk);
  }

  async #close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }
}
