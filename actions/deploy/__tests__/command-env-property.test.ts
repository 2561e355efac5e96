/**
 * Issue 22: for any config (random key names and values) and any job, the
 * deploy command's environment is exactly what a `run:` step of the job sees,
 * plus the RELEASE_* facts, plus the keys input `config-env` lists. Nothing
 * else from the release becomes a variable. fast-check with a fixed seed, so
 * the run is the same every time; a failure prints the counterexample.
 *
 * The oracle is built from the parts, not from the code under test: the job
 * is generated as what a `run:` step sees and, apart, what the runner adds
 * for a node action only (actions/runner: the runtime token and service
 * URLs, INPUT_*, STATE_*, the action's own path and repository).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isConfigKey } from '@build-release-run/release-format';
import { type ReleaseFacts, commandEnvironment } from '../src/command-env.ts';

const SEED = 20261222;

const facts: ReleaseFacts = {
  tag: 'v9',
  version: '9',
  digest: `sha256:${'b'.repeat(64)}`,
  directory: '/deploy/v9',
  environment: 'production',
  assetsDir: '/deploy/assets',
  configFile: '/deploy/release-config/config.env',
};
const FACT_VARIABLES: Record<string, string> = {
  RELEASE_TAG: facts.tag,
  RELEASE_VERSION: facts.version,
  RELEASE_DIGEST: facts.digest,
  RELEASE_DIR: facts.directory,
  RELEASE_ENVIRONMENT: facts.environment,
  RELEASE_ASSETS_DIR: facts.assetsDir,
  RELEASE_CONFIG_FILE: facts.configFile,
};

// A small alphabet so config keys and the job's variables collide often.
const name = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,3}$/);
const configKey = name.filter(isConfigKey);
// Anything but NUL (an environment value cannot hold one).
const value = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((v) => !v.includes('\0'));
// What a run: step may see besides the job's own names: the runner's, ours, the loader's.
const stepName = fc.oneof(
  name,
  fc.constantFrom('PATH', 'HOME', 'GITHUB_ENV', 'RUNNER_TEMP', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'RELEASE_TAG', 'CI'),
);
const actionOnlyName = fc.oneof(
  fc.constantFrom(
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_CACHE_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_SERVICE_V2',
    'ACTIONS_CACHE_MODE',
    'GITHUB_ACTION_PATH',
    'GITHUB_ACTION_REPOSITORY',
    'GITHUB_ACTION_REF',
  ),
  name.map((n) => `INPUT_${n}`),
  name.map((n) => `STATE_${n}`),
);

const scenario = fc
  .record({
    step: fc.dictionary(stepName, value, { maxKeys: 12 }),
    actionOnly: fc.dictionary(actionOnlyName, value, { maxKeys: 6 }),
    values: fc.dictionary(configKey, value, { maxKeys: 10 }),
    secrets: fc.dictionary(
      configKey,
      value.filter((v) => v !== ''),
      { maxKeys: 3 },
    ),
    listed: fc.array(fc.nat(), { maxLength: 6 }),
  })
  .map(({ step, actionOnly, values, secrets, listed }) => {
    // A secret key carries no value in the config; the workflow put its value in the job's env.
    for (const key of Object.keys(secrets)) delete values[key];
    const keys = [...Object.keys(values), ...Object.keys(secrets)];
    const configEnv = keys.length === 0 ? [] : [...new Set(listed.map((i) => keys[i % keys.length] as string))];
    // The step's own variables are what a run: step sees; secrets are in the job's env too.
    const runStep = { ...step, ...secrets };
    for (const key of Object.keys(runStep)) if (key in actionOnly) delete runStep[key];
    return { runStep, jobEnv: { ...runStep, ...actionOnly }, values, secretKeys: Object.keys(secrets), configEnv };
  });

describe('the deploy command environment (property)', () => {
  it('is exactly the run: step environment, plus the RELEASE_* facts, plus the config-env keys', () => {
    fc.assert(
      fc.property(scenario, ({ runStep, jobEnv, values, secretKeys, configEnv }) => {
        const { env } = commandEnvironment(jobEnv, { values, secretKeys }, facts, configEnv);
        const listed = Object.fromEntries(configEnv.map((key) => [key, values[key] ?? runStep[key]]));
        expect(env).toEqual({ ...runStep, ...FACT_VARIABLES, ...listed });
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('never gives an unlisted config key its release value', () => {
    fc.assert(
      fc.property(scenario, ({ runStep, jobEnv, values, secretKeys, configEnv }) => {
        const { env } = commandEnvironment(jobEnv, { values, secretKeys }, facts, configEnv);
        for (const key of Object.keys(values).filter((k) => !configEnv.includes(k))) {
          expect([key, env[key]]).toEqual([key, runStep[key]]);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
