// POST /graphql: the queries gh 2.23 sends for its release commands,
// answered from the same releases and refs the REST side serves, validated
// against GitHub's published schema; errors in GitHub's shape (type, path,
// locations); the same tokens and permissions as the REST API; answers
// checked against the query and the schema before they leave.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import type { GitHubServer } from '@build-release-run/github-server';
import {
  type GitFixtureRepo,
  TEST_TOKEN,
  startPublicAndPrivateGitHub,
} from '@build-release-run/test-helpers/github-server';

// Exactly as gh 2.23 sends them (GH_DEBUG=api): `release list`, the draft
// lookup of `release view/download/upload/edit/delete`, `release create --verify-tag`.
const RELEASE_LIST =
  'query RepositoryReleaseList($endCursor:String$name:String!$owner:String!$perPage:Int!){repository(owner: $owner, name: $name){releases(first: $perPage, orderBy: {field: CREATED_AT, direction: DESC}, after: $endCursor){nodes{name,tagName,isDraft,isLatest,isPrerelease,createdAt,publishedAt},pageInfo{hasNextPage,endCursor}}}}';
const RELEASE_BY_TAG =
  'query RepositoryReleaseByTag($name:String!$owner:String!$tagName:String!){repository(owner: $owner, name: $name){release(tagName: $tagName){databaseId,isDraft}}}';
const FIND_REF =
  'query RepositoryFindRef($name:String!$owner:String!$tagName:String!){repository(owner: $owner, name: $name){ref(qualifiedName: $tagName){id}}}';

let server: GitHubServer;
let git: GitFixtureRepo;
const releases: Record<string, { id: number; node_id: string; created_at: string; published_at: string | null }> = {};

beforeAll(async () => {
  const github = await startPublicAndPrivateGitHub();
  server = github.server;
  git = github.repo;
  const octokit = getOctokit(TEST_TOKEN, { baseUrl: server.url });
  for (const [tag, extra] of [
    ['v1', { name: 'First' }],
    ['v2', { prerelease: true }],
    ['v3', { name: 'Third', make_latest: 'false' as const }],
    ['v4-draft', { draft: true }],
  ] as const) {
    const { data } = await octokit.rest.repos.createRelease({ owner: 'octo', repo: 'app', tag_name: tag, ...extra });
    releases[tag] = data;
  }
}, 60_000);
afterAll(async () => {
  await server.close();
  await git.remove();
});

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { type?: string; path?: unknown[]; message: string; locations?: unknown[] }[] };
}

