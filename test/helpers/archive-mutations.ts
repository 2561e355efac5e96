/**
 * Mutations of real tar archives for fuzzing the unpacker: header fields set
 * to hostile or malformed values, pax records inserted, truncation, block
 * splices, and damage to the compressed bytes. Pure functions over bytes plus
 * the fast-check arbitraries that pick them, shared by the suite's fuzz test
 * and `pnpm fuzz:unpack`.
 */
import fc from 'fast-check';
import { encodePaxRecords } from '@build-release-run/archive';

const BLOCK = 512;

export type TarMutation =
  | { kind: 'field'; header: number; field: FieldName; value: string; fixChecksum: boolean }
  | { kind: 'entry'; header: number; typeflag: string; name: string; linkname: string }
  | { kind: 'pax'; header: number; records: Array<[string, string]>; global: boolean }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; from: number; count: number; to: number; remove: boolean }
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'append'; blocks: number; fill: number };

export type CompressedMutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate'; from: number; length: number; to: number };

// name, mode, size, typeflag, linkname, magic, checksum, ustar prefix.
const FIELDS = {
  name: [0, 100],
  mode: [100, 8],
  size: [124, 12],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 8],
  checksum: [148, 8],
  prefix: [345, 155],
} as const;
export type FieldName = keyof typeof FIELDS;

const HOSTILE_NAMES = [
  '../outside/evil',
  '/tmp/brr-fuzz-absolute',
  'a/../../outside/x',
  '..\\..\\outside\\evil',
  'C:\\Windows\\x',
  'C:../x',
  '\\\\server\\share\\x',
  'CON',
  'dir/nul.txt',
  'com1',
  'bell\u0007name',
  'esc\u001b[2J',
  'x'.repeat(99),
  'trailing.',
  '...',
  '',
  '.',
  '..',
  './',
  'a//b/./c',
  'dir/',
  'link',
  'link/through',
  'GNUSparseFile.1/x',
  'ñandú/日本',
  'outside',
];
const PLAIN_NAMES = ['a', 'up', 'dir/sub/link', 'dir/link', 'deep/er/still/link', 'x.txt'];
const HOSTILE_LINKS = ['.', '..', '../..', '../../outside', 'b/../c', '/etc', 'link', 'dir', 'a\\..\\..', 'C:x', ''];
const NUMBERS = [
  '0',
  '1',
  '777',
  '7777',
  '4755',
  '1000',
  '77777777777',
  '-1',
  '9',
  '   12 ',
  'zzz',
  '\u0080\u0000\u0000\u0001',
];
const TYPEFLAGS = ['0', '1', '2', '3', '4', '5', '6', '7', 'x', 'g', 'L', 'K', 'S', 'V', 'M', 'D', 'Z', '\u0000'];
const PAX_KEYS = [
  'path',
  'linkpath',
  'size',
  'GNU.sparse.major',
  'GNU.sparse.map',
  'GNU.sparse.name',
  'mtime',
  'uid',
  'hdrcharset',
  'SCHILY.xattr.user.x',
  'comment',
];
const PAX_VALUES = [...HOSTILE_NAMES, ...HOSTILE_LINKS, '-1', '99999999999999999999', '1e3', '4096', '0'];

function valuesFor(field: FieldName): string[] {
  switch (field) {
    case 'name':
    case 'prefix':
      return HOSTILE_NAMES;
    case 'linkname':
      return [...HOSTILE_LINKS, ...HOSTILE_NAMES];
    case 'typeflag':
      return TYPEFLAGS;
    case 'magic':
      return ['ustar\u000000', 'ustar  \u0000', '\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000', 'garbage!'];
    default:
      return NUMBERS;
  }
}

/** Offsets of the header blocks of a well-formed archive, in order (for aiming mutations). */
export function headerOffsets(tar: Buffer): number[] {
  const offsets: number[] = [];
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const block = tar.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) break;
    offsets.push(offset);
    const size = parseInt(block.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    const typeflag = String.fromCharCode(block[156] as number);
    const hasData = !['1', '2', '5'].includes(typeflag);
    offset += BLOCK + (hasData ? Math.ceil(size / BLOCK) * BLOCK : 0);
  }
  return offsets;
}

