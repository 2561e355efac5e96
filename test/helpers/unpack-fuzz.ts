/**
 * The unpacker under fuzzing: real archives as seeds (our packer's ustar+pax,
 * GNU tar's gnu, pax, ustar and v7 formats, a crafted one with links), each
 * mutated at the tar layer or in its gzip/zstd bytes, then unpacked, and the
 * invariants checked: every failure is one of the project's errors (never a
 * raw zlib/zstd or errno error), nothing is written outside the target, no
 * link that was made leaves it, and a failure leaves no target behind.
 * Shared by packages/unpack/__tests__/fuzz.test.ts and bench/fuzz-unpack.ts.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { collectEntries, packArchive, walk } from '@build-release-run/archive';
import { ConfigurationError } from '@build-release-run/contract';
import { UnpackError, unpackArchive } from '@build-release-run/unpack';
import {
  type CompressedMutation,
  type TarMutation,
  applyCompressedMutation,
  applyTarMutation,
  compressedMutation,
  headerOffsets,
  tarMutation,
} from './archive-mutations.ts';
import { compress, craftTar } from './crafted-tar.ts';
import { describeTree, makeTree } from './tree.ts';

export interface Seed {
  name: string;
  tar: Buffer;
  headers: number[];
}

export interface FuzzCase {
  seed: number;
  format: 'tar.gz' | 'tar.zst';
  tarMutations: TarMutation[];
  compressedMutations: CompressedMutation[];
  /** Pass the unmutated archive's digest as the expected one. */
  expectDigest: boolean;
}

export type OutcomeKind =
  | 'unpacked'
  | 'UnsafeArchiveError'
  | 'CorruptArchiveError'
  | 'DigestMismatchError'
  | 'UnpackFileSystemError'
  | 'ConfigurationError'
  | 'raw decompressor error'
  | 'unexpected exception';

export interface Outcome {
  kind: OutcomeKind;
  message?: string;
  /** Broken invariants; empty when the case is fine. */
  violations: string[];
}

// Small caps keep each case fast and bounded; the rules do not depend on them.
export const FUZZ_LIMITS = { maxEntries: 2_000, maxBytes: 32 * 1024 * 1024 };
export const ABSOLUTE_CANARY = '/tmp/brr-fuzz-absolute';

const SEED_TREE = {
  'app/server.js': 'console.log("hi")\n'.repeat(20),
  'app/bin/start': { content: '#!/bin/sh\nexec node server.js\n', mode: 0o755 },
  'app/empty': { dir: true },
  'app/bin/up': { symlink: '../server.js' },
  'app/link': { symlink: 'server.js' },
  [`app/${'long-name-'.repeat(12)}.txt`]: 'long\n',
  'app/data.bin': Buffer.alloc(3000, 0x5a),
} as const;

/** The seed archives, as uncompressed tar bytes. */
export async function makeSeeds(dir: string): Promise<Seed[]> {
  const source = path.join(dir, 'seed-src');
  await makeTree(source, SEED_TREE);
  const root = path.join(source, 'app');
  const packed = path.join(dir, 'seed.tar.gz');
  await packArchive({
    entries: await collectEntries(root, await walk(root)),
    format: 'tar.gz',
    mtime: 0,
    output: packed,
  });
  const seeds: Array<[string, Buffer]> = [['ours (ustar + pax)', gunzipSync(await readFile(packed))]];
  for (const format of ['gnu', 'posix', 'ustar', 'v7']) {
    const file = path.join(dir, `seed-${format}.tar`);
    // v7 and ustar cannot hold the 130-byte name: leave it out for them.
    const exclude = format === 'gnu' || format === 'posix' ? [] : ['--exclude=long-name-*'];
    execFileSync('tar', [`--format=${format}`, ...exclude, '-cf', file, '-C', root, '.']);
    seeds.push([`GNU tar --format=${format}`, await readFile(file)]);
  }
  seeds.push([
    'crafted (links, pax)',
    craftTar([
      { name: 'dir/', type: '5', mode: 0o755 },
      { name: 'dir/file', content: 'content' },
      { name: 'dir/hard', type: '1', linkname: 'dir/file' },
      { name: 'dir/sym', type: '2', linkname: 'file' },
      { name: 'x', content: 'pax named', pax: { path: 'dir/pax-named' } },
    ]),
  ]);
  return seeds.map(([name, tar]) => ({ name, tar, headers: headerOffsets(tar) }));
}

