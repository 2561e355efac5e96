/** Annotated tag objects: GET /repos/{owner}/{repo}/git/tags/{tag_sha} (deploy peels a tag ref with it). */
import type { Handler } from '../exchange.ts';
import { notFound } from '../http.ts';
import { tagJson } from '../serialize.ts';

const getTag: Handler = async (x) => {
  const tag = await x.repo.git.readTag(String(x.params.tag_sha));
  if (tag === undefined) throw notFound(x.op.documentationUrl);
  x.json(200, tagJson(x.urls, x.repo, tag));
};

export const tagHandlers = {
  'git/get-tag': getTag,
} satisfies Record<string, Handler>;
