/**
 * The part of GitHub's GraphQL schema this server serves, as resolvers over
 * the records the REST handlers serve (model.ts, the repository's git refs):
 * a repository's releases, one release by tag, one ref. These are the fields
 * `gh` 2.23 asks for (`release list`; `release view`, `download`, `upload`,
 * `edit`, `delete` and `delete-asset` look a tag up as a draft; `release
 * create --verify-tag` looks the tag's ref up), with the standard parts of a
 * connection. A query naming any other field is refused before it runs
 * (served.ts); the table below is the one list of what is served.
 */
import { GraphQLError } from 'graphql';
import { latestRelease } from '../handlers/releases.ts';
import type { Release, RepositoryState } from '../model.ts';
import { nodeId } from '../serialize.ts';

/** What a resolver may ask of the request: the caller's view of the served repositories. */
export interface GraphQLContext {
  /** The repository the caller may see, or GitHub's NOT_FOUND error. */
  repository(owner: string, name: string): RepositoryState;
  /**
   * The caller's access for what the REST operation `operationId` would
   * read (permissions.ts decides), or GitHub's FORBIDDEN / NOT_FOUND error.
   */
  authorize(repo: RepositoryState, operationId: string): { canPush: boolean };
}

/** GitHub's error types, carried as `type` beside `message` and `path`. */
export type GitHubErrorType =
  'NOT_FOUND' | 'FORBIDDEN' | 'MISSING_PAGINATION_BOUNDARIES' | 'EXCESSIVE_PAGINATION' | 'INVALID_CURSOR_ARGUMENTS';

/** An error GitHub gives for this request (not a fault of this server): answered as `{type, path, locations, message}`. */
export function githubError(type: GitHubErrorType, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } });
}

export function repositoryNotFound(owner: string, name: string): GraphQLError {
  return githubError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
}

interface ReleaseNode {
  repo: RepositoryState;
  release: Release;
}

interface RefNode {
  repo: RepositoryState;
  /** Fully qualified, e.g. `refs/tags/v1`. */
  ref: string;
}

interface Connection<T> {
  nodes: T[];
  cursors: string[];
  totalCount: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** GitHub's limit on `first` and `last` for every connection. */
const MAX_PAGE = 100;

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString('base64');
}

