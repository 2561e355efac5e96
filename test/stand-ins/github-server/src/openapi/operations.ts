/**
 * The operations of GitHub's REST API this server implements, by the
 * operationId GitHub's OpenAPI description gives them: the keys of the route
 * table (routes.ts). The committed subset of the description holds exactly
 * these operations and what they reference.
 */
import { API_ROUTES, type OperationId } from '../routes.ts';

export type { OperationId };

export const IMPLEMENTED_OPERATIONS = Object.keys(API_ROUTES) as readonly OperationId[];
