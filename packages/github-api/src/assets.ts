/**
 * Streaming asset transfer. Uploads go to the release's own `upload_url`
 * (uploads.github.com on github.com, another host on GitHub Enterprise Server)
 * with the body read from disk as it is sent; downloads follow GitHub's 302 to
 * storage and go straight to disk. Memory stays flat whatever the size.
 */
import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ApiClient } from './client.ts';
import { GitHubApiError, describeThrown } from './errors.ts';
import { FileSink } from './file-sink.ts';
import { FileBody, nodeBodyOf } from './transport.ts';
import type { ReleaseAsset } from './types.ts';

export interface AssetSource {
  name: string;
  contentType?: string;
  /** A file streamed from disk... */
  file?: string;
  /** ...or small bytes held in memory (manifest, checksums). */
  bytes?: Uint8Array;
  size: number;
  /** `sha256:<hex>` of the bytes: an uploaded leftover with this digest is kept. */
  digest?: string;
}

/** The upload URL for one asset name: the RFC 6570 `{?name,label}` suffix filled in. */
export function assetUploadUrl(uploadUrl: string, name: string): string {
  const base = uploadUrl.replace(/\{[^}]*\}$/, '');
  return `${base}${base.includes('?') ? '&' : '?'}name=${encodeURIComponent(name)}`;
}

// Small assets go as one buffer: an empty stream body leaves some servers
// waiting for bytes that never come.
function body(source: AssetSource, onProgress?: (done: number, total: number) => void): FileBody | Buffer {
  if (source.file !== undefined) return new FileBody(source.file, source.size, onProgress);
  return Buffer.from(source.bytes ?? new Uint8Array());
}

/**
 * Uploads one asset, retrying by the client's policy. Before a retry the
 * release's assets are listed: a leftover of this name in state `starter`
 * (a cut upload) is deleted first, and one fully uploaded with our digest
 * means the lost response had in fact succeeded.
 */
export async function uploadAsset(
  client: ApiClient,
  release: { id: number; upload_url: string },
  source: AssetSource,
  listAssets: () => Promise<ReleaseAsset[]>,
  deleteAsset: (id: number) => Promise<void>,
): Promise<ReleaseAsset> {
  const url = assetUploadUrl(release.upload_url, source.name);
  const route = `POST ${url}`;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await client.once<ReleaseAsset>(route, {
        headers: {
          'content-type': source.contentType ?? 'application/octet-stream',
          // A streamed body needs its length said up front (GitHub refuses chunked uploads).
          ...(source.file !== undefined ? { 'content-length': String(source.size) } : {}),
        },
        data: body(source, client.transferProgress?.(`Uploading ${source.name}`)),
        request: { fetch: client.transport.streamingFetch },
      });
      return response.data;
    } catch (error) {
      if (!(error instanceof GitHubApiError)) throw error;
      const duplicate = error.status === 422 && error.codes.includes('already_exists');
      if (!duplicate) await client.pauseBeforeRetry(error, attempt, route);
      const leftover = (await listAssets()).find((asset) => asset.name === source.name);
      if (leftover && isSame(leftover, source)) return leftover;
      if (leftover) await deleteAsset(leftover.id);
      else if (duplicate) throw error;
      if (duplicate && attempt > client.policy.retries) throw error;
    }
  }
}

function isSame(asset: ReleaseAsset, source: AssetSource): boolean {
  if (asset.state !== 'uploaded' || asset.size !== source.size) return false;
  return !asset.digest || !source.digest || asset.digest === source.digest;
}

/** More bytes arrived than the asset's listed size: cut at once, never retried. */
export class AssetTooLargeError extends Error {
  override readonly name = 'AssetTooLargeError';
}

class Measure extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  readonly #total: number;
  readonly #onProgress: ((done: number, total: number) => void) | undefined;
  readonly #limit: { bytes: number; name: string } | undefined;
  constructor(
    total: number,
    onProgress?: (done: number, total: number) => void,
    limit?: { bytes: number; name: string },
  ) {
    super();
    this.#total = total;
    this.#onProgress = onProgress;
    this.#limit = limit;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#limit !== undefined && this.size + chunk.length > this.#limit.bytes) {
      const { bytes, name } = this.#limit;
      callback(new AssetTooLargeError(`${name}: GitHub lists ${bytes} bytes, but more were sent; refusing the rest`));
      return;
    }
    this.hash.update(chunk);
    this.size += chunk.length;
    this.#onProgress?.(this.size, this.#total);
    callback(null, chunk);
  }
}

/**
 * Downloads an asset's bytes to `destination`, following the 302 to storage,
 * hashing as it writes. A cut transfer starts again from the first byte.
 * `name` labels the progress lines.
 */
export async function downloadAsset(
  client: ApiClient,
  assetId: number,
  destination: string,
  name = `asset ${assetId}`,
  /** The asset's listed size: a byte more and the download stops (a flood is never stored). */
  maxBytes?: number,
): Promise<{ size: number; digest: string }> {
  const route = 'GET /repos/{owner}/{repo}/releases/assets/{asset_id}';
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await client.once<WebReadableStream<Uint8Array> | ArrayBuffer | null>(route, {
        asset_id: assetId,
        headers: { accept: 'application/octet-stream' },
        request: { parseSuccessResponseBody: false, fetch: client.transport.streamingFetch },
      });
      const length = Number(response.headers['content-length'] ?? 0);
      const measure = new Measure(
        Number.isSafeInteger(length) && length > 0 ? length : 0,
        client.transferProgress?.(`Downloading ${name}`),
        maxBytes === undefined ? undefined : { bytes: maxBytes, name },
      );
      const data = response.data;
      const source =
        data === null
          ? Readable.from([])
          : data instanceof ArrayBuffer
            ? Readable.from([Buffer.from(data)])
            : (nodeBodyOf(data) ?? Readable.fromWeb(data));
      const deadline = client.deadline;
      if (deadline && !deadline.passed) deadline.waitingFor = `the bytes of ${name} (${route})`;
      try {
        await pipeline(source, measure, new FileSink(destination));
        if (deadline && !deadline.passed) deadline.waitingFor = undefined;
      } catch (error) {
        if (deadline?.passed) throw deadline.signal.reason as Error;
        if (error instanceof AssetTooLargeError) throw error;
        throw new GitHubApiError(route, 0, `download cut: ${describeThrown(error).message}`, [], error);
      }
      return { size: measure.size, digest: `sha256:${measure.hash.digest('hex')}` };
    } catch (error) {
      if (!(error instanceof GitHubApiError)) throw error;
      await client.pauseBeforeRetry(error, attempt, route);
    }
  }
}
