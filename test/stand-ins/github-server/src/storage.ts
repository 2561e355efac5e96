import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Asset } from './model.ts';

/**
 * Release assets: their records (ids are unique across the server, as on
 * GitHub) and their bytes on disk, streamed in and out in bounded chunks.
 * Downloads go through short-lived signed URLs, like GitHub's redirect to its
 * storage host.
 */
export class AssetStorage {
  readonly dir: string;
  readonly #secret = randomBytes(32);
  readonly #assets = new Map<number, Asset>();

  constructor(dir: string) {
    this.dir = dir;
  }

  async init(): Promise<void> {
    await mkdir(path.join(this.dir, 'assets'), { recursive: true });
  }

  asset(id: number): Asset | undefined {
    return this.#assets.get(id);
  }

  all(): Asset[] {
    return [...this.#assets.values()];
  }

  add(asset: Asset): void {
    this.#assets.set(asset.id, asset);
  }

  /** Drops an asset's record and its bytes. */
  async forget(id: number): Promise<void> {
    this.#assets.delete(id);
    await this.remove(id);
  }

  fileFor(assetId: number): string {
    return path.join(this.dir, 'assets', String(assetId));
  }

  /**
   * Streams `source` to the asset's file, hashing on the way. With
   * `failAfterBytes` (a fault), the write fails once that many bytes arrived.
   */
  async write(assetId: number, source: Readable, failAfterBytes?: number): Promise<{ size: number; digest: string }> {
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        hash.update(chunk);
        if (failAfterBytes !== undefined && size >= failAfterBytes) {
          callback(new InjectedFault(`connection reset after ${size} bytes`));
          return;
        }
        callback(null, chunk);
      },
    });
    await pipeline(source, meter, createWriteStream(this.fileFor(assetId)));
    return { size, digest: `sha256:${hash.digest('hex')}` };
  }

  read(assetId: number): Readable {
    return createReadStream(this.fileFor(assetId), { highWaterMark: 256 * 1024 });
  }

  async size(assetId: number): Promise<number> {
    return (await stat(this.fileFor(assetId))).size;
  }

  async remove(assetId: number): Promise<void> {
    await rm(this.fileFor(assetId), { force: true });
  }

  /** Flips one byte in the middle of the stored bytes (test-only: a corrupted download). */
  async corrupt(assetId: number): Promise<void> {
    const handle = await open(this.fileFor(assetId), 'r+');
    try {
      const { size } = await handle.stat();
      if (size === 0) {
        await handle.write(Buffer.from([0x2a]), 0, 1, 0);
        return;
      }
      const at = Math.floor(size / 2);
      const byte = Buffer.alloc(1);
      await handle.read(byte, 0, 1, at);
      byte[0] = (byte[0] ?? 0) ^ 0xff;
      await handle.write(byte, 0, 1, at);
    } finally {
      await handle.close();
    }
  }

  /** A signature for a storage URL valid until `expires` (epoch seconds). */
  sign(assetId: number, expires: number): string {
    return createHmac('sha256', this.#secret).update(`${assetId}:${expires}`).digest('hex');
  }

  verify(assetId: number, expires: number, signature: string): boolean {
    return expires * 1000 > Date.now() && this.sign(assetId, expires) === signature;
  }
}

/** An error the server caused on purpose (a fault), not a bug. */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}
