// Every action.yml and workflow file of the repository (and the runner's
// fixtures) validates against SchemaStore's schemas, as bundled by
// @action-validator/core.
import { describe, expect, it } from '@jest/globals';
import { glob, readFile } from 'node:fs/promises';
import path from 'node:path';
import validator from '@action-validator/core';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..', '..');

const PATTERNS = [
  'action.yml',
  'actions/*/action.yml',
  // Actions and workflows only: examples also hold other YAML (a Kubernetes manifest).
  'examples/**/action.yml',
  'examples/**/action.yaml',
  '.github/workflows/*.yml',
  'examples/**/.github/workflows/*.yml',
  'test/stand-ins/workflow-runner/__tests__/fixtures/**/*.yml',
  // `**` does not enter dot-folders.
  'test/stand-ins/workflow-runner/__tests__/fixtures/**/.github/workflows/*.yml',
];

async function yamlFiles(): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of PATTERNS) {
    for await (const file of glob(pattern, { cwd: repoRoot, exclude: (name) => name.includes('node_modules') })) {
      found.add(file);
    }
  }
  return [...found].sort();
}

function isAction(file: string): boolean {
  return /(^|\/)action\.ya?ml$/.test(file);
}

/**
 * @action-validator/core 0.6.0 (the latest) bundles a SchemaStore snapshot
 * from before `runs.using: node24` existed; current SchemaStore accepts it.
 * So node24 is checked here, then validated as the node20 the snapshot knows;
 * nothing else in the file is changed.
 */
function forBundledSchema(source: string): string {
  return source.replace(/^(\s*using:\s*['"]?)node24(['"]?\s*(#.*)?)$/m, '$1node20$2');
}

/**
 * The same snapshot predates the `attestations` permission (GitHub's
 * artifact attestations, 2024), which GitHub's own parser accepts (the
 * runner's tests check that): that one line is left out, nothing else.
 */
function forBundledWorkflowSchema(source: string): string {
  return source.replace(/^\s*attestations:\s*(read|write|none)\s*(#.*)?\n/gm, '');
}

function validate(file: string, source: string): string[] {
  const state = isAction(file)
    ? validator.validateAction(forBundledSchema(source))
    : validator.validateWorkflow(forBundledWorkflowSchema(source));
  return state.errors.map((e) => `${'path' in e ? e.path : ''} ${e.title}${e.detail ? `: ${e.detail}` : ''}`);
}

describe('SchemaStore validation', () => {
  it('finds the files to check', async () => {
    const files = await yamlFiles();
    expect(files).toContain('test/stand-ins/workflow-runner/__tests__/fixtures/repo/.github/workflows/pipeline.yml');
    expect(files).toContain('test/stand-ins/workflow-runner/__tests__/fixtures/repo/actions/greet/action.yml');
    expect(files).toContain('examples/app/.github/workflows/build-release.yml');
    expect(files).toContain('actions/build/action.yml');
  });

  it('validates every action.yml and workflow', async () => {
    const failures: Record<string, string[]> = {};
    for (const file of await yamlFiles()) {
      const errors = validate(file, await readFile(path.join(repoRoot, file), 'utf8'));
      if (errors.length > 0) failures[file] = errors;
    }
    expect(failures).toEqual({});
  });

  it('declares node24 in every node action', async () => {
    for (const file of (await yamlFiles()).filter(isAction)) {
      const source = await readFile(path.join(repoRoot, file), 'utf8');
      const using = /^\s*using:\s*['"]?([\w-]+)/m.exec(source)?.[1];
      expect([file, ['node24', 'composite'].includes(using ?? '')]).toEqual([file, true]);
    }
  });

  it('rejects what the schema does not allow', () => {
    expect(
      validate(
        'action.yml',
        'name: x\ndescription: y\ninputs:\n  bad name:\n    description: z\nruns:\n  using: composite\n  steps: []\n',
      ),
    ).not.toEqual([]);
    expect(validate('w.yml', 'on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n')).not.toEqual([]);
  });
});
