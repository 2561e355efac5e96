/** Git references: /repos/{owner}/{repo}/git/ref(s)/… and matching-refs. */
import type { Exchange, Handler } from '../exchange.ts';
import { ApiError, notFound, unprocessable } from '../http.ts';
import type { RepositoryState } from '../model.ts';
import { refJson } from '../serialize.ts';

function fullRef(param: unknown): string {
  return `refs/${String(param)}`;
}

/** True when a published immutable release owns this tag ref: its tag may not move or go. */
function protectedByImmutableRelease(repo: RepositoryState, ref: string): boolean {
  if (!ref.startsWith('refs/tags/')) return false;
  const tag = ref.slice('refs/tags/'.length);
  return [...repo.releases.values()].some((r) => r.immutable && !r.draft && r.tagName === tag);
}

const createRef: Handler = async (x: Exchange) => {
  const { ref, sha } = x.body as { ref: string; sha: string };
  // GitHub: "If it doesn't start with 'refs' and have at least two slashes, it will be rejected."
  if (!/^refs\/[^/]+\/.+/.test(ref) || ref.endsWith('/') || ref.includes('..')) {
    throw unprocessable(`${ref} is not a valid ref name.`, x.op.documentationUrl);
  }
  const type = await x.repo.git.objectType(sha);
  if (type === undefined) throw unprocessable('Object does not exist', x.op.documentationUrl);
  if (!(await x.repo.git.createRef(ref, sha))) throw unprocessable('Reference already exists', x.op.documentationUrl);
  const created = { ref, sha, type };
  x.created(refJson(x.urls, x.repo, created));
};

const getRef: Handler = async (x) => {
  const found = await x.repo.git.getRef(fullRef(x.params.ref));
  if (found === undefined) throw notFound(x.op.documentationUrl);
  x.json(200, refJson(x.urls, x.repo, found));
};

const listMatchingRefs: Handler = async (x) => {
  const prefix = fullRef(x.params.ref);
  const refs = await x.repo.git.listRefs(prefix);
  x.json(
    200,
    refs.map((r) => refJson(x.urls, x.repo, r)),
  );
};

const updateRef: Handler = async (x) => {
  const ref = fullRef(x.params.ref);
  const { sha, force } = x.body as { sha: string; force?: boolean };
  const current = await x.repo.git.getRef(ref);
  if (current === undefined) throw unprocessable('Reference does not exist', x.op.documentationUrl);
  if (protectedByImmutableRelease(x.repo, ref)) {
    throw unprocessable('Cannot update a tag that belongs to an immutable release.', x.op.documentationUrl);
  }
  const type = await x.repo.git.objectType(sha);
  if (type === undefined) throw unprocessable('Object does not exist', x.op.documentationUrl);
  if (force !== true && !(await x.repo.git.isAncestor(current.sha, sha))) {
    throw unprocessable('Update is not a fast forward', x.op.documentationUrl);
  }
  if (!(await x.repo.git.updateRef(ref, sha, current.sha))) {
    throw new ApiError(409, {
      message: 'Reference cannot be updated',
      documentation_url: x.op.documentationUrl,
      status: '409',
    });
  }
  x.json(200, refJson(x.urls, x.repo, { ref, sha, type }));
};

const deleteRef: Handler = async (x) => {
  const ref = fullRef(x.params.ref);
  if ((await x.repo.git.getRef(ref)) === undefined) {
    throw unprocessable('Reference does not exist', x.op.documentationUrl);
  }
  if (protectedByImmutableRelease(x.repo, ref)) {
    throw unprocessable('Cannot delete a tag that belongs to an immutable release.', x.op.documentationUrl);
  }
  if (!(await x.repo.git.deleteRef(ref))) throw unprocessable('Reference does not exist', x.op.documentationUrl);
  x.empty(204);
};

export const refHandlers = {
  'git/create-ref': createRef,
  'git/get-ref': getRef,
  'git/list-matching-refs': listMatchingRefs,
  'git/update-ref': updateRef,
  'git/delete-ref': deleteRef,
} satisfies Record<string, Handler>;
