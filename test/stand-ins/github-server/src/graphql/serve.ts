/**
 * `POST /graphql`, as api.github.com serves it: authenticated by the same
 * entry point as the REST API (auth.ts, a 401 in GraphQL's wording),
 * each field authorised by the same table as the REST operation that reads
 * the same thing (permissions.ts), open to the same faults (by operationId
 * `graphql/<operation name>`), and, with `validateResponses`, every answer
 * checked against the query and the schema before it leaves.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller, Visibility } from '../auth.ts';
import { answerFaults } from '../fault-answers.ts';
import type { FaultController } from '../faults.ts';
import { ApiError, readJsonBody, sendJson } from '../http.ts';
import type { RepositoryState } from '../model.ts';
import type { MatchedOperation } from '../openapi/validator.ts';
import { authorize } from '../permissions.ts';
import { GRAPHQL_ROUTE } from '../routes.ts';
import type { ResponseChecks } from '../validation.ts';
import { executeQuery, type GraphQLAnswer, prepareQuery } from './execute.ts';
import { type GraphQLContext, githubError, repositoryNotFound } from './resolvers.ts';
import { checkAnswer } from './response-check.ts';
import { githubSchema } from './schema.ts';

export const GRAPHQL_DOCS = 'https://docs.github.com/graphql';

/** GitHub's GraphQL 401s: its own wording for a missing token; a bad one as on REST. */
export function unauthorizedBody(error: ApiError): Record<string, unknown> {
  if (error.body.message === 'Requires authentication') {
    return {
      message: 'This endpoint requires you to be authenticated.',
      documentation_url:
        'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
    };
  }
  return { message: error.body.message, documentation_url: GRAPHQL_DOCS };
}

export interface GraphQLExchange {
  req: IncomingMessage;
  res: ServerResponse;
  caller: Caller;
  requestId: string;
  repos: Map<string, RepositoryState>;
  visibility(fullName: string): Visibility;
  faults: FaultController;
  checks: ResponseChecks;
  /** Told the request's operationId once the query is read: `graphql/<operation name>`. */
  identify(operationId: string): void;
}

/** The REST operation that reads what a field reads, for permissions.ts's table. */
function readOperation(operationId: string): MatchedOperation {
  return { operationId, method: 'get', template: GRAPHQL_ROUTE.path, pathParams: {}, documentationUrl: GRAPHQL_DOCS };
}

function requestContext(x: GraphQLExchange): GraphQLContext {
  const access = (repo: RepositoryState, operationId: string) =>
    authorize(x.caller, 'GET', readOperation(operationId), {
      fullName: repo.fullName,
      visibility: x.visibility(repo.fullName),
    });
  const authorized = (repo: RepositoryState, operationId: string) => {
    try {
      return access(repo, operationId);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // Hidden from this caller (another installation's private repository): GitHub says it does not exist.
      if (error.status === 404) throw repositoryNotFound(repo.owner, repo.name);
      throw githubError('FORBIDDEN', String(error.body.message));
    }
  };
  return {
    repository(owner, name) {
      const repo = x.repos.get(`${owner}/${name}`.toLowerCase());
      if (repo === undefined) throw repositoryNotFound(owner, name);
      // A repository the caller cannot see at all is not found at `repository`;
      // a missing permission is refused at the field that needs it.
      try {
        authorized(repo, 'repos/get-release-by-tag');
      } catch (error) {
        if ((error as { extensions?: { type?: string } }).extensions?.type === 'NOT_FOUND') throw error;
      }
      return repo;
    },
    authorize: authorized,
  };
}

/** The answer without `field` anywhere in its data (a `break-response` fault). */
function withoutField(value: unknown, field: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutField(item, field));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== field)
      .map(([key, item]) => [key, withoutField(item, field)]),
  );
}

export async function serveGraphQL(x: GraphQLExchange): Promise<void> {
  const { req, res } = x;
  const schema = await githubSchema();
  let body: unknown;
  try {
    body = await readJsonBody(req);
  } catch (error) {
    // gh sends its draft lookup beside a REST request and cancels whichever
    // it no longer needs: nobody is left to answer.
    if (req.destroyed && !(error instanceof ApiError)) return;
    if (!(error instanceof ApiError)) throw error;
    return sendJson(res, error.status, { message: error.body.message, documentation_url: GRAPHQL_DOCS });
  }
  const query = prepareQuery(schema, body);
  if ('answer' in query) return sendJson(res, 200, query.answer);
  const operationId = `graphql/${query.operationName ?? 'anonymous'}`;
  x.identify(operationId);
  const active = x.faults.onRequest(operationId, 'POST');
  const op = { ...readOperation(operationId), method: 'post' };
  if (await answerFaults(active, { req, res, op, budget: x.caller.budget, requestId: x.requestId })) return;

  const executed = await executeQuery(schema, query, requestContext(x));
  const broken = active.get('break-response');
  const answer = (broken ? withoutField(executed.answer, broken.removeField) : executed.answer) as GraphQLAnswer;
  if (x.checks.enabled) {
    const problems = [
      ...executed.faults,
      checkAnswer(schema, query.document, query.operationName, query.variables, answer),
    ].filter((p) => p !== undefined);
    if (problems.length > 0) {
      const message = `GraphQL response validation failed for ${operationId}: ${problems.join('; ')}`;
      x.checks.violations.push(message);
      console.error(`github-server: ${message}`);
      return sendJson(res, 500, { message, documentation_url: GRAPHQL_DOCS });
    }
  }
  sendJson(res, 200, answer);
}
