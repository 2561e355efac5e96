import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { type Digest, formatDigest } from '@build-release-run/contract';

// The digest of bytes in memory is the contract's (the registry client hashes manifests with it too).
export { digestOf } from '@build-release-run/contract';

/**
 * The digest and size of a file, read through one reused buffer: memory stays
 * flat whatever its size (a stream allocating a buffer per chunk let RSS drift
 * up before the garbage collector caught up).
 */
export async function digestFile(
  file: string,
  onProgress?: (done: number, total: number) => void,
): Promise<{ digest: Digest; size: number }> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(256 * 1024);
  const handle = await open(file, 'r');
  let size = 0;
  try {
    const total = onProgress ? (await handle.stat()).size : 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, size);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
      onProgress?.(size, total);
    }
  } finally {
    await handle.close();
  }
  return { digest: formatDigest(hash.digest('hex')), size };
}
