// The GITHUB_TOKEN permissions a job is granted, read from `permissions:`
// as GitHub does: the job's block replaces the workflow's entirely;
// `read-all` / `write-all` set every scope; an absent block leaves
// `id-token` at `none` (under both the permissive and the restricted default).
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { literalOf, mappingPairs } from './template.ts';

export type PermissionLevel = 'read' | 'write' | 'none';

/** The scopes a job was granted explicitly, or `all` for read-all/write-all. */
export interface Permissions {
  all?: PermissionLevel;
  scopes: Record<string, PermissionLevel>;
}

function levelOf(text: string | undefined): PermissionLevel {
  return text === 'write' ? 'write' : text === 'read' ? 'read' : 'none';
}

export function readPermissions(job: TemplateToken | undefined, workflow: TemplateToken | undefined): Permissions {
  const block = job ?? workflow;
  if (block === undefined) return { scopes: {} };
  const single = literalOf(block);
  if (single === 'write-all') return { all: 'write', scopes: {} };
  if (single === 'read-all') return { all: 'read', scopes: {} };
  return { scopes: Object.fromEntries(mappingPairs(block).map(({ key, value }) => [key, levelOf(literalOf(value))])) };
}

export function permissionLevel(permissions: Permissions, scope: string): PermissionLevel {
  return permissions.scopes[scope] ?? permissions.all ?? 'none';
}