async function graphql(token: string | undefined, query: string, variables: object = {}): Promise<Answer> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `token ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const app = { owner: 'octo', name: 'app' };

describe("gh 2.23's queries", () => {
  it('release list: every release newest first, from the same records as the REST list, drafts to a writer', async () => {
    const { status, body } = await graphql(TEST_TOKEN, RELEASE_LIST, { ...app, perPage: 30, endCursor: null });
    expect(status).toBe(200);
    const rest = (
      await getOctokit(TEST_TOKEN, { baseUrl: server.url }).rest.repos.listReleases({ owner: 'octo', repo: 'app' })
    ).data;
    expect(body).toEqual({
      data: {
        repository: {
          releases: {
            nodes: rest.map((r) => ({
              name: r.name,
              tagName: r.tag_name,
              isDraft: r.draft,
              isLatest: r.tag_name === 'v1',
              isPrerelease: r.prerelease,
              createdAt: r.created_at,
              publishedAt: r.published_at,
            })),
            pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
          },
        },
      },
    });
    expect(rest.map((r) => r.tag_name)).toEqual(['v4-draft', 'v3', 'v2', 'v1']);
  });

  it('release list pages with first and the cursor it was given', async () => {
    const tags: string[] = [];
    let endCursor: string | null = null;
    for (;;) {
      const { body } = await graphql(TEST_TOKEN, RELEASE_LIST, { ...app, perPage: 3, endCursor });
      const page = (
        body.data as {
          repository: {
            releases: { nodes: { tagName: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
          };
        }
      ).repository.releases;
      tags.push(...page.nodes.map((n) => n.tagName));
      if (!page.pageInfo.hasNextPage) break;
      endCursor = page.pageInfo.endCursor;
    }
    expect(tags).toEqual(['v4-draft', 'v3', 'v2', 'v1']);
  });

  it('release list hides drafts from a token that cannot push', async () => {
    const { body } = await graphql('reader', RELEASE_LIST, { ...app, perPage: 30, endCursor: null });
    const nodes = (body.data as { repository: { releases: { nodes: { tagName: string }[] } } }).repository.releases
      .nodes;
    expect(nodes.map((n) => n.tagName)).toEqual(['v3', 'v2', 'v1']);
  });

  it('the draft lookup by tag answers the REST id; a tag no release names is null, not an error', async () => {
    const draft = await graphql(TEST_TOKEN, RELEASE_BY_TAG, { ...app, tagName: 'v4-draft' });
    expect(draft.body).toEqual({
      data: { repository: { release: { databaseId: releases['v4-draft']!.id, isDraft: true } } },
    });
    const published = await graphql(TEST_TOKEN, RELEASE_BY_TAG, { ...app, tagName: 'v1' });
    expect(published.body).toEqual({
      data: { repository: { release: { databaseId: releases['v1']!.id, isDraft: false } } },
    });
    expect((await graphql(TEST_TOKEN, RELEASE_BY_TAG, { ...app, tagName: 'nope' })).body).toEqual({
      data: { repository: { release: null } },
    });
    expect((await graphql('reader', RELEASE_BY_TAG, { ...app, tagName: 'v4-draft' })).body).toEqual({
      data: { repository: { release: null } },
    });
  });

  it("--verify-tag's ref lookup finds a published release's tag, its id the REST node_id, and not a draft's", async () => {
    const { data: ref } = await getOctokit(TEST_TOKEN, { baseUrl: server.url }).rest.git.getRef({
      owner: 'octo',
      repo: 'app',
      ref: 'tags/v1',
    });
    expect((await graphql(TEST_TOKEN, FIND_REF, { ...app, tagName: 'refs/tags/v1' })).body).toEqual({
      data: { repository: { ref: { id: ref.node_id } } },
    });
    expect((await graphql(TEST_TOKEN, FIND_REF, { ...app, tagName: 'refs/tags/v4-draft' })).body).toEqual({
      data: { repository: { ref: null } },
    });
  });

  it('records each query in the request log by its operation name', () => {
    expect(server.requests.filter((r) => r.path === '/graphql').map((r) => r.operationId)).toContain(
      'graphql/RepositoryReleaseByTag',
    );
  });
});

describe('errors as GitHub gives them', () => {
  it('an unknown repository: NOT_FOUND at its path, the repository null', async () => {
    const { status, body } = await graphql(TEST_TOKEN, RELEASE_BY_TAG, { owner: 'octo', name: 'nope', tagName: 'v1' });
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { repository: null },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['repository'],
          locations: [{ line: 1, column: 75 }],
          message: "Could not resolve to a Repository with the name 'octo/nope'.",
        },
      ],
    });
  });

  it('a connection without first or last, or asking for more than 100', async () => {
    const query = 'query($n:Int){repository(owner:"octo",name:"app"){releases(first:$n){totalCount}}}';
    expect((await graphql(TEST_TOKEN, query, { n: null })).body.errors).toEqual([
      expect.objectContaining({
        type: 'MISSING_PAGINATION_BOUNDARIES',
        path: ['repository', 'releases'],
        message: 'You must provide a `first` or `last` value to properly paginate the `releases` connection.',
      }),
    ]);
    expect((await graphql(TEST_TOKEN, query, { n: 101 })).body.errors).toEqual([
      expect.objectContaining({
        type: 'EXCESSIVE_PAGINATION',
        message: 'Requesting 101 records on the `releases` connection exceeds the `first` limit of 100 records.',
      }),
    ]);
  });

  it('a query the schema refuses: errors with locations and no data', async () => {
    const { status, body } = await graphql(TEST_TOKEN, '{ repository(owner: "octo", name: "app") { nope } }');
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        locations: [{ line: 1, column: 44 }],
        message: 'Cannot query field "nope" on type "Repository". Did you mean "name"?',
      },
    ]);
    expect((await graphql(TEST_TOKEN, '{ repository(owner: "octo") { name } }')).body.errors?.[0]?.message).toMatch(
      /argument "name" of type "String!" is required/,
    );
    expect((await graphql(TEST_TOKEN, '{ repository(')).body.errors?.[0]?.message).toMatch(/^Syntax Error/);
  });

  it('a field of the schema that this server does not serve is named, not answered null', async () => {
    const { body } = await graphql(
      TEST_TOKEN,
      '{ repository(owner: "octo", name: "app") { release(tagName: "v1") { tagName author { login } } } }',
    );
    expect(body.data).toBeUndefined();
    expect(body.errors?.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Field 'author' on type 'Release' is in GitHub's schema but not served/),
      expect.stringMatching(/^Field 'login' on type 'User' is in GitHub's schema but not served/),
    ]);
    const mutation = await graphql(TEST_TOKEN, 'mutation { deleteRef(input: {refId: "x"}) { clientMutationId } }');
    expect(mutation.body.errors?.[0]?.message).toMatch(/^Field 'deleteRef' on type 'Mutation' .* not served/);
  });

  it("401 without a token in GraphQL's words, and for a bad one", async () => {
    expect(await graphql(undefined, RELEASE_BY_TAG, { ...app, tagName: 'v1' })).toEqual({
      status: 401,
      body: {
        message: 'This endpoint requires you to be authenticated.',
        documentation_url:
          'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
      },
    });
    expect(await graphql('wrong', RELEASE_BY_TAG, { ...app, tagName: 'v1' })).toEqual({
      status: 401,
      body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql' },
    });
  });

  it('a body that is not a query', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `token ${TEST_TOKEN}` },
      body: '{"variables":{}}',
    });
    expect(await response.json()).toEqual({
      errors: [{ message: 'A query attribute must be specified and must be a string.' }],
    });
  });
});

describe('installation tokens, as for the REST operations that read the same', () => {
  const secret = { owner: 'octo', name: 'secret' };

  it("another installation's private repository does not exist", async () => {
    const token = server.issueToken('octo/app', { contents: 'write' });
    const { body } = await graphql(token, RELEASE_BY_TAG, { ...secret, tagName: 'v1' });
    expect(body).toMatchObject({ data: { repository: null }, errors: [{ type: 'NOT_FOUND', path: ['repository'] }] });
  });

  it('without contents: read, its own private repository answers FORBIDDEN at the field', async () => {
    const token = server.issueToken('octo/secret', {});
    const { body } = await graphql(token, RELEASE_BY_TAG, { ...secret, tagName: 'v1' });
    expect(body).toEqual({
      data: { repository: { release: null } },
      errors: [
        expect.objectContaining({
          type: 'FORBIDDEN',
          path: ['repository', 'release'],
          message: 'Resource not accessible by integration',
        }),
      ],
    });
  });

  it('a public repository is readable without permissions; drafts need contents: write', async () => {
    const reader = server.issueToken('octo/secret', {});
    expect((await graphql(reader, RELEASE_BY_TAG, { ...app, tagName: 'v1' })).body).toEqual({
      data: { repository: { release: { databaseId: releases['v1']!.id, isDraft: false } } },
    });
    const writer = server.issueToken('octo/app', { contents: 'write' });
    expect((await graphql(writer, RELEASE_BY_TAG, { ...app, tagName: 'v4-draft' })).body).toMatchObject({
      data: { repository: { release: { isDraft: true } } },
    });
    const contentsRead = server.issueToken('octo/app', { contents: 'read' });
    expect((await graphql(contentsRead, RELEASE_BY_TAG, { ...app, tagName: 'v4-draft' })).body).toEqual({
      data: { repository: { release: null } },
    });
  });
});

describe('answers checked against the query and the schema', () => {
  it('an answer missing a field the query asked for fails the check: a 500 naming it, recorded', async () => {
    const before = server.responseViolations.length;
    server.faults.add({ kind: 'break-response', route: 'graphql/RepositoryReleaseList', removeField: 'tagName' });
    const { status, body } = await graphql(TEST_TOKEN, RELEASE_LIST, { ...app, perPage: 30, endCursor: null });
    expect(status).toBe(500);
    expect((body as { message: string }).message).toMatch(
      /^GraphQL response validation failed for graphql\/RepositoryReleaseList: repository\.releases\.nodes\.0\.tagName: missing/,
    );
    expect(server.responseViolations.slice(before)).toEqual([(body as { message: string }).message]);
    server.responseViolations.splice(before);
  });
});
