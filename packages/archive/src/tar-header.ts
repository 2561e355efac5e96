/**
 * Encoding of tar headers (POSIX ustar, with pax extended headers for what
 * ustar cannot hold). Pure functions over bytes: no I/O here.
 */

export const BLOCK = 512;

export type EntryType = 'file' | 'directory' | 'symlink';

export interface HeaderFields {
  /** Path inside the archive, '/'-separated, no leading './' or '/'. Directories end in '/'. */
  path: string;
  type: EntryType;
  mode: number;
  size: number;
  mtime: number;
  linkname?: string;
}

const TYPEFLAG: Record<EntryType, string> = { file: '0', directory: '5', symlink: '2' };
// The largest size an 11-digit octal field holds (8 GiB - 1); beyond it, pax.
const MAX_OCTAL_SIZE = 0o77777777777;
const NAME_FIELD = 100;

/** The header block(s) for one entry: a pax header first when ustar cannot hold it. */
export function encodeHeader(fields: HeaderFields): Buffer {
  const pax: Array<[string, string]> = [];
  if (!fitsUstarField(fields.path, NAME_FIELD)) pax.push(['path', fields.path]);
  if (fields.linkname !== undefined && !fitsUstarField(fields.linkname, NAME_FIELD)) {
    pax.push(['linkpath', fields.linkname]);
  }
  if (fields.size > MAX_OCTAL_SIZE) pax.push(['size', String(fields.size)]);

  const main = ustarBlock({
    name: pax.some(([k]) => k === 'path') ? asciiFallback(fields.path) : fields.path,
    linkname:
      fields.linkname === undefined
        ? ''
        : fitsUstarField(fields.linkname, NAME_FIELD)
          ? fields.linkname
          : asciiFallback(fields.linkname),
    typeflag: TYPEFLAG[fields.type],
    mode: fields.mode,
    size: fields.size > MAX_OCTAL_SIZE ? 0 : fields.size,
    mtime: fields.mtime,
  });
  if (pax.length === 0) return main;

  const body = encodePaxRecords(pax);
  const paxHeader = ustarBlock({
    // A fixed name keeps the archive independent of where it was made.
    name: 'PaxHeaders/entry',
    linkname: '',
    typeflag: 'x',
    mode: 0o644,
    size: body.length,
    mtime: fields.mtime,
  });
  return Buffer.concat([paxHeader, body, Buffer.alloc(padding(body.length)), main]);
}

/** Zero bytes needed after `size` bytes of content to reach a block boundary. */
export function padding(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

/** The end of an archive: two zero blocks. */
export function endOfArchive(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}

function fitsUstarField(value: string, width: number): boolean {
  // Only plain ASCII goes in ustar fields: readers disagree on other encodings.
  return Buffer.byteLength(value) <= width && /^[\x20-\x7e]*$/.test(value);
}

/** What a reader without pax support shows: an ASCII, truncated stand-in. */
function asciiFallback(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '_').slice(-NAME_FIELD);
}

/** pax records are "<len> <key>=<value>\n" where <len> counts the whole record, itself included. */
export function encodePaxRecords(records: Array<[string, string]>): Buffer {
  const parts = records.map(([key, value]) => {
    const payload = ` ${key}=${value}\n`;
    const payloadLength = Buffer.byteLength(payload);
    let length = payloadLength + String(payloadLength).length;
    if (String(length).length + payloadLength !== length) length = payloadLength + String(length).length;
    return `${length}${payload}`;
  });
  return Buffer.from(parts.join(''), 'utf8');
}

interface UstarFields {
  name: string;
  linkname: string;
  typeflag: string;
  mode: number;
  size: number;
  mtime: number;
}

function ustarBlock(fields: UstarFields): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(fields.name, 0, NAME_FIELD, 'utf8');
  writeOctal(block, 100, 8, fields.mode);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeOctal(block, 124, 12, fields.size);
  writeOctal(block, 136, 12, fields.mtime);
  block.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  block.write(fields.typeflag, 156, 1, 'ascii');
  block.write(fields.linkname, 157, NAME_FIELD, 'utf8');
  block.write('ustar\u000000', 257, 8, 'ascii');
  // uname (265) and gname (297) stay empty: owners are not part of a build.
  writeOctal(block, 329, 8, 0); // devmajor
  writeOctal(block, 337, 8, 0); // devminor
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148, 8, 'ascii');
  return block;
}

function writeOctal(block: Buffer, offset: number, width: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot encode ${value} in a tar header`);
  const digits = value.toString(8);
  if (digits.length > width - 1) throw new RangeError(`${value} does not fit a ${width}-byte tar field`);
  block.write(digits.padStart(width - 1, '0') + '\u0000', offset, width, 'ascii');
}
