/** Releases: create, get, get by tag, latest, list, update/publish, delete; the immutable-releases check. */
import type { Exchange, Handler } from '../exchange.ts';
import { notFound, paginate, timestamp, tooLong, validationFailed } from '../http.ts';
import type { Asset, Release, RepositoryState } from '../model.ts';
import { releaseJson } from '../serialize.ts';

export function releaseAssets(x: Exchange, release: Release): Asset[] {
  return release.assetIds.map((id) => x.storage.asset(id)).filter((a): a is Asset => a !== undefined);
}

function sendRelease(x: Exchange, status: 200 | 201, release: Release): void {
  const json = releaseJson(x.urls, x.repo, release, releaseAssets(x, release));
  if (status === 201) x.created(json);
  else x.json(status, json);
}

export function findRelease(x: Exchange, id: unknown): Release {
  const release = x.repo.releases.get(Number(id));
  // "Only users with push access will receive listings for draft releases."
  if (release === undefined || (release.draft && !x.canPush)) throw notFound(x.op.documentationUrl);
  return release;
}

function publishedWithTag(repo: RepositoryState, tag: string, except?: number): Release | undefined {
  return [...repo.releases.values()].find((r) => !r.draft && r.tagName === tag && r.id !== except);
}

/**
 * What GitHub does when a release becomes published: the tag must exist
 * (created at target_commitish when missing), no other published release may
 * hold it, and under immutable releases it becomes immutable.
 */
async function publish(x: Exchange, release: Release): Promise<void> {
  const { repo } = x;
  if (publishedWithTag(repo, release.tagName, release.id) !== undefined) {
    throw validationFailed([{ resource: 'Release', code: 'already_exists', field: 'tag_name' }], x.op.documentationUrl);
  }
  if (repo.immutableTags.has(release.tagName)) {
    throw validationFailed(
      [
        {
          resource: 'Release',
          code: 'custom',
          field: 'tag_name',
          message: 'tag_name was used by an immutable release',
        },
      ],
      x.op.documentationUrl,
    );
  }
  const tagRef = `refs/tags/${release.tagName}`;
  // target_commitish is "unused if the Git tag already exists"; creating the
  // ref is atomic, and losing a race to a concurrent creation is fine.
  const commit = await repo.git.resolveCommit(release.targetCommitish);
  if (commit !== undefined) await repo.git.createRef(tagRef, commit);
  else if ((await repo.git.getRef(tagRef)) === undefined) {
    throw validationFailed(
      [{ resource: 'Release', code: 'invalid', field: 'target_commitish' }],
      x.op.documentationUrl,
    );
  }
  release.draft = false;
  release.publishedAt = timestamp();
  if (repo.immutableReleases) {
    release.immutable = true;
    repo.immutableTags.add(release.tagName);
  }
}

function applyMakeLatest(repo: RepositoryState, release: Release, makeLatest: unknown): void {
  if (release.draft || release.prerelease) return;
  if (makeLatest === 'false') return;
  if (makeLatest === 'legacy') repo.latestReleaseId = undefined;
  else repo.latestReleaseId = release.id;
}

function checkTagName(x: Exchange, tag: string): void {
  if (tag.trim() === '' || /[\s~^:?*[\\]|\.\.|^\/|\/$|\.lock$|@\{/.test(tag)) {
    throw validationFailed([{ resource: 'Release', code: 'invalid', field: 'tag_name' }], x.op.documentationUrl);
  }
}

/** GitHub caps release notes at 125,000 characters. */
const MAX_BODY = 125_000;

function checkBody(x: Exchange, body: string | undefined): void {
  const error = tooLong('Release', 'body', body, MAX_BODY, x.op.documentationUrl);
  if (error) throw error;
}

/** The fields a release is created (tag_name required) or updated with. */
interface ReleaseFields {
  tag_name?: string;
  target_commitish?: string;
  name?: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
  make_latest?: string;
}

const createRelease: Handler = (x) =>
  x.repo.lock.run(async () => {
    const body = x.body as ReleaseFields & { tag_name: string };
    checkTagName(x, body.tag_name);
    checkBody(x, body.body);
    const now = timestamp();
    const release: Release = {
      id: x.ids.next(),
      tagName: body.tag_name,
      targetCommitish: body.target_commitish ?? (await x.repo.git.defaultBranch()),
      name: body.name ?? null,
      body: body.body ?? null,
      draft: true,
      prerelease: body.prerelease ?? false,
      immutable: false,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
      assetIds: [],
    };
    if (body.draft !== true) await publish(x, release);
    x.repo.releases.set(release.id, release);
    applyMakeLatest(x.repo, release, body.make_latest);
    sendRelease(x, 201, release);
  });

const getRelease: Handler = async (x) => {
  sendRelease(x, 200, findRelease(x, x.params.release_id));
};

const getReleaseByTag: Handler = async (x) => {
  // Drafts have no tag yet: GitHub never returns them here.
  const release = publishedWithTag(x.repo, String(x.params.tag));
  if (release === undefined) throw notFound(x.op.documentationUrl);
  sendRelease(x, 200, release);
};

/** The latest release: the one `make_latest` chose, else the newest full release. */
export function latestRelease(repo: RepositoryState): Release | undefined {
  const chosen = repo.latestReleaseId === undefined ? undefined : repo.releases.get(repo.latestReleaseId);
  if (chosen !== undefined && !chosen.draft && !chosen.prerelease) return chosen;
  return [...repo.releases.values()]
    .filter((r) => !r.draft && !r.prerelease)
    .sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? '') || a.id - b.id)
    .at(-1);
}

