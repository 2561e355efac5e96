// What the artifact service knows about each artifact of each workflow run,
// kept in one JSON file so that runs sharing a folder see each other's
// artifacts (download-artifact's `run-id`). The bytes are in blob storage.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ArtifactRecord {
  /** GitHub's artifact id (the `artifact-id` output), unique across runs. */
  databaseId: number;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  name: string;
  /** Where the bytes are, in the service's container. */
  blobName: string;
  mimeType: string;
  createdAt: string;
  /** ISO time after which the artifact is gone. */
  expiresAt: string;
  /** Set by FinalizeArtifact: until then the artifact is not listed. */
  finalized: boolean;
  size: number;
  /** `sha256:<hex>` as the uploader reported it, when it did. */
  digest?: string;
}

/** GitHub keeps artifacts 90 days unless the upload asks for less. */
export const DEFAULT_RETENTION_DAYS = 90;

interface Saved {
  lastId: number;
  artifacts: ArtifactRecord[];
}

export function isLive(record: ArtifactRecord, now: Date): boolean {
  return record.finalized && Date.parse(record.expiresAt) > now.getTime();
}

/** The blob an artifact's bytes go to: a zip keeps `.zip`, which download-artifact reads as "unzip me". */
export function blobNameFor(runBackendId: string, databaseId: number, name: string, mimeType: string): string {
  const file = mimeType === 'application/zip' && !name.endsWith('.zip') ? `${name}.zip` : name;
  return `${runBackendId}/${databaseId}/${file}`;
}

export class ArtifactRecords {
  readonly #file: string;
  #saved: Saved = { lastId: 0, artifacts: [] };
  #saving: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    this.#file = file;
  }

  static async open(dir: string): Promise<ArtifactRecords> {
    await mkdir(dir, { recursive: true });
    const records = new ArtifactRecords(path.join(dir, 'artifacts.json'));
    try {
      records.#saved = JSON.parse(await readFile(records.#file, 'utf8')) as Saved;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    return records;
  }

  /** Live artifacts of a run, oldest first. */
  list(runBackendId: string, now: Date): ArtifactRecord[] {
    return this.#saved.artifacts.filter((a) => a.workflowRunBackendId === runBackendId && isLive(a, now));
  }

  /** The run's artifact of that name, finalized or not (expired ones are gone). */
  find(runBackendId: string, name: string, now: Date): ArtifactRecord | undefined {
    return this.#saved.artifacts.find(
      (a) => a.workflowRunBackendId === runBackendId && a.name === name && Date.parse(a.expiresAt) > now.getTime(),
    );
  }

  async add(record: Omit<ArtifactRecord, 'databaseId' | 'blobName'>): Promise<ArtifactRecord> {
    const databaseId = this.#saved.lastId + 1;
    const full = {
      ...record,
      databaseId,
      blobName: blobNameFor(record.workflowRunBackendId, databaseId, record.name, record.mimeType),
    };
    this.#saved = { lastId: databaseId, artifacts: [...this.#saved.artifacts, full] };
    await this.#save();
    return full;
  }

  async update(record: ArtifactRecord): Promise<void> {
    this.#saved.artifacts = this.#saved.artifacts.map((a) => (a.databaseId === record.databaseId ? record : a));
    await this.#save();
  }

  async remove(record: ArtifactRecord): Promise<void> {
    this.#saved.artifacts = this.#saved.artifacts.filter((a) => a.databaseId !== record.databaseId);
    await this.#save();
  }

  /** Writes are queued: concurrent requests must not interleave two writes of the file. */
  #save(): Promise<void> {
    const text = `${JSON.stringify(this.#saved, null, 2)}\n`;
    const temporary = `${this.#file}.${process.pid}.tmp`;
    this.#saving = this.#saving
      .catch(() => undefined)
      .then(async () => {
        await writeFile(temporary, text);
        await rename(temporary, this.#file);
      });
    return this.#saving;
  }
}
