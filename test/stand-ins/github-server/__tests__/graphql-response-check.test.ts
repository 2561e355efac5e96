// The GraphQL answer check, alone: each way an answer can break the query
// or GitHub's schema is named; conforming answers pass. And what graphql-js
// itself refuses of a resolver is counted as the server's fault.
import { beforeAll, expect, it } from '@jest/globals';
import { type GraphQLSchema, parse } from 'graphql';
import type { GitRepository } from '../src/git.ts';
import { executeQuery, prepareQuery } from '../src/graphql/execute.ts';
import { checkAnswer } from '../src/graphql/response-check.ts';
import { type Release, RepositoryState } from '../src/model.ts';
import { githubSchema } from '../src/graphql/schema.ts';

const QUERY = parse(`
  query Check($skip: Boolean!) {
    repository(owner: "octo", name: "app") {
      __typename
      visibility
      newest: releases(first: 1) { nodes { ...Facts } }
      release(tagName: "v1") { ... on Release { isDraft } databaseId @skip(if: $skip) }
    }
  }
  fragment Facts on Release { tagName createdAt publishedAt }
`);

interface Answer {
  data: { repository: Record<string, unknown> };
}

const conforming = (): Answer => ({
  data: {
    repository: {
      __typename: 'Repository',
      visibility: 'PUBLIC',
      newest: { nodes: [{ tagName: 'v1', createdAt: '2026-01-02T03:04:05Z', publishedAt: null }] },
      release: { isDraft: false },
    },
  },
});

type Edit = (answer: Answer) => void;

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await githubSchema();
}, 60_000);

it.each<[string, boolean, Edit, string | undefined]>([
  ['a conforming answer', true, () => undefined, undefined],
  [
    'a field that @skip does not skip is missing',
    false,
    (a) => delete (a.data.repository.release as Record<string, unknown>)['databaseId'],
    'repository.release.databaseId: missing',
  ],
  [
    'a field asked through a fragment is missing',
    true,
    (a) => delete (a.data.repository.newest as { nodes: Record<string, unknown>[] }).nodes[0]!['tagName'],
    'repository.newest.nodes.0.tagName: missing',
  ],
  [
    'a field nobody asked for',
    true,
    (a) => ((a.data.repository.release as Record<string, unknown>)['tagName'] = 'v1'),
    'repository.release.tagName: not asked for',
  ],
  [
    'the alias is the answer key, not the field name',
    true,
    (a) => {
      a.data.repository['releases'] = a.data.repository['newest'];
      delete a.data.repository['newest'];
    },
    'repository.releases: not asked for; repository.newest: missing',
  ],
  [
    'null where the schema requires a value',
    true,
    (a) => ((a.data.repository.release as Record<string, unknown>)['isDraft'] = null),
    'repository.release.isDraft: null where Boolean! is required',
  ],
  [
    'a scalar of the wrong type',
    false,
    (a) => ((a.data.repository.release as Record<string, unknown>)['databaseId'] = '7'),
    'repository.release.databaseId: "7" is not a Int',
  ],
  [
    'a DateTime that is not ISO 8601',
    true,
    (a) => ((a.data.repository.newest as { nodes: Record<string, unknown>[] }).nodes[0]!['createdAt'] = 'yesterday'),
    'repository.newest.nodes.0.createdAt: "yesterday" is not a DateTime',
  ],
  [
    'a value outside the enum',
    true,
    (a) => (a.data.repository['visibility'] = 'SECRET'),
    'repository.visibility: "SECRET" is not a value of RepositoryVisibility',
  ],
  [
    'a list that is not a list',
    true,
    (a) => ((a.data.repository.newest as Record<string, unknown>)['nodes'] = {}),
    'repository.newest.nodes: not a list ([Release])',
  ],
  [
    'the wrong __typename',
    true,
    (a) => (a.data.repository['__typename'] = 'User'),
    'repository.__typename: "User" is not Repository',
  ],
])('%s', (_name, skip, edit, problem) => {
  const answer = conforming();
  // Not skipped, the field is asked for: a conforming answer has it.
  if (!skip) (answer.data.repository.release as Record<string, unknown>)['databaseId'] = 1;
  edit(answer);
  expect(checkAnswer(schema, QUERY, 'Check', { skip }, answer)).toBe(problem);
});

it('an answer with neither data nor errors', () => {
  expect(checkAnswer(schema, QUERY, 'Check', { skip: true }, {})).toBe('neither data nor errors');
});

it('a resolver that answers null where the schema requires a value is a fault of the server, not an answer', async () => {
  const repo = new RepositoryState('octo', 'app', {} as GitRepository, false);
  const broken = { id: 1, tagName: null, draft: false, prerelease: false, createdAt: '2026-01-02T03:04:05Z' };
  repo.releases.set(1, broken as unknown as Release);
  const query = prepareQuery(schema, {
    query: '{ repository(owner: "octo", name: "app") { releases(first: 1) { nodes { tagName } } } }',
  });
  if ('answer' in query) throw new Error(JSON.stringify(query.answer));
  const context = { repository: () => repo, authorize: () => ({ canPush: true }) };
  const executed = await executeQuery(schema, query, context);
  expect(executed.faults).toEqual([
    'repository.releases.nodes.0.tagName: Cannot return null for non-nullable field Release.tagName.',
  ]);
});
