/** The JSON representations GitHub gives each object, built from the server's records. */
import type { GitRef, GitTagObject } from './git.ts';
import type { Asset, Deployment, DeploymentStatus, Label, Release, RepositoryState } from './model.ts';

export interface Urls {
  /** API base, e.g. `http://127.0.0.1:1234`. */
  api: string;
  /** Uploads base, e.g. `http://127.0.0.1:1234/uploads`. */
  uploads: string;
}

/** An object's node_id, which is also its GraphQL `id` (graphql/resolvers.ts). */
export function nodeId(prefix: string, kind: string, id: number | string): string {
  return `${prefix}_${Buffer.from(`${kind}:${id}`).toString('base64url')}`;
}

/** The identity every write is attributed to: the Actions bot, as with GITHUB_TOKEN. */
export function actorJson(urls: Urls): Record<string, unknown> {
  const login = 'github-actions[bot]';
  const user = `${urls.api}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: 41898282,
    node_id: 'MDM6Qm90NDE4OTgyODI=',
    avatar_url: `${urls.api}/avatars/github-actions`,
    gravatar_id: '',
    url: user,
    html_url: `${urls.api}/apps/github-actions`,
    followers_url: `${user}/followers`,
    following_url: `${user}/following{/other_user}`,
    gists_url: `${user}/gists{/gist_id}`,
    starred_url: `${user}/starred{/owner}{/repo}`,
    subscriptions_url: `${user}/subscriptions`,
    organizations_url: `${user}/orgs`,
    repos_url: `${user}/repos`,
    events_url: `${user}/events{/privacy}`,
    received_events_url: `${user}/received_events`,
    type: 'Bot',
    user_view_type: 'public',
    site_admin: false,
  };
}

function repoApi(urls: Urls, repo: RepositoryState): string {
  return `${urls.api}/repos/${repo.owner}/${repo.name}`;
}

export function refJson(urls: Urls, repo: RepositoryState, ref: GitRef): Record<string, unknown> {
  const kind = ref.type === 'tag' ? 'tags' : ref.type === 'commit' ? 'commits' : `${ref.type}s`;
  return {
    ref: ref.ref,
    node_id: nodeId('REF', repo.fullName, ref.ref),
    url: `${repoApi(urls, repo)}/git/${ref.ref}`,
    object: { type: ref.type, sha: ref.sha, url: `${repoApi(urls, repo)}/git/${kind}/${ref.sha}` },
  };
}

/** An annotated tag object as GitHub shows it (`git-tag`); unsigned: verification says so. */
export function tagJson(urls: Urls, repo: RepositoryState, tag: GitTagObject): Record<string, unknown> {
  const kind = tag.objectType === 'tag' ? 'tags' : `${tag.objectType}s`;
  return {
    node_id: nodeId('TAG', repo.fullName, tag.sha),
    sha: tag.sha,
    url: `${repoApi(urls, repo)}/git/tags/${tag.sha}`,
    tag: tag.tag,
    message: tag.message,
    tagger: tag.tagger,
    object: { sha: tag.objectSha, type: tag.objectType, url: `${repoApi(urls, repo)}/git/${kind}/${tag.objectSha}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

export function assetJson(urls: Urls, repo: RepositoryState, release: Release, asset: Asset): Record<string, unknown> {
  return {
    url: `${repoApi(urls, repo)}/releases/assets/${asset.id}`,
    browser_download_url: `${urls.api}/${repo.owner}/${repo.name}/releases/download/${encodeURIComponent(release.tagName)}/${encodeURIComponent(asset.name)}`,
    id: asset.id,
    node_id: nodeId('RA', 'ReleaseAsset', asset.id),
    name: asset.name,
    label: asset.label,
    state: asset.state,
    content_type: asset.contentType,
    size: asset.size,
    digest: asset.digest,
    download_count: asset.downloadCount,
    created_at: asset.createdAt,
    updated_at: asset.updatedAt,
    uploader: actorJson(urls),
  };
}

export function releaseJson(
  urls: Urls,
  repo: RepositoryState,
  release: Release,
  assets: Asset[],
): Record<string, unknown> {
  const api = repoApi(urls, repo);
  const tagPath = release.draft ? `untagged-${release.id}` : encodeURIComponent(release.tagName);
  return {
    url: `${api}/releases/${release.id}`,
    assets_url: `${api}/releases/${release.id}/assets`,
    upload_url: `${urls.uploads}/repos/${repo.owner}/${repo.name}/releases/${release.id}/assets{?name,label}`,
    html_url: `${urls.api}/${repo.owner}/${repo.name}/releases/tag/${tagPath}`,
    id: release.id,
    author: actorJson(urls),
    node_id: nodeId('RE', 'Release', release.id),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    draft: release.draft,
    immutable: release.immutable,
    prerelease: release.prerelease,
    created_at: release.createdAt,
    updated_at: release.updatedAt,
    published_at: release.publishedAt,
    assets: assets.map((a) => assetJson(urls, repo, release, a)),
    tarball_url: release.draft ? null : `${api}/tarball/${encodeURIComponent(release.tagName)}`,
    zipball_url: release.draft ? null : `${api}/zipball/${encodeURIComponent(release.tagName)}`,
    body: release.body,
  };
}

export function deploymentJson(urls: Urls, repo: RepositoryState, d: Deployment): Record<string, unknown> {
  const api = repoApi(urls, repo);
  return {
    url: `${api}/deployments/${d.id}`,
    id: d.id,
    node_id: nodeId('DE', 'Deployment', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.originalEnvironment,
    environment: d.environment,
    description: d.description,
    creator: actorJson(urls),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    statuses_url: `${api}/deployments/${d.id}/statuses`,
    repository_url: api,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
    performed_via_github_app: null,
  };
}

export function deploymentStatusJson(urls: Urls, repo: RepositoryState, s: DeploymentStatus): Record<string, unknown> {
  const api = repoApi(urls, repo);
  return {
    url: `${api}/deployments/${s.deploymentId}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DES', 'DeploymentStatus', s.id),
    state: s.state,
    creator: actorJson(urls),
    description: s.description,
    environment: s.environment,
    target_url: s.targetUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${api}/deployments/${s.deploymentId}`,
    repository_url: api,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
    performed_via_github_app: null,
  };
}

export function labelJson(urls: Urls, repo: RepositoryState, label: Label): Record<string, unknown> {
  return {
    id: label.id,
    node_id: nodeId('LA', 'Label', label.id),
    url: `${repoApi(urls, repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}
