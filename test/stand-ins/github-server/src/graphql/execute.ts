/**
 * One GraphQL request, from its JSON body to GitHub's answer: the body's
 * shape, the query parsed and validated against GitHub's published schema
 * (graphql-js, the reference implementation), refused if it names a field
 * not served (served.ts), then executed by graphql-js over the served
 * fields (resolvers.ts). Errors come back as GitHub gives them:
 * `{"errors":[{"type","path","locations","message"}]}` beside any `data`.
 */
import {
  type DocumentNode,
  execute,
  getOperationAST,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  parse,
  validate,
} from 'graphql';
import { type GraphQLContext, SERVED_FIELDS } from './resolvers.ts';
import { unservedFields } from './served.ts';

/** An error as GitHub's GraphQL API writes it. */
export interface GitHubGraphQLError {
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  message: string;
}

export interface GraphQLAnswer {
  data?: Record<string, unknown> | null;
  errors?: GitHubGraphQLError[];
}

/** A request whose query is valid and served, ready to run. */
export interface PreparedQuery {
  document: DocumentNode;
  /** The operation's name (`RepositoryReleaseList`), undefined for an anonymous one. */
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

export function toGitHubError(error: GraphQLError): GitHubGraphQLError {
  const type = error.extensions['type'];
  return {
    ...(typeof type === 'string' ? { type } : {}),
    ...(error.path === undefined ? {} : { path: error.path }),
    ...(error.locations === undefined ? {} : { locations: error.locations }),
    message: error.message,
  };
}

function refused(...errors: (GraphQLError | string)[]): { answer: GraphQLAnswer } {
  return {
    answer: { errors: errors.map((e) => (typeof e === 'string' ? { message: e } : toGitHubError(e))) },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The query of a request body, or the answer that refuses it. */
export function prepareQuery(schema: GraphQLSchema, body: unknown): PreparedQuery | { answer: GraphQLAnswer } {
  if (!isObject(body) || typeof body.query !== 'string') {
    return refused('A query attribute must be specified and must be a string.');
  }
  const { variables = null, operationName = null } = body;
  if (variables !== null && !isObject(variables)) return refused('Variables are invalid JSON.');
  if (operationName !== null && typeof operationName !== 'string') {
    return refused('An operationName attribute must be a string.');
  }
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    if (error instanceof GraphQLError) return refused(error);
    throw error;
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return refused(...invalid);
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation === null || operation === undefined) {
    return refused(
      operationName === null
        ? 'An operation name is required when a query holds several operations.'
        : `No operation named "${operationName}".`,
    );
  }
  const unserved = unservedFields(schema, document);
  if (unserved.length > 0) return refused(...unserved);
  return { document, operationName: operation.name?.value, variables: variables ?? {} };
}

const servedResolver: GraphQLFieldResolver<unknown, GraphQLContext> = (source, args, context, info) => {
  const resolve = SERVED_FIELDS[info.parentType.name]?.[info.fieldName];
  // served.ts refused every query that reaches an unserved field.
  if (resolve === undefined) throw new Error(`${info.parentType.name}.${info.fieldName} is not served`);
  return resolve(source, args, context);
};

export interface Executed {
  answer: GraphQLAnswer;
  /**
   * Errors GitHub would not give: a resolver that threw something other
   * than GitHub's errors, or a value the schema forbids (a null where it
   * requires a value). These are faults of this server.
   */
  faults: string[];
}

export async function executeQuery(
  schema: GraphQLSchema,
  query: PreparedQuery,
  context: GraphQLContext,
): Promise<Executed> {
  const result = await execute({
    schema,
    document: query.document,
    variableValues: query.variables,
    operationName: query.operationName,
    contextValue: context,
    fieldResolver: servedResolver,
  });
  const faults: string[] = [];
  // Without data, the errors are about the request itself (its variables).
  if (result.data !== undefined) {
    for (const error of result.errors ?? []) {
      if (typeof error.extensions['type'] !== 'string') faults.push(`${error.path?.join('.') ?? ''}: ${error.message}`);
    }
  }
  return {
    answer: {
      ...(result.data === undefined ? {} : { data: result.data as Record<string, unknown> | null }),
      ...(result.errors === undefined ? {} : { errors: result.errors.map(toGitHubError) }),
    },
    faults,
  };
}