const getLatestRelease: Handler = async (x) => {
  const release = latestRelease(x.repo);
  if (release === undefined) throw notFound(x.op.documentationUrl);
  sendRelease(x, 200, release);
};

/** 200 when the repository's release immutability is on; "Not Found if immutable releases are not enabled". */
const checkImmutableReleases: Handler = async (x) => {
  if (!x.repo.immutableReleases) throw notFound(x.op.documentationUrl);
  x.json(200, { enabled: true, enforced_by_owner: false });
};

const listReleases: Handler = async (x) => {
  const all = [...x.repo.releases.values()].filter((r) => x.canPush || !r.draft).sort((a, b) => b.id - a.id);
  const perPage = Number(x.params.per_page ?? 30);
  const page = Number(x.params.page ?? 1);
  const { items, link } = paginate(
    all,
    perPage,
    page,
    (p) => `${x.urls.api}/repos/${x.repo.fullName}/releases?per_page=${perPage}&page=${p}`,
  );
  x.json(
    200,
    items.map((r) => releaseJson(x.urls, x.repo, r, releaseAssets(x, r))),
    link === undefined ? {} : { link },
  );
};

const updateRelease: Handler = (x) =>
  x.repo.lock.run(async () => {
    const release = findRelease(x, x.params.release_id);
    const body = x.body as ReleaseFields;
    if (release.immutable) {
      // Its tag, commit and assets are fixed; its title, notes, `prerelease`
      // and `make_latest` may still change, as GitHub allows.
      const changes: string[] = [];
      if (body.tag_name !== undefined && body.tag_name !== release.tagName) changes.push('tag_name');
      if (body.target_commitish !== undefined && body.target_commitish !== release.targetCommitish)
        changes.push('target_commitish');
      if (body.draft === true) changes.push('draft');
      if (changes.length > 0) {
        throw validationFailed(
          changes.map((field) => ({
            resource: 'Release',
            code: 'custom' as const,
            field,
            message: `${field} cannot be changed on an immutable release`,
          })),
          x.op.documentationUrl,
        );
      }
    }
    checkBody(x, body.body);
    if (body.tag_name !== undefined && body.tag_name !== release.tagName) {
      checkTagName(x, body.tag_name);
      if (!release.draft && publishedWithTag(x.repo, body.tag_name, release.id) !== undefined) {
        throw validationFailed(
          [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
          x.op.documentationUrl,
        );
      }
    }
    const next: Release = { ...release, assetIds: release.assetIds };
    if (body.tag_name !== undefined) next.tagName = body.tag_name;
    if (body.target_commitish !== undefined) next.targetCommitish = body.target_commitish;
    if (body.name !== undefined) next.name = body.name;
    if (body.body !== undefined) next.body = body.body;
    if (body.prerelease !== undefined) next.prerelease = body.prerelease;
    if (body.draft === true && !release.draft) {
      next.draft = true;
      next.publishedAt = null;
    }
    if (body.draft === false && release.draft) await publish(x, next);
    else if (!next.draft && body.tag_name !== undefined && body.tag_name !== release.tagName) {
      await publish(x, next);
    }
    next.updatedAt = timestamp();
    Object.assign(release, next);
    if (body.make_latest !== undefined || (body.draft === false && !next.draft)) {
      applyMakeLatest(x.repo, release, body.make_latest);
    }
    sendRelease(x, 200, release);
  });

const deleteRelease: Handler = (x) =>
  x.repo.lock.run(async () => {
    const release = findRelease(x, x.params.release_id);
    for (const id of release.assetIds) await x.storage.forget(id);
    x.repo.releases.delete(release.id);
    if (x.repo.latestReleaseId === release.id) x.repo.latestReleaseId = undefined;
    x.empty(204);
  });

export const releaseHandlers = {
  'repos/create-release': createRelease,
  'repos/get-release': getRelease,
  'repos/get-release-by-tag': getReleaseByTag,
  'repos/get-latest-release': getLatestRelease,
  'repos/list-releases': listReleases,
  'repos/update-release': updateRelease,
  'repos/delete-release': deleteRelease,
  'repos/check-immutable-releases': checkImmutableReleases,
} satisfies Record<string, Handler>;
