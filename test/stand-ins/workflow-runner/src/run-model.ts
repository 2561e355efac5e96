// What the runner keeps while a workflow runs, by lifetime: the run
// (RunEnvironment, shared by every job), one job (JobState) and one list of
// steps (StepScope: a job's, or a composite action's).
import type { ActionModel } from './action-file.ts';
import type { ArtifactService } from './artifact-service/index.ts';
import type { Contexts, JobStatus } from './expressions.ts';
import type { Masker } from './masks.ts';
import type { JobVariables } from './process-env.ts';
import type { Annotation } from './workflow-commands.ts';

export type StepOutcome = 'success' | 'failure' | 'skipped';

export interface StepResult {
  id: string;
  name: string;
  outcome: StepOutcome;
  conclusion: StepOutcome;
  outputs: Record<string, string>;
  /** Steps of a composite action, by their own ids. */
  steps?: StepResult[];
}

/** Where a run keeps its files. */
export interface RunPaths {
  /** The repository the run checks out. */
  repoDir: string;
  /** The run's own folder: workspaces, temp folders, downloaded actions. */
  workDir: string;
}

/** Which repository and run this is, as the stand-ins are told. */
export interface RunIdentity {
  repository: string;
  serverUrl: string;
  runId: string;
}

/** Where `uses:` finds actions that are neither local nor stand-ins. */
export interface ActionSources {
  /** `owner/repo` → local folder, for `uses: owner/repo/path@ref`. */
  repositories: Readonly<Record<string, string>>;
  /** Where mapped actions are copied (the runner's `_actions`). */
  dir: string;
  /** Folders already copied in this run. */
  downloaded: Set<string>;
}

/** The runner machine: what its processes start from. */
export interface Machine {
  /** The Node that runs node24 actions. */
  nodePath: string;
  /** Environment every process starts from (PATH, HOME, ...). */
  baseEnv: Record<string, string>;
}

/** Where the run's artifact service keeps its data, or the service the caller started and shares between runs. */
export interface ArtifactStorage {
  dir: string;
  shared?: ArtifactService;
}

/** What every job of a run shares. */
export interface RunEnvironment {
  paths: RunPaths;
  identity: RunIdentity;
  actions: ActionSources;
  machine: Machine;
  artifacts: ArtifactStorage;
  masker: Masker;
  /** Every log line as it is recorded, masked. */
  onLine?: (jobId: string, line: string) => void;
}

/** A node action's `runs.post`, run at the end of the job. */
export interface PostStep {
  name: string;
  action: ActionModel;
  env: Record<string, string>;
  condition: string;
  state: Record<string, string>;
  contexts: Contexts;
}

/** What one job keeps while its steps run. */
export interface JobState {
  id: string;
  workspace: string;
  temp: string;
  /** The variables the runner sets for this job's processes (see process-env.ts). */
  variables: JobVariables;
  /** Values written to GITHUB_ENV, visible to the following steps. */
  fileEnv: Record<string, string>;
  /** Directories written to GITHUB_PATH, latest first. */
  pathPrepends: string[];
  log: string[];
  summary: string[];
  annotations: Annotation[];
  posts: PostStep[];
  /** When the job's timeout-minutes runs out (epoch ms). */
  deadline?: number;
}

/** `steps.<id>` (a type, not an interface, so that it is Json). */
export type StepContextEntry = {
  outputs: Record<string, string>;
  outcome: StepOutcome;
  conclusion: StepOutcome;
};

/** The scope a list of steps runs in: a job's, or a composite action's. */
export interface StepScope {
  contexts: Contexts;
  /** The env context before the step's own `env:`. */
  env: Record<string, string>;
  steps: Record<string, StepContextEntry>;
  failed: boolean;
  /** Extra runner variables for this scope (GITHUB_ACTION_PATH in a composite). */
  extraEnv: Record<string, string>;
  /** A job's `defaults.run`, evaluated; composite steps have none. */
  defaults?: { shell?: string; workingDirectory?: string };
}

/** What a step's expressions are evaluated with. */
export interface Evaluation {
  contexts: Contexts;
  status: JobStatus;
  workspace: string;
}

/** success() / failure() inside a list of steps: has an earlier step failed? */
export function scopeStatus(scope: StepScope): JobStatus {
  return { success: !scope.failed, failure: scope.failed, cancelled: false };
}
