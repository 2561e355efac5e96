// How a job's GITHUB_TOKEN permissions are resolved, as GitHub's docs
// describe it ("Controlling permissions for GITHUB_TOKEN"; the table of
// defaults in the GITHUB_TOKEN reference; "Reusing workflows" for the cap).
import { describe, expect, it } from '@jest/globals';
import {
  type DefaultPermissions,
  type TokenPermissions,
  appPermissions,
  describePermissions,
  grantedPermissions,
} from '../src/permissions.ts';
import { parseWorkflowText } from '../src/workflow-file.ts';

/** The permissions of the first job of a workflow whose blocks are given as YAML. */
async function granted(
  workflowBlock: string | undefined,
  jobBlock: string | undefined,
  defaults: DefaultPermissions = 'restricted',
  cap?: TokenPermissions,
): Promise<Record<string, string>> {
  const text = [
    'on: push',
    ...(workflowBlock ? [`permissions: ${workflowBlock}`] : []),
    'jobs:',
    '  j:',
    '    runs-on: x',
    ...(jobBlock ? [`    permissions: ${jobBlock}`] : []),
    '    steps: [{run: x}]',
    '',
  ].join('\n');
  const workflow = await parseWorkflowText('w.yml', text);
  return appPermissions(grantedPermissions(workflow.jobs[0]!.permissions, defaults, cap));
}

describe('a job is granted', () => {
  it.each<[string, string | undefined, string | undefined, DefaultPermissions, Record<string, string>]>([
    ['no block: the restricted default', undefined, undefined, 'restricted', { contents: 'read', packages: 'read' }],
    ['{}: nothing', '{}', undefined, 'permissive', {}],
    ['its own block, not the workflow one', 'write-all', '{ contents: read }', 'restricted', { contents: 'read' }],
    [
      'the workflow block when it has none',
      '{ deployments: write }',
      undefined,
      'permissive',
      { deployments: 'write' },
    ],
    ['only what a block lists', undefined, '{ contents: write, issues: none }', 'permissive', { contents: 'write' }],
  ])('%s', async (_name, workflowBlock, jobBlock, defaults, expected) => {
    expect(await granted(workflowBlock, jobBlock, defaults)).toEqual(expected);
  });

  it('with the permissive default: write for most scopes, read for models, never id-token', async () => {
    const app = await granted(undefined, undefined, 'permissive');
    expect(app).toMatchObject({ contents: 'write', deployments: 'write', attestations: 'write', models: 'read' });
    expect(app['pull_requests']).toBe('write');
    const all = grantedPermissions(undefined, 'permissive');
    expect(all['id-token']).toBe('none');
  });

  it('read-all: read everywhere but id-token; write-all: each scope at its highest', async () => {
    const readAll = await granted('read-all', undefined);
    expect(readAll).toMatchObject({ contents: 'read', deployments: 'read', attestations: 'read', models: 'read' });
    expect(Object.values(readAll).every((level) => level === 'read')).toBe(true);
    expect(grantedPermissions({ all: 'read' }, 'restricted')['id-token']).toBe('none');
    const writeAll = grantedPermissions({ all: 'write' }, 'restricted');
    expect(writeAll).toMatchObject({ contents: 'write', 'id-token': 'write', models: 'read' });
  });

  it('in a called workflow: at most what the calling job was granted, and all of it when it says nothing', () => {
    const caller = grantedPermissions({ scopes: { contents: 'read', 'id-token': 'write' } }, 'restricted');
    const raised = grantedPermissions({ scopes: { contents: 'write', deployments: 'write' } }, 'permissive', caller);
    expect(appPermissions(raised)).toEqual({ contents: 'read' });
    expect(raised['id-token']).toBe('none');
    expect(grantedPermissions(undefined, 'permissive', caller)).toBe(caller);
    expect(grantedPermissions({ all: 'write' }, 'permissive', caller)['id-token']).toBe('write');
  });
});

describe('the token', () => {
  it('carries GitHub App names and no id-token; the log lists them as GitHub prints them', () => {
    const permissions = grantedPermissions(
      { scopes: { 'pull-requests': 'write', 'id-token': 'write', contents: 'read' } },
      'restricted',
    );
    expect(appPermissions(permissions)).toEqual({ pull_requests: 'write', contents: 'read' });
    expect(describePermissions(permissions)).toEqual(['Contents: read', 'Metadata: read', 'Pull requests: write']);
  });
});
