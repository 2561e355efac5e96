// The artifact service as one of the runner's services: each job's actions
// (not its `run:` scripts) get ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL.
import type { RunnerService, ServiceContext } from '../services.ts';
import { startArtifactService } from './index.ts';

export async function startArtifactStorage({ run }: ServiceContext): Promise<RunnerService> {
  const shared = run.artifacts.shared;
  const service = shared ?? (await startArtifactService(run.artifacts.dir));
  return {
    variables: (job) => ({ actions: service.actionEnv(run.identity.runId, job.key) }),
    close: async () => {
      if (!shared) await service.stop();
    },
  };
}
