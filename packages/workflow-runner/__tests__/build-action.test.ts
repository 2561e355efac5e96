// The repository's build action (actions/build/action.yml, a composite that
// runs dist/build) run through the runner as a workflow would use it: every
// declared input reaches the code and every declared output is produced.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { removeDir, tempDir } from '../../../test/helpers/tree.ts';
import { type RunWorkflowResult, inputVariableName, runWorkflow } from '../src/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const probe = pathToFileURL(path.join(repoRoot, 'test', 'helpers', 'input-probe.ts')).href;

const WORKFLOW = `name: build probe
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      digest: \${{ steps.build.outputs.digest }}
    steps:
      - uses: actions/checkout@v4
      - id: build
        uses: ./actions/build
        with:
          path: site
          name: probe-app
          format: tar.gz
          working-directory: packages/contract
          run: mkdir -p site && echo "hello from the build" > site/index.html
          retention-days: 3
      - run: test -f "\${{ steps.build.outputs.archive }}"
`;

let dir: string;
let result: RunWorkflowResult;
let declared: { inputs: string[]; outputs: string[] };

beforeAll(async () => {
  dir = await tempDir('brr-build-action-');
  const workflowFile = path.join(dir, 'build.yml');
  await writeFile(workflowFile, WORKFLOW);
  const action = parse(await readFile(path.join(repoRoot, 'actions', 'build', 'action.yml'), 'utf8')) as {
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
  };
  declared = { inputs: Object.keys(action.inputs), outputs: Object.keys(action.outputs) };
  result = await runWorkflow({
    workflowFile,
    repoDir: repoRoot,
    workDir: path.join(dir, 'run'),
    runId: '7',
    env: { NODE_OPTIONS: `--import=${probe}`, BRR_INPUT_PROBE: path.join(dir, 'probe') },
  });
});

afterAll(async () => {
  await removeDir(dir);
});

describe('actions/build through the runner', () => {
  it('succeeds', () => {
    // No error, and no "Unexpected input(s)" warning: every `with:` key is declared.
    expect(result.jobs['build']!.annotations.filter((a) => a.level !== 'notice')).toEqual([]);
    expect(result.jobs['build']!.result).toBe('success');
  });

  it('gives every declared input to the code', async () => {
    const read = new Set((await readFile(path.join(dir, 'probe'), 'utf8')).split('\n'));
    const missing = declared.inputs.filter((name) => !read.has(inputVariableName(name)));
    expect(missing).toEqual([]);
  });

  it('produces every declared output', () => {
    const outputs = result.jobs['build']!.stepsById['build']!.outputs;
    const empty = declared.outputs.filter((name) => !outputs[name]);
    expect(empty).toEqual([]);
  });

  it('stores the archive as the artifact named from its digest, with the bytes the digest names', async () => {
    const outputs = result.jobs['build']!.stepsById['build']!.outputs;
    const hex = outputs['digest']!.replace(/^sha256:/, '');
    expect(outputs['artifact-name']).toBe(`build-sha256-${hex}`);
    expect(path.basename(outputs['archive']!)).toBe(`probe-app-${hex.slice(0, 12)}.tar.gz`);
    expect(String((await stat(outputs['archive']!)).size)).toBe(outputs['size']);
    expect(outputs['files']).toBe('1');
    const stored = path.join(
      result.artifactsDir,
      'run-7',
      outputs['artifact-name']!,
      'files',
      path.basename(outputs['archive']!),
    );
    expect(
      createHash('sha256')
        .update(await readFile(stored))
        .digest('hex'),
    ).toBe(hex);
    expect(result.jobs['build']!.outputs['digest']).toBe(outputs['digest']);
  });
});
