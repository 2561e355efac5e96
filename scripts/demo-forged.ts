// The forged release of `pnpm demo`: what deploy does with a release that a
// workflow of the repository did not make.
import path from 'node:path';
import { connect } from '@build-release-run/cli';
import type { RunWorkflowResult } from '@build-release-run/workflow-runner';
import { publishTestRelease } from '@build-release-run/test-helpers/deploy-releases';

export interface ForgedDeploy {
  tag: string;
  refusal: string;
  deployed: boolean;
}

/**
 * Someone with a contents: write token publishes a release by direct API
 * calls: consistent checksums, manifest and GitHub digests, immutable, its
 * tag on a real commit, but signed by no workflow. deploy.yml must refuse it.
 */
export async function forgeAndDeploy(
  target: { apiUrl: string; token: string; repository: string; dir: string; commit: string },
  runDeploy: (tag: string, environment: string) => Promise<RunWorkflowResult>,
  say: (line: string) => void,
): Promise<ForgedDeploy> {
  const tag = 'v99';
  say(`\n▶ A release forged with a contents: write token: ${tag}, published by direct API calls, not attested`);
  const api = connect({ token: target.token, apiUrl: target.apiUrl, repository: target.repository });
  await publishTestRelease(
    api,
    {
      tag,
      environment: 'staging',
      files: { 'server.js': 'console.log("not what the build workflow made")\n' },
      config: { GREETING: 'forged' },
      commit: target.commit,
    },
    path.join(target.dir, 'forged'),
  );
  const result = await runDeploy(tag, 'staging');
  const refusal = result.jobs['deploy']!.annotations.find((a) => a.level === 'error')?.message ?? '(no error)';
  say(`  deploy.yml ${result.conclusion === 'success' ? 'DEPLOYED IT' : 'refused it'}: ${refusal}`);
  return { tag, refusal, deployed: result.conclusion === 'success' };
}
