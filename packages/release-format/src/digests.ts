import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type Digest, formatDigest } from '@build-release-run/contract';

/** The digest of bytes held in memory (the small assets). */
export function digestOf(bytes: string | Uint8Array): Digest {
  return formatDigest(createHash('sha256').update(bytes).digest('hex'));
}

/** The digest and size of a file, read as a stream: memory stays flat whatever its size. */
export async function digestFile(file: string): Promise<{ digest: Digest; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: formatDigest(hash.digest('hex')), size };
}
