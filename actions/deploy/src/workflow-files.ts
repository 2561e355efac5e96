/**
 * Reads the running workflow's file (named by GITHUB_WORKFLOW_REF) and the
 * repository's other workflows from the workspace, for the rollback
 * guidance. A job that did not check out the repository has no files: the
 * event says as much as it can (a workflow_dispatch run's payload carries
 * its inputs); otherwise the answer is "unreadable", and no command is
 * offered for a workflow nobody read.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { type DispatchShape, type WorkflowShape, workflowShape } from './workflow-dispatch.ts';

export interface WorkflowFacts {
  /** The running workflow's file name (deploy.yml), when GITHUB_WORKFLOW_REF names one. */
  file: string | undefined;
  running: WorkflowShape;
  /** Other workflows in the workspace that can be run by hand to deploy a tag. */
  alternatives: { file: string; shape: DispatchShape }[];
}

const WORKFLOWS = path.join('.github', 'workflows');
// A repository's workflows are small; a folder with more is not read further.
const MAX_FILES = 100;
const MAX_BYTES = 512 * 1024;

export async function readWorkflowFacts(env: NodeJS.ProcessEnv): Promise<WorkflowFacts> {
  // owner/repo/.github/workflows/deploy.yml@refs/heads/main
  const file = /\/\.github\/workflows\/([^@/]+)@/.exec(env['GITHUB_WORKFLOW_REF'] ?? '')?.[1];
  const folder = env['GITHUB_WORKSPACE'] ? path.join(env['GITHUB_WORKSPACE'], WORKFLOWS) : undefined;
  const text = file === undefined || folder === undefined ? undefined : await readSmall(path.join(folder, file));
  const running = text === undefined ? await fromEvent(env, file) : workflowShape(text);

  const alternatives: WorkflowFacts['alternatives'] = [];
  const names = folder === undefined ? [] : await readdir(folder).catch(() => [] as string[]);
  for (const name of names
    .filter((n) => /\.ya?ml$/.test(n) && n !== file)
    .sort()
    .slice(0, MAX_FILES)) {
    const other = await readSmall(path.join(folder as string, name));
    const shape = other === undefined ? undefined : workflowShape(other);
    if (shape?.kind === 'dispatchable') alternatives.push({ file: name, shape: shape.shape });
  }
  return { file, running, alternatives };
}

async function readSmall(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text !== undefined && text.length <= MAX_BYTES ? text : undefined;
}

/** Without the file: a workflow_dispatch run's payload lists the inputs it was given. */
async function fromEvent(env: NodeJS.ProcessEnv, file: string | undefined): Promise<WorkflowShape> {
  const unreadable: WorkflowShape = {
    kind: 'unreadable',
    reason: `${file ?? 'the workflow file'} is not in the workspace (the job did not check out the repository)`,
  };
  if (env['GITHUB_EVENT_NAME'] !== 'workflow_dispatch' || !env['GITHUB_EVENT_PATH']) return unreadable;
  try {
    const payload = JSON.parse(await readFile(env['GITHUB_EVENT_PATH'], 'utf8')) as { inputs?: unknown };
    const inputs = typeof payload.inputs === 'object' && payload.inputs !== null ? Object.keys(payload.inputs) : [];
    // Which input the deploy step takes is in the file; the usual names are all the payload can vouch for.
    return inputs.includes('tag') && inputs.includes('environment')
      ? { kind: 'dispatchable', shape: { tagInput: 'tag', environmentInput: 'environment' } }
      : { kind: 'no-inputs', inputs };
  } catch {
    return unreadable;
  }
}