export function fuzzCase(seeds: number): fc.Arbitrary<FuzzCase> {
  return fc.record({
    seed: fc.nat(seeds - 1),
    format: fc.constantFrom('tar.gz' as const, 'tar.zst' as const),
    tarMutations: fc.array(tarMutation, { minLength: 0, maxLength: 3 }),
    compressedMutations: fc.oneof(
      { arbitrary: fc.constant<CompressedMutation[]>([]), weight: 3 },
      { arbitrary: fc.array(compressedMutation, { minLength: 1, maxLength: 2 }), weight: 1 },
    ),
    // Mostly without: a digest mismatch would hide what the reader made of the mutation.
    expectDigest: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
  });
}

/** The archive file bytes for a case, and the digest of the unmutated archive. */
export function archiveBytes(seed: Seed, c: FuzzCase): { bytes: Buffer; original: Buffer } {
  const original = compress(seed.tar, c.format);
  let tar = seed.tar;
  for (const mutation of c.tarMutations) tar = applyTarMutation(tar, seed.headers, mutation);
  let bytes = c.tarMutations.length > 0 ? compress(tar, c.format) : original;
  for (const mutation of c.compressedMutations) bytes = applyCompressedMutation(bytes, mutation);
  return { bytes, original };
}

/** Unpacks one case in `work` (emptied first) and checks the invariants. */
export async function runFuzzCase(seed: Seed, c: FuzzCase, work: string): Promise<Outcome> {
  await rm(work, { recursive: true, force: true });
  const target = path.join(work, 'target');
  await mkdir(path.join(work, 'outside'), { recursive: true });
  await writeFile(path.join(work, 'outside', 'sentinel'), 'untouched');
  const { bytes, original } = archiveBytes(seed, c);
  const archive = path.join(work, `archive.${c.format}`);
  await writeFile(archive, bytes);
  const before = await describeTree(work);
  const expectedDigest = `sha256:${createHash('sha256').update(original).digest('hex')}` as const;

  let outcome: Outcome;
  try {
    await unpackArchive({
      archive,
      format: c.format,
      directory: target,
      limits: FUZZ_LIMITS,
      ...(c.expectDigest ? { expectedDigest } : {}),
    });
    outcome = { kind: 'unpacked', violations: await linksLeaving(target) };
  } catch (error) {
    outcome = classify(error);
    if (existsSync(target)) outcome.violations.push('a failed unpack left its target folder behind');
  }
  const after = (await describeTree(work)).filter((line) => line !== 'target/' && !line.startsWith('target/'));
  if (JSON.stringify(after) !== JSON.stringify(before)) {
    outcome.violations.push(`something was written outside the target: ${diff(before, after).join(', ')}`);
  }
  if (existsSync(ABSOLUTE_CANARY)) outcome.violations.push(`${ABSOLUTE_CANARY} was written`);
  return outcome;
}

function classify(error: unknown): Outcome {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UnpackError) return { kind: error.name as OutcomeKind, message, violations: [] };
  if (error instanceof ConfigurationError) return { kind: 'ConfigurationError', message, violations: [] };
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^(Z_|ZSTD_)/.test(code)) {
    return { kind: 'raw decompressor error', message, violations: [`a raw decompressor error: ${code} ${message}`] };
  }
  return { kind: 'unexpected exception', message, violations: [`not one of the project's errors: ${message}`] };
}

/** Every symlink below `root` must resolve inside it, lexically and on disk; no setuid/setgid/sticky bit. */
async function linksLeaving(root: string): Promise<string[]> {
  const problems: string[] = [];
  const realRoot = await realpath(root);
  const inside = (p: string) => p === realRoot || p.startsWith(`${realRoot}${path.sep}`);
  async function visit(dir: string): Promise<void> {
    for (const name of await readdir(dir)) {
      const full = path.join(dir, name);
      const stats = await lstat(full);
      if ((stats.mode & 0o7000) !== 0) problems.push(`${full} kept a setuid/setgid/sticky bit`);
      if (stats.isSymbolicLink()) {
        const target = await readlink(full);
        if (!inside(path.resolve(dir, target))) problems.push(`the link ${full} -> ${target} leaves the target`);
        const real = await realpath(full).catch(() => undefined);
        if (real !== undefined && !inside(real)) problems.push(`the link ${full} resolves to ${real}`);
      } else if (stats.isDirectory()) {
        await visit(full);
      }
    }
  }
  await visit(realRoot);
  return problems;
}

function diff(before: string[], after: string[]): string[] {
  const old = new Set(before);
  const now = new Set(after);
  return [
    ...after.filter((l) => !old.has(l)).map((l) => `+${l}`),
    ...before.filter((l) => !now.has(l)).map((l) => `-${l}`),
  ]
    .map((line) => line.slice(0, 120))
    .slice(0, 5);
}
