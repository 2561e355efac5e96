/**
 * Checks a GraphQL answer, as it is about to be sent, against the query and
 * GitHub's schema, independently of how it was produced: every selected
 * field present under its response name and nothing else, a value wherever
 * the schema requires one (an error nulls the nearest nullable field
 * instead, so a null where a value is required is never right), lists as
 * lists, scalars of their type (GitHub's `DateTime` as ISO 8601 in UTC,
 * `URI` as a URL), enum values from the enum. The GraphQL counterpart of
 * the OpenAPI response checks (validation.ts).
 */
import {
  type DocumentNode,
  type FieldNode,
  getDirectiveValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type SelectionSetNode,
} from 'graphql';
import type { GraphQLAnswer } from './execute.ts';

interface Walk {
  schema: GraphQLSchema;
  document: DocumentNode;
  variables: Record<string, unknown>;
  problems: string[];
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

function included(walk: Walk, node: FieldNode | { directives?: FieldNode['directives'] }): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, walk.variables);
  const include = getDirectiveValues(GraphQLIncludeDirective, node, walk.variables);
  return skip?.['if'] !== true && include?.['if'] !== false;
}

/** The fields a selection set asks of an object of `type`, by response name (fragments merged). */
function collectFields(
  walk: Walk,
  type: GraphQLObjectType,
  set: SelectionSetNode,
  into = new Map<string, FieldNode[]>(),
) {
  for (const selection of set.selections) {
    if (!included(walk, selection)) continue;
    if (selection.kind === 'Field') {
      const key = selection.alias?.value ?? selection.name.value;
      into.set(key, [...(into.get(key) ?? []), selection]);
      continue;
    }
    const fragment =
      selection.kind === 'InlineFragment'
        ? selection
        : walk.document.definitions.find(
            (d) => d.kind === 'FragmentDefinition' && d.name.value === selection.name.value,
          );
    if (fragment === undefined || !('selectionSet' in fragment) || fragment.selectionSet === undefined) continue;
    const condition = 'typeCondition' in fragment ? fragment.typeCondition?.name.value : undefined;
    const target = condition === undefined ? type : walk.schema.getType(condition);
    const applies =
      target === type ||
      (target !== undefined && target !== null && isAbstractType(target) && walk.schema.isSubType(target, type));
    if (applies) collectFields(walk, type, fragment.selectionSet, into);
  }
  return into;
}

function checkScalar(walk: Walk, name: string, value: unknown, at: string): void {
  const ok = (() => {
    switch (name) {
      case 'Int':
        return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31;
      case 'Float':
        return typeof value === 'number' && Number.isFinite(value);
      case 'Boolean':
        return typeof value === 'boolean';
      case 'DateTime':
        return typeof value === 'string' && DATE_TIME.test(value);
      case 'URI':
        return typeof value === 'string' && URL.canParse(value);
      default:
        // String, ID and GitHub's other custom scalars (HTML, GitObjectID, …) travel as strings.
        return typeof value === 'string';
    }
  })();
  if (!ok) walk.problems.push(`${at}: ${JSON.stringify(value)} is not a ${name}`);
}

function checkValue(walk: Walk, type: GraphQLOutputType, nodes: FieldNode[], value: unknown, at: string): void {
  if (value === null) {
    if (isNonNullType(type)) walk.problems.push(`${at}: null where ${type} is required`);
    return;
  }
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return void walk.problems.push(`${at}: not a list (${inner})`);
    value.forEach((item, i) => checkValue(walk, inner.ofType, nodes, item, `${at}.${i}`));
    return;
  }
  if (isScalarType(inner)) return checkScalar(walk, inner.name, value, at);
  if (isEnumType(inner)) {
    if (typeof value !== 'string' || inner.getValue(value) === undefined)
      walk.problems.push(`${at}: ${JSON.stringify(value)} is not a value of ${inner.name}`);
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return void walk.problems.push(`${at}: not an object`);
  const record = value as Record<string, unknown>;
  // An interface or union: the answer must say which object it is.
  const named = getNamedType(inner);
  const concrete = isObjectType(named) ? named : walk.schema.getType(String(record['__typename']));
  if (!isObjectType(concrete)) return void walk.problems.push(`${at}: cannot tell which ${named.name} this is`);
  const set: SelectionSetNode = {
    kind: 'SelectionSet' as SelectionSetNode['kind'],
    selections: nodes.flatMap((n) => n.selectionSet?.selections ?? []),
  };
  checkObject(walk, concrete, set, record, at);
}

function checkObject(
  walk: Walk,
  type: GraphQLObjectType,
  set: SelectionSetNode,
  value: Record<string, unknown>,
  at: string,
): void {
  const fields = collectFields(walk, type, set);
  for (const key of Object.keys(value)) {
    if (!fields.has(key)) walk.problems.push(`${at ? `${at}.` : ''}${key}: not asked for`);
  }
  for (const [key, nodes] of fields) {
    const path = at ? `${at}.${key}` : key;
    const name = nodes[0]!.name.value;
    if (!(key in value)) {
      walk.problems.push(`${path}: missing`);
      continue;
    }
    if (name === '__typename') {
      if (value[key] !== type.name) walk.problems.push(`${path}: ${JSON.stringify(value[key])} is not ${type.name}`);
      continue;
    }
    // Introspection answers come from graphql-js and the published schema itself.
    if (name === '__schema' || name === '__type') continue;
    const field = type.getFields()[name];
    if (field === undefined) {
      walk.problems.push(`${path}: no field ${name} on ${type.name}`);
      continue;
    }
    checkValue(walk, field.type, nodes, value[key], path);
  }
}

/** What is wrong with `answer` for this query, or undefined when it conforms. */
export function checkAnswer(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  rawVariables: Record<string, unknown>,
  answer: GraphQLAnswer,
): string | undefined {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 'the query has no operation to check the answer against';
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  const errors = answer.errors ?? [];
  const problems: string[] = [];
  for (const error of errors) {
    if (typeof error.message !== 'string') problems.push('an error without a message');
  }
  if (answer.data !== undefined && answer.data !== null) {
    const walk: Walk = {
      schema,
      document,
      variables: coerced.coerced ?? {},
      problems,
    };
    checkObject(walk, root, operation.selectionSet, answer.data, '');
  } else if (errors.length === 0) {
    problems.push('neither data nor errors');
  }
  return problems.length === 0 ? undefined : problems.join('; ');
}
