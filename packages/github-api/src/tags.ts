/**
 * What a git tag points at, read through the API: an annotated tag is
 * peeled (a tag of a tag of a tag…, as git allows) down to its object. The
 * one reading both release (`version: ref`) and deploy (the tag's commit
 * anchors a release) rely on.
 */
import type { GitHubApi } from './gateway.ts';

// GitHub shows each level of a chain of tags; a longer chain is refused as not a commit.
const MAX_PEEL = 10;

/** The peeled object of `refs/tags/<tag>`, or null when there is no such tag. */
export async function peeledTag(api: GitHubApi, tag: string): Promise<{ type: string; sha: string } | null> {
  const ref = await api.getRef(`tags/${tag}`);
  if (ref === null) return null;
  let object = ref.object;
  for (let depth = 0; object.type === 'tag' && depth < MAX_PEEL; depth++) {
    object = (await api.getTagObject(object.sha)).object;
  }
  return object;
}
