import { describe, expect, it } from '@jest/globals';
import {
  commandEnvironment,
  missingSecrets,
  parseConfigEnvInput,
  refuseUnknownConfigEnv,
  secretValues,
} from '../src/command-env.ts';
import { replacedTag } from '../src/deployment-history.ts';
import { streamRedactor } from '../src/redactor.ts';

describe('commandEnvironment', () => {
  const facts = {
    tag: 'v3',
    version: '3',
    digest: `sha256:${'a'.repeat(64)}`,
    directory: '/d',
    environment: 'prod',
    assetsDir: '/a',
    configFile: '/t/config.env',
  };

  // Issue 22, point 1: the config used to be layered over the job's environment whole.
  it('layers the job env, RELEASE_* and only the config keys config-env lists, and drops the action inputs', () => {
    const { env, secretValues } = commandEnvironment(
      { PATH: '/bin', GREETING: 'from job', INPUT_TOKEN: 'ghs_x', DB: 'pw', RELEASE_TAG: 'spoofed' },
      { values: { GREETING: 'from config', PORT: '80', MAKEFILES: '/proc/self/environ' }, secretKeys: ['DB'] },
      facts,
      ['PORT', 'DB'],
    );
    expect(env).toEqual({
      PATH: '/bin',
      GREETING: 'from job',
      PORT: '80',
      DB: 'pw',
      RELEASE_TAG: 'v3',
      RELEASE_VERSION: '3',
      RELEASE_DIGEST: facts.digest,
      RELEASE_DIR: '/d',
      RELEASE_ENVIRONMENT: 'prod',
      RELEASE_ASSETS_DIR: '/a',
      RELEASE_CONFIG_FILE: '/t/config.env',
    });
    expect(secretValues).toEqual(['pw']);
  });

  it("gives a listed config key the release's value over the job's", () => {
    const { env } = commandEnvironment(
      { GREETING: 'from job' },
      { values: { GREETING: 'from config' }, secretKeys: [] },
      facts,
      ['GREETING'],
    );
    expect(env['GREETING']).toBe('from config');
  });

  it('gives the command what a run: step sees: no action-only runtime variables', () => {
    const jobEnv = {
      PATH: '/bin',
      ACTIONS_RUNTIME_TOKEN: 'runtime-token',
      ACTIONS_RUNTIME_URL: 'https://pipelines.example/',
      ACTIONS_CACHE_URL: 'https://cache.example/',
      ACTIONS_RESULTS_URL: 'https://results.example/',
      ACTIONS_CACHE_SERVICE_V2: 'True',
      ACTIONS_CACHE_MODE: 'read-write',
      STATE_saved: 'x',
      GITHUB_ACTION_PATH: '/actions/deploy',
      GITHUB_ACTION_REPOSITORY: 'o/brr',
      GITHUB_ACTION_REF: 'v1',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
      ACTIONS_ORCHESTRATION_ID: 'orch',
      GITHUB_ACTION: '__run',
    };
    const { env } = commandEnvironment(jobEnv, { values: {}, secretKeys: [] }, facts, []);
    expect(
      Object.keys(env)
        .filter((k) => !k.startsWith('RELEASE_'))
        .sort(),
    ).toEqual([
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'ACTIONS_ORCHESTRATION_ID',
      'GITHUB_ACTION',
      'PATH',
    ]);
  });

  it('counts unset and empty secrets as missing', () => {
    expect(missingSecrets(['A', 'B', 'C'], { A: 'x', B: '' })).toEqual(['B', 'C']);
  });
});

describe("input 'config-env'", () => {
  it('reads names separated by commas, spaces or new lines, once each', () => {
    expect(parseConfigEnvInput(' PORT, GREETING\nDB_URL  PORT,,')).toEqual(['PORT', 'GREETING', 'DB_URL']);
    expect(parseConfigEnvInput('')).toEqual([]);
  });

  it.each([
    [
      'LD_PRELOAD',
      /^Input 'config-env', name 2: LD_PRELOAD is reserved and may not be set by a release's config: the dynamic loader/,
    ],
    ['BASH_ENV', /name 2: BASH_ENV is reserved .*a shell reads it at start-up/],
    ['RELEASE_TAG', /name 2: RELEASE_TAG is reserved .*deploy sets the RELEASE_\* facts/],
    ['GITHUB_ENV', /name 2: GITHUB_ENV is reserved/],
    ['not-a-name', /^Input 'config-env', name 2: the name is not a config key/],
  ])('refuses %s with the reason the reserved-name list gives', (name, message) => {
    expect(() => parseConfigEnvInput(`PORT, ${name}`)).toThrow(message);
  });

  it('refuses a key the release does not have, naming it and the release', () => {
    const release = { tag: 'v7', keys: ['GREETING', 'PORT'], secretKeys: ['DB'] };
    expect(() => refuseUnknownConfigEnv(['PORT', 'DB'], release)).not.toThrow();
    expect(() => refuseUnknownConfigEnv(['PORT', 'GRETING'], release)).toThrow(
      "Input 'config-env' names GRETING, which v7's config does not have (it has the keys DB, GREETING, PORT). Remove it from 'config-env', or release a config that sets it.",
    );
    expect(() => refuseUnknownConfigEnv(['A'], { tag: 'v8', keys: [], secretKeys: [] })).toThrow(
      /which v8's config does not have \(it has no config keys\)/,
    );
  });
});

