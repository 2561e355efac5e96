/**
 * Generates a tree of JavaScript-like text files for benchmarks: seeded, so
 * every run and every machine gets the same bytes; cached under .bench/.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const WORDS = [
  'const',
  'let',
  'function',
  'return',
  'await',
  'async',
  'import',
  'export',
  'from',
  'if',
  'else',
  'for',
  'while',
  'new',
  'this',
  'class',
  'extends',
  'null',
  'undefined',
  'true',
  'false',
  'typeof',
  '=>',
  '===',
  '!==',
  '&&',
  '||',
  '+=',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ';',
  ',',
  '.',
  'value',
  'result',
  'error',
  'request',
  'response',
  'config',
  'options',
  'handler',
  'element',
  'index',
  'length',
  'push',
  'map',
  'filter',
  'reduce',
  'Promise',
  'resolve',
  'reject',
  'console.log',
  'JSON.stringify',
  'Object.keys',
  'Array.from',
  'module',
  'exports',
  'require',
  'process.env',
  'buffer',
  'stream',
  'callback',
  'state',
  'props',
  'render',
  'update',
];

/** A small, fast, seeded PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sourceText(next: () => number, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const indent = '  '.repeat(Math.floor(next() * 4));
    const count = 3 + Math.floor(next() * 10);
    const words: string[] = [];
    for (let i = 0; i < count; i++) {
      const word = WORDS[Math.floor(next() * WORDS.length)] as string;
      // Some identifiers carry numbers, as minified or generated code does.
      words.push(next() < 0.15 ? `${word}${Math.floor(next() * 100000)}` : word);
    }
    const line = indent + words.join(' ');
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

/** Makes (or reuses) a tree of about `totalBytes` in `files` files below `dir`. */
export async function ensureTree(dir: string, totalBytes: number, files: number): Promise<void> {
  const marker = path.join(dir, '.complete');
  if (existsSync(marker)) return;
  await rm(dir, { recursive: true, force: true });
  const next = random(totalBytes ^ files);
  const perFile = Math.max(1, Math.floor(totalBytes / files));
  for (let i = 0; i < files; i++) {
    const folder = path.join(dir, `pkg${i % 50}`, `mod${i % 7}`);
    await mkdir(folder, { recursive: true });
    // Sizes vary around the mean, as real sources do.
    const size = Math.floor(perFile * (0.5 + next()));
    await writeFile(path.join(folder, `file${i}.js`), sourceText(next, size));
  }
  await writeFile(marker, '');
}
