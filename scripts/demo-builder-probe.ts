// The builder's isolation in `pnpm demo`: a build command, run by the
// reusable build workflow as any build command is, tries to mint the run's
// OIDC token (what the build's provenance is signed with) and finds no
// endpoint, because the job that runs it grants no id-token.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunWorkflowOptions, RunWorkflowResult } from '@build-release-run/workflow-runner';
import { runWorkflow } from '@build-release-run/workflow-runner';

/** Reads ACTIONS_ID_TOKEN_REQUEST_URL and, if it is there, calls it as @actions/core's getIDToken does. */
const PROBE = [
  'mkdir -p out && echo probe > out/index.html',
  "node -e 'const url = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;",
  'if (!url) { console.log("oidc probe: ACTIONS_ID_TOKEN_REQUEST_URL is not set, no token to mint"); process.exit(0); }',
  'fetch(url + "&audience=sigstore", { headers: { authorization: "Bearer " + process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN } })',
  '  .then((r) => console.log("oidc probe: the endpoint answered " + r.status));\'',
].join('\n');

/**
 * A workflow that calls the builder as users do, its build command from the
 * variable BUILD_COMMAND (so a command is data, never workflow text), its
 * output in `path`. Shared with test/builder-workflow.test.ts.
 */
export function builderCaller(outputPath: string, format = 'tar.zst'): string {
  return `name: Build with the builder
on: push
permissions: {}
jobs:
  build:
    uses: OWNER/build-release-run/.github/workflows/build.yml@v1
    permissions:
      contents: read
      id-token: write
      attestations: write
    with:
      run: \${{ vars.BUILD_COMMAND }}
      path: ${outputPath}
      format: ${format}
`;
}

export async function probeBuilder(
  dir: string,
  options: Omit<RunWorkflowOptions, 'workflowFile' | 'repoDir'>,
  say: (line: string) => void,
): Promise<string> {
  say('\n▶ A build command that tries to mint the OIDC token, run by the builder (the reusable build workflow)');
  const repo = path.join(dir, 'probe');
  await mkdir(path.join(repo, '.github', 'workflows'), { recursive: true });
  await writeFile(path.join(repo, '.github', 'workflows', 'probe.yml'), builderCaller('out'));
  const result: RunWorkflowResult = await runWorkflow({
    ...options,
    repoDir: repo,
    workflowFile: '.github/workflows/probe.yml',
    vars: { ...options.vars, BUILD_COMMAND: PROBE },
  });
  const found = result.jobs['build/build']?.log.find((line) => line.includes('oidc probe: ')) ?? '(no answer)';
  const finding = found.slice(found.indexOf('oidc probe: ') + 'oidc probe: '.length);
  say(`  the build command: ${finding}`);
  return finding;
}
