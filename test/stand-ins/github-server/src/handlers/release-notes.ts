/**
 * POST /repos/{owner}/{repo}/releases/generate-notes: the name and notes
 * GitHub generates for a release, computed from the repository's own git
 * history. GitHub lists the pull requests merged since the previous release
 * ("## What's Changed", one bullet each, then a "Full Changelog" compare
 * link); this server has no pull requests of its own, so it reads them from
 * the merge commits GitHub writes when one is merged. Nothing is stored.
 */
import type { Handler } from '../exchange.ts';
import { notFound } from '../http.ts';
import type { RepositoryState } from '../model.ts';

interface GenerateNotesBody {
  tag_name: string;
  target_commitish?: string;
  previous_tag_name?: string;
}

/** The newest published release other than `tag`: GitHub's default starting point. */
function latestOtherRelease(repo: RepositoryState, tag: string): string | undefined {
  const published = [...repo.releases.values()].filter((r) => !r.draft && r.tagName !== tag);
  published.sort((a, b) => b.id - a.id);
  return published[0]?.tagName;
}

const generateNotes: Handler = async (x) => {
  const body = x.body as GenerateNotesBody;
  const git = x.repo.git;
  // An existing tag decides; target_commitish only matters for a new one.
  const head =
    (await git.resolveCommit(`refs/tags/${body.tag_name}`)) ??
    (await git.resolveCommit(body.target_commitish ?? (await git.defaultBranch())));
  if (head === undefined) throw notFound(x.op.documentationUrl);
  const previousTag = body.previous_tag_name ?? latestOtherRelease(x.repo, body.tag_name);
  const previous = previousTag === undefined ? undefined : await git.resolveCommit(`refs/tags/${previousTag}`);
  if (previousTag !== undefined && previous === undefined) throw notFound(x.op.documentationUrl);

  const web = `${x.urls.api}/${x.repo.fullName}`;
  const pulls = await git.mergedPullRequests(previous, head);
  const lines: string[] = [];
  if (pulls.length > 0) {
    lines.push("## What's Changed");
    for (const pull of pulls) lines.push(`* ${pull.title} by @${pull.author} in ${web}/pull/${pull.number}`);
    lines.push('', '');
  }
  lines.push(
    previousTag === undefined
      ? `**Full Changelog**: ${web}/commits/${body.tag_name}`
      : `**Full Changelog**: ${web}/compare/${previousTag}...${body.tag_name}`,
  );
  x.json(200, { name: body.tag_name, body: lines.join('\n') });
};

export const releaseNotesHandlers = {
  'repos/generate-release-notes': generateNotes,
} satisfies Record<string, Handler>;
