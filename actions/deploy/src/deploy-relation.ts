/**
 * What a deploy is to the environment, against the release live before it:
 * the first one, a redeploy of the same tag, a rollback to an older release
 * or an update to a newer one. "Older" is GitHub's order of the releases
 * (when each was published; the release ID, which only grows, on a tie), not
 * the tags' spelling: every versioning scheme sorts the same way.
 */
export type Relation = 'first' | 'redeploy' | 'rollback' | 'update';

export interface ReleaseOrder {
  tag_name: string;
  id: number;
  published_at: string | null;
  created_at: string;
}

export function deployRelation(release: ReleaseOrder, liveBefore: ReleaseOrder | null): Relation {
  if (liveBefore === null) return 'first';
  if (liveBefore.tag_name === release.tag_name) return 'redeploy';
  const when = (r: ReleaseOrder) => r.published_at ?? r.created_at;
  const order = when(release).localeCompare(when(liveBefore)) || release.id - liveBefore.id;
  return order < 0 ? 'rollback' : 'update';
}
