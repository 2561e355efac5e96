/**
 * Input 'digest' (the reusable build workflow's signing job): what it refuses
 * before it downloads or signs anything, each message naming the input and
 * the fix.
 */
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@build-release-run/contract';
import { attestExistingBuild } from '../src/attest-existing.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const SIGNING = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' };
const STORAGE = { ACTIONS_RUNTIME_TOKEN: 'r', ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/' };

async function refusal(digest: string, given: Record<string, string>, env: NodeJS.ProcessEnv): Promise<unknown> {
  return attestExistingBuild(digest, (name) => given[name] ?? '', env).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("input 'digest'", () => {
  it.each([
    ['a digest that is not sha256:<64 hex>', 'sha256:abc', {}, { ...SIGNING, ...STORAGE }, /'digest'/],
    [
      "'path' beside it",
      DIGEST,
      { path: 'dist' },
      { ...SIGNING, ...STORAGE },
      /^Input 'digest' attests a build an earlier job made, so 'path' must be empty: build in one job/,
    ],
    [
      "'run' and 'image' beside it, both named",
      DIGEST,
      { run: 'make', image: 'ghcr.io/o/a:1' },
      { ...SIGNING, ...STORAGE },
      /so 'image', 'run' must be empty/,
    ],
    [
      'a job without id-token: write',
      DIGEST,
      {},
      STORAGE,
      /^Input 'digest' asks to attest a build, but this job has no OIDC token to sign it with: grant the job 'permissions: id-token: write' and 'attestations: write'\.$/,
    ],
    [
      'a step without artifact storage',
      DIGEST,
      {},
      SIGNING,
      /^Input 'digest': this step has no artifact storage .*ACTIONS_RUNTIME_TOKEN/,
    ],
  ])('refuses %s, naming the input and the fix', async (_what, digest, given, env, message) => {
    const error = await refusal(digest, given, env);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
  });
});
