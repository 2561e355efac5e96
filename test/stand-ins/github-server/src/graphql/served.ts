/**
 * Refuses, before anything runs, a query that names a field of GitHub's
 * schema that this server does not serve (resolvers.ts lists what it
 * serves): the caller learns which field, rather than getting a `null`
 * GitHub would never send. Introspection (`__typename`, `__schema`, …)
 * answers from the published schema itself and is always served.
 */
import { type DocumentNode, GraphQLError, type GraphQLSchema, TypeInfo, visit, visitWithTypeInfo } from 'graphql';
import { SERVED_FIELDS } from './resolvers.ts';

export function unservedFields(schema: GraphQLSchema, document: DocumentNode): GraphQLError[] {
  const typeInfo = new TypeInfo(schema);
  const errors: GraphQLError[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = node.name.value;
        if (parent === null || parent === undefined || field.startsWith('__') || parent.name.startsWith('__')) return;
        const served = SERVED_FIELDS[parent.name];
        if (served?.[field] !== undefined) return;
        const list = served === undefined ? 'none' : Object.keys(served).sort().join(', ');
        errors.push(
          new GraphQLError(
            `Field '${field}' on type '${parent.name}' is in GitHub's schema but not served by this local GitHub server ` +
              `(served on '${parent.name}': ${list}).`,
            { nodes: node },
          ),
        );
      },
    }),
  );
  return errors;
}
