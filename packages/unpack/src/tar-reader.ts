/**
 * A streaming tar reader. It holds at most one header block and one pax
 * extended header (capped) in memory; file contents pass straight through to
 * the visitor, chunk by chunk, so memory does not depend on the archive.
 */
import { type SafeEntry, classifyEntry, printable } from './entry-policy.ts';
import { UnsafeArchiveError } from './errors.ts';
import { BLOCK, type RawHeader, decodeHeader, decodePaxRecords, isZeroBlock } from './tar-fields.ts';

export interface TarLimits {
  /** Entries (of every kind) the archive may hold. */
  maxEntries: number;
  /** Bytes the tar stream may expand to (headers, contents and padding). */
  maxBytes: number;
}

/** Receives a content sink for each file; other kinds need no content. */
export interface ContentSink {
  write(chunk: Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface TarVisitor {
  /** Called once per entry, in archive order; returns the sink for a file's content. */
  entry(entry: SafeEntry): Promise<ContentSink | undefined>;
}

export interface TarStats {
  entries: number;
  /** Bytes of the (decompressed) tar stream. */
  bytes: number;
}

// Enough for any real path and link target plus the usual pax keys.
const MAX_EXTENDED_HEADER = 1024 * 1024;
// tar writes whole records: after the two zero blocks it pads to the record
// size (10 KiB by default, 64 KiB with 'tar -b 128'). More than that is not
// padding, and is refused without waiting for the size cap.
export const MAX_END_PADDING = 64 * 1024;
// Records other tar readers would act on and we do not: a pax sparse map
// (GNU.sparse.*) turns the entry into another file; a global 'path', 'linkpath'
// or 'size' changes every entry after it.
const SPARSE_PAX_KEY = /^GNU\.sparse\./;
const GLOBAL_KEYS_REFUSED = new Set(['path', 'linkpath', 'size']);

type State =
  | { kind: 'header' }
  | { kind: 'extended'; typeflag: string; size: number; body: Buffer; filled: number }
  | { kind: 'content'; size: number; remaining: number; sink: ContentSink | undefined }
  | { kind: 'skip'; remaining: number }
  | { kind: 'zero' } // one zero block seen: the next must be zero too
  | { kind: 'end'; padding: number };

export async function readTar(
  source: AsyncIterable<Buffer>,
  visitor: TarVisitor,
  limits: TarLimits,
): Promise<TarStats> {
  const header = Buffer.alloc(BLOCK);
  let headerFilled = 0;
  let state: State = { kind: 'header' };
  let pax = new Map<string, string>();
  let gnuLongName: string | undefined;
  let gnuLongLink: string | undefined;
  const stats: TarStats = { entries: 0, bytes: 0 };

  async function onHeader(block: Buffer): Promise<State> {
    if (isZeroBlock(block)) return { kind: 'zero' };
    const raw = decodeHeader(block);
    if (raw.typeflag === 'x' || raw.typeflag === 'g' || raw.typeflag === 'L' || raw.typeflag === 'K') {
      if (raw.size > MAX_EXTENDED_HEADER) {
        throw new UnsafeArchiveError(
          `the archive has an extended header of ${raw.size} bytes (at most ${MAX_EXTENDED_HEADER})`,
        );
      }
      return { kind: 'extended', typeflag: raw.typeflag, size: raw.size, body: Buffer.alloc(raw.size), filled: 0 };
    }
    const sparse = [...pax.keys()].find((key) => SPARSE_PAX_KEY.test(key));
    const effective: RawHeader = {
      ...raw,
      name: pax.get('path') ?? gnuLongName ?? raw.name,
      linkname: pax.get('linkpath') ?? gnuLongLink ?? raw.linkname,
      size: pax.has('size') ? paxSize(pax.get('size') as string) : raw.size,
    };
    pax = new Map();
    gnuLongName = undefined;
    gnuLongLink = undefined;

    stats.entries += 1;
    if (stats.entries > limits.maxEntries) {
      throw new UnsafeArchiveError(`the archive has more than ${limits.maxEntries} entries (a possible archive bomb)`);
    }
    if (sparse !== undefined) {
      throw new UnsafeArchiveError(
        `'${printable(effective.name)}' is a GNU sparse file (pax record ${printable(sparse)}); a build may hold only files, folders and links. Pack it without --sparse.`,
      );
    }
    const entry = classifyEntry(effective);
    // Link and directory headers may carry a size; their content is skipped, never used.
    const dataSize =
      effective.typeflag === '1' || effective.typeflag === '2' || effective.typeflag === '5' ? 0 : effective.size;
    if (stats.bytes + dataSize > limits.maxBytes) {
      throw new UnsafeArchiveError(
        `the archive expands to more than ${limits.maxBytes} bytes (a possible archive bomb); refused before writing it`,
      );
    }
    const sink = entry === undefined ? undefined : await visitor.entry(entry);
    if (dataSize === 0) {
      await sink?.close();
      return { kind: 'header' };
    }
    return { kind: 'content', size: dataSize, remaining: dataSize, sink };
  }

  function onExtended(typeflag: string, body: Buffer): void {
    if (typeflag === 'x') pax = decodePaxRecords(body);
    else if (typeflag === 'L') gnuLongName = cString(body);
    else if (typeflag === 'K') gnuLongLink = cString(body);
    else if (typeflag === 'g') checkGlobalRecords(decodePaxRecords(body));
  }

  for await (const chunk of source) {
    stats.bytes += chunk.length;
    if (stats.bytes > limits.maxBytes) {
      throw new UnsafeArchiveError(
        `the archive expands to more than ${limits.maxBytes} bytes (a possible archive bomb)`,
      );
    }
    let offset = 0;
    while (offset < chunk.length) {
      switch (state.kind) {
        case 'header':
        case 'zero': {
          const n = chunk.copy(header, headerFilled, offset, offset + BLOCK - headerFilled);
          headerFilled += n;
          offset += n;
          if (headerFilled < BLOCK) break;
          headerFilled = 0;
          if (state.kind === 'zero') {
            if (!isZeroBlock(header))
              throw new UnsafeArchiveError('the archive has a lone zero block before more entries');
            state = { kind: 'end', padding: 0 };
          } else {
            state = await onHeader(header);
          }
          break;
        }
        case 'extended': {
          const n = chunk.copy(state.body, state.filled, offset, offset + state.size - state.filled);
          state.filled += n;
          offset += n;
          if (state.filled === state.size) {
            onExtended(state.typeflag, state.body);
            state = afterContent(state.size);
          }
          break;
        }
        case 'content': {
          const n = Math.min(state.remaining, chunk.length - offset);
          if (state.sink !== undefined) await state.sink.write(chunk.subarray(offset, offset + n));
          state.remaining -= n;
          offset += n;
          if (state.remaining === 0) {
            await state.sink?.close();
            state = afterContent(state.size);
          }
          break;
        }
        case 'skip': {
          const n = Math.min(state.remaining, chunk.length - offset);
          state.remaining -= n;
          offset += n;
          if (state.remaining === 0) state = { kind: 'header' };
          break;
        }
        case 'end': {
          // What follows the end marker is zero padding up to the record size; anything else is not ours.
          for (let i = offset; i < chunk.length; i++) {
            if (chunk[i] !== 0) throw new UnsafeArchiveError('the archive has data after its end-of-archive marker');
          }
          state.padding += chunk.length - offset;
          offset = chunk.length;
          if (state.padding > MAX_END_PADDING) {
            throw new UnsafeArchiveError(
              `the archive has more than ${MAX_END_PADDING} bytes of padding after its end-of-archive marker (a tar record is at most that)`,
            );
          }
          break;
        }
      }
    }
  }
  if (state.kind !== 'end' || headerFilled !== 0) {
    if (state.kind === 'content') await state.sink?.close();
    throw new UnsafeArchiveError('the archive is truncated: it ends before its end-of-archive marker');
  }
  return stats;
}

// Content is followed by zero bytes up to the next block boundary.
const paddingOf = (size: number): number => (size % BLOCK === 0 ? 0 : BLOCK - (size % BLOCK));

function afterContent(size: number): State {
  const pad = paddingOf(size);
  return pad === 0 ? { kind: 'header' } : { kind: 'skip', remaining: pad };
}

/** Global records are ignored, so those that would change the entries for other readers are refused. */
function checkGlobalRecords(records: Map<string, string>): void {
  for (const key of records.keys()) {
    if (GLOBAL_KEYS_REFUSED.has(key) || SPARSE_PAX_KEY.test(key)) {
      throw new UnsafeArchiveError(
        `the archive has a global pax record '${printable(key)}', which would change the entries after it for other tar readers`,
      );
    }
  }
}

function paxSize(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UnsafeArchiveError(`the archive has a malformed pax size '${value.slice(0, 40)}'`);
  }
  return Number(value);
}

function cString(body: Buffer): string {
  const end = body.indexOf(0);
  return body.subarray(0, end === -1 ? body.length : end).toString('utf8');
}
