/** Release assets: upload (on the uploads base), list, get, download (302), update, delete. */
import type { Exchange, Handler } from '../exchange.ts';
import { ApiError, DEFAULT_DOCS, notFound, paginate, timestamp, unprocessable, validationFailed } from '../http.ts';
import type { Asset, Release } from '../model.ts';
import { assetJson } from '../serialize.ts';
import { InjectedFault } from '../storage.ts';
import { findRelease, releaseAssets } from './releases.ts';

/** How long a storage URL from a 302 stays valid (GitHub's are short-lived too). */
const STORAGE_URL_SECONDS = 300;

function findAsset(x: Exchange): { asset: Asset; release: Release } {
  const asset = x.storage.asset(Number(x.params.asset_id));
  const release = asset === undefined ? undefined : x.repo.releases.get(asset.releaseId);
  if (asset === undefined || release === undefined || asset.repo !== x.repo.fullName)
    throw notFound(x.op.documentationUrl);
  return { asset, release };
}

export function storageUrl(x: Pick<Exchange, 'urls' | 'storage'>, asset: Asset): string {
  const expires = Math.floor(Date.now() / 1000) + STORAGE_URL_SECONDS;
  const signature = x.storage.sign(asset.id, expires);
  return `${x.urls.api}/_storage/assets/${asset.id}/${encodeURIComponent(asset.name)}?expires=${expires}&signature=${signature}`;
}

function alreadyExists(x: Exchange, requestId: string): ApiError {
  // The recorded GitHub answer carries request_id beside the usual fields.
  return new ApiError(422, {
    message: 'Validation Failed',
    request_id: requestId,
    documentation_url: x.op.documentationUrl,
    errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
  });
}

const uploadReleaseAsset: Handler = async (x) => {
  const release = findRelease(x, x.params.release_id);
  const name = String(x.params.name);
  const requestId = String(x.res.getHeader('x-github-request-id') ?? '');
  const asset = await x.repo.lock.run(async () => {
    if (release.immutable) throw unprocessable('Cannot upload assets to an immutable release.', DEFAULT_DOCS);
    if (releaseAssets(x, release).some((a) => a.name === name)) throw alreadyExists(x, requestId);
    const now = timestamp();
    // Reserved before the bytes arrive: a failed upload leaves it behind in
    // state "starter", holding the name until it is deleted (as on GitHub).
    const id = x.ids.next();
    const reserved: Asset = {
      id,
      repo: x.repo.fullName,
      releaseId: release.id,
      name,
      label: typeof x.params.label === 'string' ? x.params.label : null,
      contentType: x.req.headers['content-type'] ?? 'application/octet-stream',
      state: 'starter',
      size: 0,
      digest: null,
      downloadCount: 0,
      createdAt: now,
      updatedAt: now,
      file: x.storage.fileFor(id),
    };
    x.storage.add(reserved);
    release.assetIds.push(reserved.id);
    return reserved;
  });
  const reset = x.faults.get('reset');
  const starter = x.faults.get('upload-starter-502');
  let written: { size: number; digest: string };
  const socket = x.req.socket;
  try {
    written = await x.storage.write(asset.id, x.req, reset === undefined ? undefined : (reset.afterBytes ?? 0));
  } catch (error) {
    // An injected reset or a client that went away: the asset stays a starter.
    if (!(error instanceof InjectedFault)) x.req.resume();
    socket.destroy();
    return;
  }
  if (starter !== undefined) {
    // The bytes arrived but the asset never left "starter": what a failed upload leaves on GitHub.
    throw new ApiError(502, { message: 'Server Error', documentation_url: DEFAULT_DOCS, status: '502' });
  }
  asset.state = 'uploaded';
  asset.size = written.size;
  asset.digest = written.digest;
  asset.updatedAt = timestamp();
  x.json(201, assetJson(x.urls, x.repo, release, asset));
};

const listReleaseAssets: Handler = async (x) => {
  const release = findRelease(x, x.params.release_id);
  const perPage = Number(x.params.per_page ?? 30);
  const page = Number(x.params.page ?? 1);
  const { items, link } = paginate(
    releaseAssets(x, release),
    perPage,
    page,
    (p) => `${x.urls.api}/repos/${x.repo.fullName}/releases/${release.id}/assets?per_page=${perPage}&page=${p}`,
  );
  x.json(
    200,
    items.map((a) => assetJson(x.urls, x.repo, release, a)),
    link === undefined ? {} : { link },
  );
};

const getReleaseAsset: Handler = async (x) => {
  const { asset, release } = findAsset(x);
  if (/application\/octet-stream/.test(x.req.headers.accept ?? '')) {
    if (asset.state !== 'uploaded') throw notFound(x.op.documentationUrl);
    x.empty(302, { location: storageUrl(x, asset) });
    return;
  }
  x.json(200, assetJson(x.urls, x.repo, release, asset));
};

const updateReleaseAsset: Handler = (x) =>
  x.repo.lock.run(async () => {
    const { asset, release } = findAsset(x);
    if (release.immutable) throw unprocessable('Cannot modify assets of an immutable release.', DEFAULT_DOCS);
    const body = x.body as { name?: string; label?: string };
    if (body.name !== undefined && body.name !== asset.name) {
      if (releaseAssets(x, release).some((a) => a.name === body.name)) {
        throw validationFailed(
          [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
          x.op.documentationUrl,
        );
      }
      asset.name = body.name;
    }
    if (body.label !== undefined) asset.label = body.label;
    asset.updatedAt = timestamp();
    x.json(200, assetJson(x.urls, x.repo, release, asset));
  });

const deleteReleaseAsset: Handler = (x) =>
  x.repo.lock.run(async () => {
    const { asset, release } = findAsset(x);
    if (release.immutable) throw unprocessable('Cannot delete assets of an immutable release.', DEFAULT_DOCS);
    release.assetIds = release.assetIds.filter((id) => id !== asset.id);
    await x.storage.forget(asset.id);
    x.empty(204);
  });

export const assetHandlers = {
  'repos/upload-release-asset': uploadReleaseAsset,
  'repos/list-release-assets': listReleaseAssets,
  'repos/get-release-asset': getReleaseAsset,
  'repos/update-release-asset': updateReleaseAsset,
  'repos/delete-release-asset': deleteReleaseAsset,
} satisfies Record<string, Handler>;