describe('streamRedactor', () => {
  const collect = (secrets: string[], chunks: (string | Buffer)[]): string => {
    let out = '';
    const redactor = streamRedactor(secrets, (text) => (out += text));
    for (const chunk of chunks) redactor.push(chunk);
    redactor.end();
    return out;
  };

  it.each([
    [['the pw is hunter2\n'], 'the pw is ***\n'],
    [['the pw is hun', 'ter2 ok\nnext'], 'the pw is *** ok\nnext'],
    [['hunter2hunter2\n'], '******\n'],
    [['a longer-hunter2-x\n'], 'a ***\n'],
    [['a longer-hun', 'ter2-y\n'], 'a longer-***-y\n'],
  ])('redacts %j', (chunks, expected) => {
    expect(collect(['hunter2', 'longer-hunter2-x'], chunks)).toBe(expected);
  });

  // The secret at every offset of a 64 KiB+ line, cut at every boundary
  // around it, byte by byte through a multi-byte character too.
  const secret = 'pä$$-wörd-€-9';
  const secretBytes = Buffer.byteLength(secret);
  for (const lineLength of [10, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 7, 70 * 1024]) {
    it(`finds the secret straddling every chunk boundary in a line of ${lineLength} bytes`, () => {
      for (const at of [0, 1, lineLength - secretBytes - 1, Math.floor(lineLength / 2)].filter((n) => n >= 0)) {
        const text = `${'x'.repeat(at)}${secret}${'y'.repeat(Math.max(0, lineLength - at - secretBytes))}\nnext ${secret}`;
        const bytes = Buffer.from(text);
        const expected = text.split(secret).join('***');
        const start = Buffer.byteLength(text.slice(0, at));
        // Every cut from before the secret to after it.
        for (let cut = Math.max(0, start - 1); cut <= start + secretBytes + 1; cut++) {
          expect(collect([secret], [bytes.subarray(0, cut), bytes.subarray(cut)])).toBe(expected);
        }
        // Fixed-size chunks of several sizes, including 64 KiB itself.
        for (const size of [3, 4096, 64 * 1024]) {
          const chunks: Buffer[] = [];
          for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
          expect(collect([secret], chunks)).toBe(expected);
        }
      }
    });
  }

  it('finds the secret fed byte by byte', () => {
    const text = `one ${secret} two\n${secret}${secret}`;
    const bytes = Buffer.from(text);
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    expect(collect([secret], chunks)).toBe(text.split(secret).join('***'));
  });

  it('streams a long line without a newline instead of holding it', () => {
    const written: string[] = [];
    const redactor = streamRedactor(['hunter2'], (text) => written.push(text));
    redactor.push('x'.repeat(200 * 1024));
    expect(written.join('')).toBe('x'.repeat(200 * 1024));
    redactor.end();
  });

  it('masks every line of a multi-line secret, each printed alone', () => {
    const key = '-----BEGIN KEY-----\nAAAAsecretline1\r\nBBBBsecretline2\n-----END KEY-----';
    const values = secretValues(['KEY'], { KEY: key });
    expect(values).toEqual(
      expect.arrayContaining([key, '-----BEGIN KEY-----', 'AAAAsecretline1', 'BBBBsecretline2', '-----END KEY-----']),
    );
    const out = collect(values, ['line: BBBBsecretline2\n', key, '\n']);
    expect(out).not.toMatch(/secretline/);
  });
});

describe('replacedTag', () => {
  it.each<[string[], string, string | undefined]>([
    [[], 'v1', undefined],
    [['v1'], 'v2', 'v1'],
    [['v2', 'v1'], 'v2', 'v1'],
    [['v1', 'v2'], 'v2', 'v1'],
    [['v1'], 'v1', undefined],
  ])('history %j, deploying %s → %s', (history, tag, expected) => {
    expect(replacedTag(history, tag)).toBe(expected);
  });
});
