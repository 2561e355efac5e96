/**
 * Node actions get ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL from the
 * runner; `run:` steps, composite steps and a plain `node dist/…` do not.
 */
export function hasArtifactStorage(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env['ACTIONS_RUNTIME_TOKEN'] && env['ACTIONS_RESULTS_URL']);
}