export function applyTarMutation(tar: Buffer, headers: readonly number[], mutation: TarMutation): Buffer {
  const headerAt = (index: number) => headers[index % Math.max(1, headers.length)] ?? 0;
  switch (mutation.kind) {
    case 'field': {
      const out = Buffer.from(tar);
      const at = headerAt(mutation.header);
      if (at + BLOCK > out.length) return out;
      const [offset, width] = FIELDS[mutation.field];
      out.fill(0, at + offset, at + offset + width);
      out.write(mutation.value, at + offset, width, 'utf8');
      if (mutation.fixChecksum && mutation.field !== 'checksum') writeChecksum(out, at);
      return out;
    }
    case 'entry': {
      // Rewrites a whole header as another entry: hostile names and link targets with a valid checksum.
      const out = Buffer.from(tar);
      const at = headerAt(mutation.header);
      if (at + BLOCK > out.length) return out;
      for (const [field, value] of [
        ['name', mutation.name],
        ['linkname', mutation.linkname],
        ['typeflag', mutation.typeflag],
        ['prefix', ''],
      ] as const) {
        const [offset, width] = FIELDS[field];
        out.fill(0, at + offset, at + offset + width);
        out.write(value, at + offset, width, 'utf8');
      }
      writeChecksum(out, at);
      return out;
    }
    case 'pax': {
      const at = Math.min(headerAt(mutation.header), tar.length);
      const body = encodePaxRecords(mutation.records);
      const header = Buffer.alloc(BLOCK);
      header.write('PaxHeaders/fuzz', 0, 100, 'utf8');
      header.write('0000644\u0000', 100, 8, 'ascii');
      header.write(body.length.toString(8).padStart(11, '0') + '\u0000', 124, 12, 'ascii');
      header.write(mutation.global ? 'g' : 'x', 156, 1, 'ascii');
      header.write('ustar\u000000', 257, 8, 'ascii');
      writeChecksum(header, 0);
      const padded = Buffer.concat([body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK)]);
      return Buffer.concat([tar.subarray(0, at), header, padded, tar.subarray(at)]);
    }
    case 'truncate':
      return tar.subarray(0, mutation.at % (tar.length + 1));
    case 'splice': {
      const blocks = Math.max(1, Math.floor(tar.length / BLOCK));
      const from = (mutation.from % blocks) * BLOCK;
      const piece = tar.subarray(from, from + mutation.count * BLOCK);
      if (mutation.remove) return Buffer.concat([tar.subarray(0, from), tar.subarray(from + piece.length)]);
      const to = (mutation.to % (blocks + 1)) * BLOCK;
      return Buffer.concat([tar.subarray(0, to), piece, tar.subarray(to)]);
    }
    case 'flip': {
      if (tar.length === 0) return tar;
      const out = Buffer.from(tar);
      const at = mutation.at % out.length;
      out[at] = (out[at] as number) ^ mutation.xor;
      return out;
    }
    case 'append':
      return Buffer.concat([tar, Buffer.alloc(mutation.blocks * BLOCK, mutation.fill)]);
  }
}

export function applyCompressedMutation(bytes: Buffer, mutation: CompressedMutation): Buffer {
  const at = (n: number) => (bytes.length === 0 ? 0 : n % bytes.length);
  switch (mutation.kind) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const out = Buffer.from(bytes);
      out[at(mutation.at)] = (out[at(mutation.at)] as number) ^ mutation.xor;
      return out;
    }
    case 'truncate':
      return bytes.subarray(0, mutation.at % (bytes.length + 1));
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at(mutation.at)), mutation.bytes, bytes.subarray(at(mutation.at))]);
    case 'duplicate': {
      const from = at(mutation.from);
      const piece = bytes.subarray(from, from + mutation.length);
      return Buffer.concat([bytes.subarray(0, at(mutation.to)), piece, bytes.subarray(at(mutation.to))]);
    }
  }
}

function writeChecksum(block: Buffer, at: number): void {
  block.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = at; i < at + BLOCK; i++) sum += block[i] as number;
  block.write(sum.toString(8).padStart(6, '0') + '\u0000 ', at + 148, 8, 'ascii');
}

const fieldMutation: fc.Arbitrary<TarMutation> = fc
  .constantFrom(...(Object.keys(FIELDS) as FieldName[]))
  .chain((field) =>
    fc.record({
      kind: fc.constant('field' as const),
      header: fc.nat(64),
      field: fc.constant(field),
      value: fc.oneof(fc.constantFrom(...valuesFor(field)), fc.string({ maxLength: 12 })),
      fixChecksum: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
    }),
  );

export const tarMutation: fc.Arbitrary<TarMutation> = fc.oneof(
  { arbitrary: fieldMutation, weight: 5 },
  {
    arbitrary: fc.record({
      kind: fc.constant('entry' as const),
      header: fc.nat(64),
      typeflag: fc.constantFrom('0', '1', '2', '2', '2', '5'),
      // Plain names half the time, so the hostile link target is what gets judged.
      name: fc.oneof(fc.constantFrom(...PLAIN_NAMES), fc.constantFrom(...HOSTILE_NAMES)),
      linkname: fc.oneof(fc.constantFrom(...HOSTILE_LINKS), fc.constantFrom(...HOSTILE_NAMES)),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('pax' as const),
      header: fc.nat(64),
      records: fc.array(fc.tuple(fc.constantFrom(...PAX_KEYS), fc.constantFrom(...PAX_VALUES)), {
        minLength: 1,
        maxLength: 3,
      }),
      global: fc.boolean(),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('splice' as const),
      from: fc.nat(),
      count: fc.integer({ min: 1, max: 4 }),
      to: fc.nat(),
      remove: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      blocks: fc.integer({ min: 1, max: 300 }),
      fill: fc.constantFrom(0, 0, 0x41),
    }),
    weight: 1,
  },
);

export const compressedMutation: fc.Arbitrary<CompressedMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
  }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    from: fc.nat(),
    length: fc.integer({ min: 1, max: 4096 }),
    to: fc.nat(),
  }),
);
