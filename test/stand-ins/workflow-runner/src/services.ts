// Services the runner offers the jobs of a run, as GitHub's runner offers
// the artifact service or the OIDC token endpoint: each is started once per
// run, gives each job the variables that reach it, and is closed when the
// run ends. A new service is one entry in SERVICES.
import { startArtifactStorage } from './artifact-service/runner-service.ts';
import type { Json } from './expressions.ts';
import { type IdTokenOptions, startIdTokenService } from './id-token-service.ts';
import type { JobVariables } from './process-env.ts';
import type { RunEnvironment } from './run-model.ts';
import type { TokenPermissions } from './permissions.ts';
import type { StepsJob } from './workflow-file.ts';

/** What a service knows of a job it serves. */
export interface ServedJob {
  model: StepsJob;
  /** The job's id in the run: `caller/job` for a job of a called workflow. */
  key: string;
  /** The job's GITHUB_TOKEN permissions, resolved (defaults, the calling job's cap). */
  permissions: TokenPermissions;
  /** The workflow file the job is written in: the run's, or a called reusable workflow. */
  jobWorkflow: { ref: string; sha: string };
}

export interface RunnerService {
  /** The variables this service gives one job's processes. */
  variables(job: ServedJob): Partial<JobVariables>;
  close(): Promise<void>;
}

/** What a service is started with: the run, and the `github` context its jobs see. */
export interface ServiceContext {
  run: RunEnvironment;
  github: Record<string, Json>;
  /** The OIDC issuer and repository facts of the token service. */
  idTokens?: IdTokenOptions;
}

export type StartService = (context: ServiceContext) => Promise<RunnerService>;

/** The services every run starts, in order. */
const SERVICES: readonly StartService[] = [startArtifactStorage, startIdTokenService];

export async function startServices(context: ServiceContext): Promise<RunnerService[]> {
  const started: RunnerService[] = [];
  try {
    for (const start of SERVICES) started.push(await start(context));
  } catch (error) {
    await closeServices(started);
    throw error;
  }
  return started;
}

export async function closeServices(services: readonly RunnerService[]): Promise<void> {
  await Promise.all(services.map((service) => service.close()));
}

/** A job's variables: the runner's own, then each service's. */
export function jobVariables(
  runner: Record<string, string>,
  services: readonly RunnerService[],
  job: ServedJob,
): JobVariables {
  const variables: JobVariables = { all: { ...runner }, actions: {} };
  for (const service of services) {
    const given = service.variables(job);
    Object.assign(variables.all, given.all);
    Object.assign(variables.actions, given.actions);
  }
  return variables;
}
