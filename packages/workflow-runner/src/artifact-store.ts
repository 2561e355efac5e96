// The workflow's artifact storage, as a folder: one folder a run, one folder
// an artifact (its files, and artifact.json with its id and digest). GitHub
// stores a zip; here an artifact is "a folder of files", and an unarchived
// artifact (upload-artifact `archive: false`) is its single file as uploaded.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface StoredArtifact {
  id: number;
  name: string;
  runId: string;
  /** sha256 hex of what was uploaded (see digestOf). */
  digest: string;
  archived: boolean;
  size: number;
  /** Folder holding the artifact's files. */
  filesDir: string;
}

export interface UploadEntry {
  /** Path inside the artifact, '/'-separated. */
  name: string;
  source: string;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The digest the store reports. For an unarchived artifact it is, as on
 * GitHub, the sha256 of the file's bytes. For a folder artifact GitHub hashes
 * the zip it built; with no zip here, the store hashes a sorted listing of
 * "sha256  name" lines, which changes whenever any file or name does.
 */
async function digestOf(entries: UploadEntry[], archived: boolean): Promise<string> {
  if (!archived) return sha256File(entries[0]!.source);
  const lines: string[] = [];
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    lines.push(`${await sha256File(entry.source)}  ${entry.name}\n`);
  }
  return createHash('sha256').update(lines.join('')).digest('hex');
}

export class ArtifactStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  private runDir(runId: string): string {
    return path.join(this.root, `run-${runId}`);
  }

  private async nextId(): Promise<number> {
    await mkdir(this.root, { recursive: true });
    const counter = path.join(this.root, 'last-id');
    let last = 0;
    try {
      last = Number(await readFile(counter, 'utf8')) || 0;
    } catch {
      // first artifact
    }
    await writeFile(counter, String(last + 1));
    return last + 1;
  }

  async find(runId: string, name: string): Promise<StoredArtifact | undefined> {
    try {
      const meta = JSON.parse(await readFile(path.join(this.runDir(runId), name, 'artifact.json'), 'utf8')) as Omit<
        StoredArtifact,
        'filesDir'
      >;
      return { ...meta, filesDir: path.join(this.runDir(runId), name, 'files') };
    } catch {
      return undefined;
    }
  }

  async list(runId: string): Promise<StoredArtifact[]> {
    let names: string[];
    try {
      names = await readdir(this.runDir(runId));
    } catch {
      return [];
    }
    const found: StoredArtifact[] = [];
    for (const name of names.sort()) {
      const artifact = await this.find(runId, name);
      if (artifact) found.push(artifact);
    }
    return found;
  }

  async upload(
    runId: string,
    name: string,
    entries: UploadEntry[],
    options: { archived: boolean; overwrite: boolean },
  ): Promise<StoredArtifact> {
    const dir = path.join(this.runDir(runId), name);
    if (await this.find(runId, name)) {
      if (!options.overwrite) {
        throw new Error(
          `Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run`,
        );
      }
      await rm(dir, { recursive: true, force: true });
    }
    const filesDir = path.join(dir, 'files');
    await mkdir(filesDir, { recursive: true });
    let size = 0;
    for (const entry of entries) {
      const target = path.join(filesDir, ...entry.name.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await cp(entry.source, target);
      size += (await stat(target)).size;
    }
    const meta = {
      id: await this.nextId(),
      name,
      runId,
      digest: await digestOf(entries, options.archived),
      archived: options.archived,
      size,
    };
    await writeFile(path.join(dir, 'artifact.json'), `${JSON.stringify(meta, null, 2)}\n`);
    return { ...meta, filesDir };
  }

  /** Copies an artifact's files into `target`. */
  async download(artifact: StoredArtifact, target: string): Promise<void> {
    await mkdir(target, { recursive: true });
    await cp(artifact.filesDir, target, { recursive: true });
  }
}
