/**
 * Runs one of this repository's actions through the local workflow runner,
 * as a workflow step, and reports its wiring: which declared inputs the
 * action's code never read (traced by input-probe.ts, preloaded into every
 * Node process the step starts) and which declared outputs came out empty.
 *
 *   const wiring = await checkActionWiring({ action: 'actions/build', with: { path: 'site', ... } });
 *   expect(wiring.unreadInputs).toEqual([]);
 *   expect(wiring.emptyOutputs).toEqual([]);
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type JobResult,
  type RunWorkflowOptions,
  type RunWorkflowResult,
  type StepResult,
  inputVariableName,
  readAction,
  runWorkflow,
} from '@build-release-run/workflow-runner';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface ActionWiringOptions extends Partial<Omit<RunWorkflowOptions, 'workflowFile'>> {
  /** The action folder relative to the repository root ('actions/build'), or '.' for the root action. */
  action: string;
  with: Record<string, string>;
  /** Steps (YAML, indented 6 spaces) to run after checkout and before the action. */
  setupSteps?: string;
  /** Folder for the workflow file, the probe file and the run. */
  dir: string;
  /** The job's `permissions:` block as `scope: level` pairs, e.g. { 'id-token': 'write' }. */
  permissions?: Record<string, string>;
}

export interface ActionWiring {
  result: RunWorkflowResult;
  job: JobResult;
  step: StepResult;
  /** Declared inputs whose INPUT_* variable no code read. */
  unreadInputs: string[];
  /** Declared outputs the step did not produce (or produced empty). */
  emptyOutputs: string[];
  declaredInputs: string[];
  declaredOutputs: string[];
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

export async function checkActionWiring(options: ActionWiringOptions): Promise<ActionWiring> {
  const { action, dir, setupSteps, with: given, permissions, ...rest } = options;
  const declared = await readAction(path.join(repoRoot, action));
  const withLines = Object.entries(given)
    .map(([name, value]) => `          ${name}: ${yamlString(value)}`)
    .join('\n');
  const uses = action === '.' ? './' : `./${action}`;
  const workflow = [
    'name: wiring',
    'on: push',
    'jobs:',
    '  wiring:',
    '    runs-on: ubuntu-latest',
    ...(permissions ? ['    permissions:', ...Object.entries(permissions).map(([k, v]) => `      ${k}: ${v}`)] : []),
    '    steps:',
    '      - uses: actions/checkout@v4',
    ...(setupSteps ? [setupSteps.replace(/\n$/, '')] : []),
    '      - id: action',
    `        uses: ${uses}`,
    ...(withLines ? ['        with:', withLines] : []),
    '',
  ].join('\n');
  await mkdir(dir, { recursive: true });
  const workflowFile = path.join(dir, 'wiring.yml');
  await writeFile(workflowFile, workflow);
  const probeFile = path.join(dir, 'inputs-read');
  await writeFile(probeFile, '');
  const probe = pathToFileURL(path.join(repoRoot, 'test', 'helpers', 'input-probe.ts')).href;
  const result = await runWorkflow({
    repoDir: repoRoot,
    workDir: path.join(dir, 'run'),
    ...rest,
    workflowFile,
    env: { ...rest.env, NODE_OPTIONS: `--import=${probe}`, BRR_INPUT_PROBE: probeFile },
  });
  const job = result.jobs['wiring']!;
  const step = job.stepsById['action']!;
  const read = new Set((await readFile(probeFile, 'utf8')).split('\n'));
  const declaredInputs = declared.inputs.map((input) => input.id);
  const declaredOutputs = declared.outputs.map((output) => output.id);
  return {
    result,
    job,
    step,
    unreadInputs: declaredInputs.filter((name) => !read.has(inputVariableName(name))),
    emptyOutputs: declaredOutputs.filter((name) => !step?.outputs[name]),
    declaredInputs,
    declaredOutputs,
  };
}
