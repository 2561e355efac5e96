import { describe, expect, it } from '@jest/globals';
import { rollbackGuidance } from '../src/rollback-guidance.ts';
import { workflowShape } from '../src/workflow-dispatch.ts';
import type { WorkflowFacts } from '../src/workflow-files.ts';

const DISPATCH = `
on:
  workflow_dispatch:
    inputs:
      environment: { type: environment, required: true }
      tag: { type: string, required: true }
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: OWNER/build-release-run/actions/deploy@v1
        with:
          tag: \${{ inputs.tag }}
          environment: \${{ inputs.environment }}
          run: ./deploy.sh
`;

describe('workflowShape', () => {
  it.each([
    [
      'workflow_dispatch with the inputs the deploy step reads',
      DISPATCH,
      { kind: 'dispatchable', shape: { tagInput: 'tag', environmentInput: 'environment' } },
    ],
    [
      'inputs of other names, read through github.event.inputs and a default',
      `on: { workflow_dispatch: { inputs: { release: {}, target: {} } } }
jobs: { d: { steps: [ { uses: ./actions/deploy, with: { tag: "\${{ github.event.inputs.release || 'latest' }}", environment: "\${{ inputs.target }}" } } ] } }`,
      { kind: 'dispatchable', shape: { tagInput: 'release', environmentInput: 'target' } },
    ],
    [
      'a fixed environment needs only the tag input',
      `on: { workflow_dispatch: { inputs: { tag: {} } } }
jobs: { d: { steps: [ { uses: o/r/actions/deploy@v1, with: { tag: "\${{ inputs.tag }}", environment: production } } ] } }`,
      { kind: 'dispatchable', shape: { tagInput: 'tag', environmentInput: null } },
    ],
    [
      'a push-triggered workflow',
      'on:\n  push:\n    branches: [main]\njobs: {}\n',
      { kind: 'not-dispatchable', triggers: ['push'] },
    ],
    [
      'triggers as a list',
      'on: [push, pull_request]\n',
      { kind: 'not-dispatchable', triggers: ['push', 'pull_request'] },
    ],
    [
      'workflow_dispatch without inputs',
      `on: [push, workflow_dispatch]
jobs: { d: { steps: [ { uses: o/r/actions/deploy@v1, with: { tag: "\${{ needs.release.outputs.tag }}" } } ] } }`,
      { kind: 'no-inputs', inputs: [] },
    ],
    [
      'an environment from something other than an input',
      `on: { workflow_dispatch: { inputs: { tag: {} } } }
jobs: { d: { steps: [ { uses: o/r/actions/deploy@v1, with: { tag: "\${{ inputs.tag }}", environment: "\${{ matrix.env }}" } } ] } }`,
      { kind: 'no-inputs', inputs: ['tag'] },
    ],
  ] as const)('%s', (_name, text, expected) => {
    expect(workflowShape(text)).toEqual(expected);
  });

  it('says a file that is not YAML is unreadable', () => {
    expect(workflowShape('on: [push\n').kind).toBe('unreadable');
    expect(workflowShape('- a list').kind).toBe('unreadable');
  });
});

const facts = (workflows: WorkflowFacts) => ({
  target: 'v1',
  environment: 'production',
  repository: 'octo/app',
  workflows,
});

describe('rollbackGuidance', () => {
  it('offers gh workflow run for a workflow that has the inputs, every value quoted', () => {
    const text = rollbackGuidance({
      ...facts({ file: 'deploy.yml', running: workflowShape(DISPATCH), alternatives: [] }),
      environment: "prod $(rm -rf ~) 'x'",
    }).join('\n');
    expect(text).toContain(
      `gh workflow run deploy.yml --repo octo/app -f tag=v1 -f 'environment=prod $(rm -rf ~) '\\''x'\\'''`,
    );
  });

  it('never offers gh workflow run of a push-triggered workflow; points to one that can deploy instead', () => {
    const running = workflowShape('on: push\n');
    const text = rollbackGuidance(
      facts({
        file: 'cd.yml',
        running,
        alternatives: [{ file: 'deploy.yml', shape: { tagInput: 'tag', environmentInput: 'environment' } }],
      }),
    ).join('\n');
    expect(text).not.toContain('gh workflow run cd.yml');
    expect(text).toContain('`cd.yml` cannot be run by hand');
    expect(text).toContain('gh workflow run deploy.yml --repo octo/app -f tag=v1 -f environment=production');
  });

  it('says how to add workflow_dispatch when no workflow can take the tag', () => {
    const text = rollbackGuidance(
      facts({ file: 'cd.yml', running: workflowShape('on: push\n'), alternatives: [] }),
    ).join('\n');
    expect(text).not.toContain('gh workflow run');
    expect(text).toContain('workflow_dispatch:');
    expect(text).toContain('tag: ${{ inputs.tag }}');
  });

  it('gives no command for a workflow nobody could read', () => {
    const text = rollbackGuidance(
      facts({ file: 'cd.yml', running: { kind: 'unreadable', reason: 'not checked out' }, alternatives: [] }),
    ).join('\n');
    expect(text).not.toContain('gh workflow run');
    expect(text).toContain('not known: not checked out');
  });
});