function decodeCursor(cursor: string): number {
  const index = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1];
  if (index === undefined) {
    throw githubError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`);
  }
  return Number(index);
}

/** One page of `all` as GraphQL's cursor connections cut it, with GitHub's limits. */
export function connection<T>(all: T[], args: ConnectionArgs, field: string): Connection<T> {
  const { first, last } = args;
  if ((first ?? null) === null && (last ?? null) === null) {
    throw githubError(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
    );
  }
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value !== null && value !== undefined && (value < 0 || value > MAX_PAGE)) {
      throw githubError(
        'EXCESSIVE_PAGINATION',
        `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of ${MAX_PAGE} records.`,
      );
    }
  }
  let lo = args.after ? decodeCursor(args.after) + 1 : 0;
  let hi = args.before ? Math.min(decodeCursor(args.before), all.length) : all.length;
  if (typeof first === 'number') hi = Math.min(hi, lo + first);
  if (typeof last === 'number') lo = Math.max(lo, hi - last);
  hi = Math.max(hi, lo);
  const indices = Array.from({ length: Math.max(Math.min(hi, all.length) - lo, 0) }, (_, i) => lo + i);
  return {
    nodes: indices.map((i) => all[i] as T),
    cursors: indices.map(encodeCursor),
    totalCount: all.length,
    hasNextPage: hi < all.length,
    hasPreviousPage: lo > 0 && all.length > 0,
  };
}

interface ReleaseOrder {
  field: 'CREATED_AT' | 'NAME';
  direction: 'ASC' | 'DESC';
}

/** Releases in `order`; without one, newest first, as the REST list. Ties go by creation. */
function sortReleases(releases: Release[], order: ReleaseOrder | null | undefined): Release[] {
  const { field, direction } = order ?? { field: 'CREATED_AT', direction: 'DESC' };
  const key = (r: Release): string => (field === 'NAME' ? (r.name ?? '') : r.createdAt);
  const sorted = [...releases].sort((a, b) => key(a).localeCompare(key(b)) || a.id - b.id);
  return direction === 'DESC' ? sorted.reverse() : sorted;
}

/**
 * The release a tag names: the published one, else the newest draft for it
 * (GitHub lets several drafts name one tag; only callers who may push see
 * drafts).
 */
function releaseByTag(repo: RepositoryState, tagName: string, canPush: boolean): Release | undefined {
  const named = [...repo.releases.values()].filter((r) => r.tagName === tagName && (canPush || !r.draft));
  return named.find((r) => !r.draft) ?? named.sort((a, b) => b.id - a.id)[0];
}

/** A ref by its full name, else (a short name) as a branch, then as a tag: GitHub's order. */
async function findRef(repo: RepositoryState, qualifiedName: string): Promise<string | undefined> {
  const candidates = qualifiedName.startsWith('refs/')
    ? [qualifiedName]
    : [`refs/heads/${qualifiedName}`, `refs/tags/${qualifiedName}`];
  for (const candidate of candidates) {
    if ((await repo.git.getRef(candidate)) !== undefined) return candidate;
  }
  return undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each type's resolvers take their own source shape
type FieldResolver = (source: any, args: any, context: GraphQLContext) => unknown;

/** Every served field, by GraphQL type and field name. */
export const SERVED_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldResolver>>>> = {
  Query: {
    repository: (_: unknown, args: { owner: string; name: string }, context) =>
      context.repository(args.owner, args.name),
  },
  Repository: {
    releases: (repo: RepositoryState, args: ConnectionArgs & { orderBy?: ReleaseOrder | null }, context) => {
      const { canPush } = context.authorize(repo, 'repos/list-releases');
      const visible = [...repo.releases.values()].filter((r) => canPush || !r.draft);
      const page = connection(sortReleases(visible, args.orderBy), args, 'releases');
      return { ...page, nodes: page.nodes.map((release): ReleaseNode => ({ repo, release })) };
    },
    release: (repo: RepositoryState, args: { tagName: string }, context): ReleaseNode | null => {
      const { canPush } = context.authorize(repo, 'repos/get-release-by-tag');
      const release = releaseByTag(repo, args.tagName, canPush);
      return release === undefined ? null : { repo, release };
    },
    ref: async (repo: RepositoryState, args: { qualifiedName: string }, context): Promise<RefNode | null> => {
      context.authorize(repo, 'git/get-ref');
      const ref = await findRef(repo, args.qualifiedName);
      return ref === undefined ? null : { repo, ref };
    },
  },
  ReleaseConnection: {
    nodes: (page: Connection<ReleaseNode>) => page.nodes,
    edges: (page: Connection<ReleaseNode>) => page.nodes.map((node, i) => ({ node, cursor: page.cursors[i] })),
    pageInfo: (page: Connection<ReleaseNode>) => page,
    totalCount: (page: Connection<ReleaseNode>) => page.totalCount,
  },
  ReleaseEdge: {
    node: (edge: { node: ReleaseNode }) => edge.node,
    cursor: (edge: { cursor: string }) => edge.cursor,
  },
  PageInfo: {
    hasNextPage: (page: Connection<unknown>) => page.hasNextPage,
    hasPreviousPage: (page: Connection<unknown>) => page.hasPreviousPage,
    startCursor: (page: Connection<unknown>) => page.cursors[0] ?? null,
    endCursor: (page: Connection<unknown>) => page.cursors.at(-1) ?? null,
  },
  Release: {
    // The GraphQL id is the REST object's node_id, as on GitHub.
    id: ({ release }: ReleaseNode) => nodeId('RE', 'Release', release.id),
    databaseId: ({ release }: ReleaseNode) => release.id,
    name: ({ release }: ReleaseNode) => release.name,
    tagName: ({ release }: ReleaseNode) => release.tagName,
    isDraft: ({ release }: ReleaseNode) => release.draft,
    isPrerelease: ({ release }: ReleaseNode) => release.prerelease,
    isLatest: ({ repo, release }: ReleaseNode) => latestRelease(repo)?.id === release.id,
    createdAt: ({ release }: ReleaseNode) => release.createdAt,
    updatedAt: ({ release }: ReleaseNode) => release.updatedAt,
    publishedAt: ({ release }: ReleaseNode) => release.publishedAt,
  },
  Ref: {
    id: ({ repo, ref }: RefNode) => nodeId('REF', repo.fullName, ref),
    name: ({ ref }: RefNode) => ref.replace(/^refs\/(?:heads|tags)\//, ''),
    prefix: ({ ref }: RefNode) => /^refs\/(?:heads|tags)\//.exec(ref)?.[0] ?? 'refs/',
  },
};
