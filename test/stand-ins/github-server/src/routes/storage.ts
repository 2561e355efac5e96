/**
 * What GitHub serves outside its API host: the storage host that a 302 from
 * an asset download points at (signed, short-lived URLs, no auth), and the
 * `browser_download_url` of published releases.
 */
import type { ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type FaultController, waitOutSlow } from '../faults.ts';
import { storageUrl } from '../handlers/assets.ts';
import type { RepositoryState } from '../model.ts';
import type { Urls } from '../serialize.ts';
import { InjectedFault, type AssetStorage } from '../storage.ts';

export interface StorageDeps {
  storage: AssetStorage;
  faults: FaultController;
  repos: Map<string, RepositoryState>;
  urls: Urls;
}

export async function serveStorage(
  { storage, faults }: StorageDeps,
  res: ServerResponse,
  url: URL,
  method: string,
): Promise<void> {
  const m = /^\/_storage\/assets\/(\d+)\//.exec(url.pathname);
  const asset = m ? storage.asset(Number(m[1])) : undefined;
  const expires = Number(url.searchParams.get('expires'));
  if (asset === undefined || !storage.verify(asset.id, expires, url.searchParams.get('signature') ?? '')) {
    res.writeHead(403, { 'content-type': 'text/plain' });
    res.end('Request has expired or its signature is invalid\n');
    return;
  }
  const active = faults.onRequest('storage', method);
  if (!(await waitOutSlow(active, res))) return;
  const statusFault = active.get('status');
  if (statusFault !== undefined) {
    res.writeHead(statusFault.status ?? 500, { 'content-type': 'text/plain' });
    res.end('Server Error\n');
    return;
  }
  asset.downloadCount++;
  const size = await storage.size(asset.id);
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(size),
    'content-disposition': `attachment; filename="${asset.name.replace(/"/g, '')}"`,
  });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  const reset = active.get('reset');
  let sent = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (reset !== undefined && sent + chunk.length >= (reset.afterBytes ?? 0)) {
        const part = chunk.subarray(0, Math.max((reset.afterBytes ?? 0) - sent, 0));
        sent += part.length;
        this.push(part);
        callback(new InjectedFault(`connection reset after ${sent} bytes`));
        return;
      }
      sent += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    await pipeline(storage.read(asset.id), limiter, res);
  } catch {
    res.destroy();
  }
}

export function browserDownloadRedirect(
  { storage, repos, urls }: StorageDeps,
  res: ServerResponse,
  [owner, name, tag, assetName]: [string, string, string, string],
): void {
  const repo = repos.get(`${owner}/${name}`.toLowerCase());
  const release = repo && [...repo.releases.values()].find((r) => !r.draft && r.tagName === tag);
  const asset = release?.assetIds
    .map((id) => storage.asset(id))
    .find((a) => a?.name === assetName && a.state === 'uploaded');
  if (asset === undefined) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found\n');
    return;
  }
  res.writeHead(302, { location: storageUrl({ urls, storage }, asset), 'content-length': '0' });
  res.end();
}
