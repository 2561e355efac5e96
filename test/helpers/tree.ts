/** Test helpers to make and compare file trees. */
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readlink, readdir, rm, symlink, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function tempDir(prefix = 'brr-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export type TreeSpec = Record<
  string,
  string | Buffer | { content: string | Buffer; mode?: number } | { symlink: string } | { dir: true }
>;

/** Creates the tree in the order given. */
export async function makeTree(root: string, spec: TreeSpec): Promise<void> {
  for (const [name, value] of Object.entries(spec)) {
    const full = path.join(root, name);
    await mkdir(path.dirname(full), { recursive: true });
    if (typeof value === 'string' || Buffer.isBuffer(value)) await writeFile(full, value);
    else if ('symlink' in value) await symlink(value.symlink, full);
    else if ('dir' in value) await mkdir(full, { recursive: true });
    else {
      await writeFile(full, value.content);
      if (value.mode !== undefined) await chmod(full, value.mode);
    }
  }
}

/**
 * Describes a tree as lines "path type detail" sorted by path: content for
 * files with the executable bit, targets for symlinks. Two trees with equal
 * descriptions are identical for a build.
 */
export async function describeTree(root: string): Promise<string[]> {
  const lines: string[] = [];
  async function visit(dir: string): Promise<void> {
    for (const name of await readdir(dir)) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      const stats = await lstat(full);
      if (stats.isSymbolicLink()) lines.push(`${rel} -> ${await readlink(full)}`);
      else if (stats.isDirectory()) {
        lines.push(`${rel}/`);
        await visit(full);
      } else {
        const exec = (stats.mode & 0o100) !== 0 ? 'x' : '-';
        lines.push(`${rel} ${exec} ${(await readFile(full)).toString('base64')}`);
      }
    }
  }
  await visit(root);
  return lines.sort();
}

export function sha256sum(file: string): string {
  return execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0] as string;
}
