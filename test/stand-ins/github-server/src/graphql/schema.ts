/**
 * GitHub's GraphQL schema as GitHub publishes it (npm
 * `@octokit/graphql-schema`), built once per process on the first GraphQL
 * request: start-up stays fast for the suites that never ask.
 *
 * Built from the introspection result (`schema.json`), as the package's own
 * validator does: the SDL copy (`schema.graphql`) of the published version
 * defines two fields of `EnterpriseOwnerInfo` twice, which graphql-js
 * refuses to build from SDL.
 */
import { readFile } from 'node:fs/promises';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

let built: Promise<GraphQLSchema> | undefined;

async function readPublishedSchema(): Promise<GraphQLSchema> {
  // The package exports only its entry (for `import`), which builds a second
  // schema when imported; its introspection file sits beside that entry.
  const file = new URL('schema.json', import.meta.resolve('@octokit/graphql-schema'));
  return buildClientSchema(JSON.parse(await readFile(file, 'utf8')) as IntrospectionQuery);
}

export function githubSchema(): Promise<GraphQLSchema> {
  built ??= readPublishedSchema();
  return built;
}
