// The GITHUB_TOKEN permissions a job is granted, as GitHub resolves them
// (docs: "Controlling permissions for GITHUB_TOKEN" and the GITHUB_TOKEN
// reference, "Permissions for the GITHUB_TOKEN"):
// - a job's `permissions:` replaces the workflow's entirely; a block grants
//   what it lists and sets every other scope to none; `{}` grants nothing;
//   `read-all` / `write-all` set every scope (each at most to the level it
//   has: `id-token` is write or none, `models` read or none);
// - no block at all: the repository's default, "permissive" (read/write
//   for most scopes) or "restricted" (contents and packages read), the
//   default of new repositories, which this runner models unless told;
// - a job of a called reusable workflow gets at most what the calling job
//   was granted ("Reusing workflows": permissions can only be downgraded),
//   and exactly that when the called workflow says nothing.
// `metadata: read` is always there; `id-token` is not a permission of the
// token but of the runner's OIDC endpoint (id-token-service.ts).
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { literalOf, mappingPairs } from './template.ts';

export type PermissionLevel = 'read' | 'write' | 'none';

/** The repository setting for jobs without `permissions:`. */
export type DefaultPermissions = 'restricted' | 'permissive';

interface ScopeFacts {
  /** The highest level the scope has. */
  max: 'read' | 'write';
  /** Write or nothing (`id-token`, `copilot-requests`): `read-all` leaves it at none. */
  writeOnly?: boolean;
  permissive: PermissionLevel;
  restricted: PermissionLevel;
}

const readWrite = (restricted: PermissionLevel = 'none'): ScopeFacts => ({
  max: 'write',
  permissive: 'write',
  restricted,
});
const newer: ScopeFacts = { max: 'write', permissive: 'none', restricted: 'none' };

/**
 * Every scope `permissions:` may name (the workflow schema of
 * @actions/workflow-parser), with the defaults of GitHub's table. Scopes the
 * table does not list yet (`artifact-metadata`, `code-quality`,
 * `copilot-requests`, `drives`, `repository-projects`,
 * `vulnerability-alerts`) default to none.
 */
export const SCOPES: Readonly<Record<string, ScopeFacts>> = {
  actions: readWrite(),
  'artifact-metadata': newer,
  attestations: readWrite(),
  checks: readWrite(),
  'code-quality': newer,
  contents: readWrite('read'),
  'copilot-requests': { ...newer, writeOnly: true },
  deployments: readWrite(),
  discussions: readWrite(),
  drives: newer,
  'id-token': { max: 'write', writeOnly: true, permissive: 'none', restricted: 'none' },
  issues: readWrite(),
  models: { max: 'read', permissive: 'read', restricted: 'none' },
  packages: readWrite('read'),
  pages: readWrite(),
  'pull-requests': readWrite(),
  'repository-projects': newer,
  'security-events': readWrite(),
  statuses: readWrite(),
  'vulnerability-alerts': newer,
};

/** What a `permissions:` block says, before defaults: every scope, a level for each scope, or nothing. */
export type PermissionsBlock = { all: 'read' | 'write' } | { scopes: Record<string, PermissionLevel> };

/** A job's resolved permissions: a level for every scope of SCOPES. */
export type TokenPermissions = Readonly<Record<string, PermissionLevel>>;

const RANK: Record<PermissionLevel, number> = { none: 0, read: 1, write: 2 };

function lower(a: PermissionLevel, b: PermissionLevel): PermissionLevel {
  return RANK[a] <= RANK[b] ? a : b;
}

function levelOf(text: string | undefined): PermissionLevel {
  return text === 'write' ? 'write' : text === 'read' ? 'read' : 'none';
}

/** The block a job runs with: its own, else its workflow's, else none (the default applies). */
export function readPermissions(
  job: TemplateToken | undefined,
  workflow: TemplateToken | undefined,
): PermissionsBlock | undefined {
  const block = job ?? workflow;
  if (block === undefined) return undefined;
  const single = literalOf(block);
  if (single === 'write-all') return { all: 'write' };
  if (single === 'read-all') return { all: 'read' };
  return { scopes: Object.fromEntries(mappingPairs(block).map(({ key, value }) => [key, levelOf(literalOf(value))])) };
}

/**
 * What a job is granted: its block (or the default), each scope lowered to
 * what `cap` grants (the calling job's permissions, for a job of a called
 * workflow). A called workflow that says nothing gets `cap` itself.
 */
export function grantedPermissions(
  block: PermissionsBlock | undefined,
  defaults: DefaultPermissions,
  cap?: TokenPermissions,
): TokenPermissions {
  if (block === undefined && cap !== undefined) return cap;
  const granted: Record<string, PermissionLevel> = {};
  for (const [scope, facts] of Object.entries(SCOPES)) {
    let level: PermissionLevel;
    if (block === undefined) level = facts[defaults];
    else if ('all' in block) level = block.all === 'read' && facts.writeOnly ? 'none' : lower(block.all, facts.max);
    else level = block.scopes[scope] ?? 'none';
    granted[scope] = cap === undefined ? level : lower(level, cap[scope] ?? 'none');
  }
  return granted;
}

/** The level of one scope. */
export function permissionLevel(permissions: TokenPermissions, scope: string): PermissionLevel {
  return permissions[scope] ?? 'none';
}

/**
 * The token's GitHub App permissions, as the GitHub server is asked for
 * them: scope names with `_` (`pull-requests` → `pull_requests`), nothing
 * at none, and not `id-token` (the runner's, not the token's).
 */
export function appPermissions(permissions: TokenPermissions): Record<string, 'read' | 'write'> {
  const app: Record<string, 'read' | 'write'> = {};
  for (const [scope, level] of Object.entries(permissions)) {
    if (scope === 'id-token' || level === 'none') continue;
    app[scope.replace(/-/g, '_')] = level;
  }
  return app;
}

/** The lines GitHub's "Set up job" prints under "GITHUB_TOKEN Permissions": `Contents: read`, … */
export function describePermissions(permissions: TokenPermissions): string[] {
  const app = { ...appPermissions(permissions), metadata: 'read' as const };
  return Object.entries(app)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, level]) => `${name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())}: ${level}`);
}
