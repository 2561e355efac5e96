/**
 * Decoding of one tar header block (POSIX ustar and the GNU variant) and of
 * pax extended header records. Pure functions over bytes.
 */
import { UnsafeArchiveError } from './errors.ts';

export const BLOCK = 512;

export interface RawHeader {
  name: string;
  mode: number;
  size: number;
  typeflag: string;
  linkname: string;
}

/** True when every byte of the block is zero (half of the end-of-archive marker). */
export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

export function decodeHeader(block: Buffer): RawHeader {
  verifyChecksum(block);
  const magic = block.subarray(257, 263).toString('latin1');
  const name = cString(block, 0, 100);
  // Only POSIX ustar has a prefix field; GNU tar keeps times in those bytes.
  const prefix = magic === 'ustar\u0000' ? cString(block, 345, 155) : '';
  return {
    name: prefix === '' ? name : `${prefix}/${name}`,
    mode: readNumber(block, 100, 8, 'mode'),
    size: readNumber(block, 124, 12, 'size'),
    typeflag: block[156] === 0 ? '0' : String.fromCharCode(block[156] as number),
    linkname: cString(block, 157, 100),
  };
}

function verifyChecksum(block: Buffer): void {
  const stored = readNumber(block, 148, 8, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  // Historic tars summed signed bytes; both are accepted, as GNU tar does.
  if (stored !== unsigned && stored !== signed) {
    throw new UnsafeArchiveError(
      'the archive has a tar header with a bad checksum: it is corrupt or not a tar archive',
    );
  }
}

function cString(block: Buffer, offset: number, width: number): string {
  const field = block.subarray(offset, offset + width);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? width : end).toString('utf8');
}

/** An octal field, or GNU's base-256 form (high bit set) for values octal cannot hold. */
function readNumber(block: Buffer, offset: number, width: number, what: string): number {
  const first = block[offset] as number;
  if (first & 0x80) {
    if (first & 0x40) throw new UnsafeArchiveError(`the archive has a negative ${what} in a tar header`);
    let value = first & 0x3f;
    for (let i = 1; i < width; i++) value = value * 256 + (block[offset + i] as number);
    if (!Number.isSafeInteger(value)) throw new UnsafeArchiveError(`the archive has a ${what} too large to handle`);
    return value;
  }
  // Terminated by NUL or space, possibly padded with leading spaces.
  const text = block
    .subarray(offset, offset + width)
    .toString('latin1')
    .split('\u0000')[0]!
    .trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new UnsafeArchiveError(`the archive has a malformed ${what} field in a tar header`);
  return parseInt(text, 8);
}

/** pax records: "<length> <key>=<value>\n", the length counting the whole record. */
export function decodePaxRecords(body: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let offset = 0;
  while (offset < body.length) {
    if (body[offset] === 0) break; // zero padding after the last record
    const space = body.indexOf(0x20, offset);
    const length = space === -1 ? NaN : Number(body.subarray(offset, space).toString('latin1'));
    if (!Number.isSafeInteger(length) || length <= space - offset || offset + length > body.length) {
      throw new UnsafeArchiveError('the archive has a malformed pax extended header');
    }
    const record = body.subarray(space + 1, offset + length);
    if (record[record.length - 1] !== 0x0a) throw new UnsafeArchiveError('the archive has a malformed pax record');
    const text = record.subarray(0, record.length - 1).toString('utf8');
    const equals = text.indexOf('=');
    if (equals <= 0) throw new UnsafeArchiveError('the archive has a malformed pax record');
    records.set(text.slice(0, equals), text.slice(equals + 1));
    offset += length;
  }
  return records;
}
