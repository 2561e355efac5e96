/**
 * Builds tar archives byte by byte, including the malicious ones a safe
 * reader must refuse (the archive package's writer cannot make those).
 */
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { encodePaxRecords } from '@build-release-run/archive';

export interface CraftedEntry {
  name: string;
  /** '0' file, '1' hard link, '2' symlink, '3'/'4' devices, '5' folder, '6' FIFO, 'x' pax, 'L' GNU long name … */
  type?: string;
  mode?: number;
  content?: string | Buffer;
  /** Overrides the size field (e.g. a size larger than the content that follows). */
  size?: number;
  linkname?: string;
  /** pax records placed in an 'x' header before this entry. */
  pax?: Record<string, string>;
}

export function craftHeader(fields: {
  name: string;
  type: string;
  mode: number;
  size: number;
  linkname?: string;
}): Buffer {
  const block = Buffer.alloc(512);
  block.write(fields.name, 0, 100, 'utf8');
  block.write(fields.mode.toString(8).padStart(7, '0') + '\u0000', 100, 8, 'ascii');
  block.write('0000000\u0000', 108, 8, 'ascii');
  block.write('0000000\u0000', 116, 8, 'ascii');
  block.write(fields.size.toString(8).padStart(11, '0') + '\u0000', 124, 12, 'ascii');
  block.write('00000000000\u0000', 136, 12, 'ascii');
  block.fill(0x20, 148, 156);
  block.write(fields.type, 156, 1, 'ascii');
  block.write(fields.linkname ?? '', 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 8, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148, 8, 'ascii');
  return block;
}

const pad = (length: number): Buffer => Buffer.alloc((512 - (length % 512)) % 512);

/** The uncompressed tar bytes, ending with the two zero blocks. */
export function craftTar(entries: readonly CraftedEntry[], { end = true } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.pax !== undefined) {
      const body = encodePaxRecords(Object.entries(entry.pax));
      parts.push(
        craftHeader({ name: 'PaxHeaders/x', type: 'x', mode: 0o644, size: body.length }),
        body,
        pad(body.length),
      );
    }
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content) : (entry.content ?? Buffer.alloc(0));
    parts.push(
      craftHeader({
        name: entry.name,
        type: entry.type ?? '0',
        mode: entry.mode ?? 0o644,
        size: entry.size ?? content.length,
        ...(entry.linkname === undefined ? {} : { linkname: entry.linkname }),
      }),
      content,
      pad(content.length),
    );
  }
  if (end) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function compress(tar: Buffer, format: 'tar.gz' | 'tar.zst'): Buffer {
  return format === 'tar.gz' ? gzipSync(tar) : zstdCompressSync(tar);
}
