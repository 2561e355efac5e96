import { describe, expect, it } from '@jest/globals';
import {
  configKeyProblem,
  isConfigKey,
  parseConfigEnv,
  reservedKeyNames,
  reservedKeyReason,
  serializeConfigEnv,
  validateManifest,
} from '../src/index.ts';

// Keys that run code or steer the job, from each family the list covers.
const RESERVED = [
  'BASH_ENV',
  'ENV',
  'SHELLOPTS',
  'BASHOPTS',
  'PS4',
  'PROMPT_COMMAND',
  'IFS',
  'CDPATH',
  'GLOBIGNORE',
  'BASH_FUNC_ls',
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'LD_AUDIT',
  'DYLD_INSERT_LIBRARIES',
  'GLIBC_TUNABLES',
  'GCONV_PATH',
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_EXTRA_CA_CERTS',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'npm_config_script_shell',
  'OPENSSL_CONF',
  'PYTHONSTARTUP',
  'PYTHONPATH',
  'PYTHONHOME',
  'PERL5OPT',
  'PERL5LIB',
  'PERLLIB',
  'RUBYOPT',
  'RUBYLIB',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_EXEC_PATH',
  'GIT_CONFIG_COUNT',
  'GIT_CONFIG_KEY_0',
  'DOTNET_STARTUP_HOOKS',
  'CORECLR_PROFILER_PATH',
  'PSModulePath',
  'LUA_INIT',
  'LUA_INIT_5_4',
  'PHPRC',
  'ERL_AFLAGS',
  'R_PROFILE_USER',
  'GOFLAGS',
  'RUSTC_WRAPPER',
  'LESSOPEN',
  'SUDO_ASKPASS',
  'KUBECONFIG',
  'AWS_CONFIG_FILE',
  'DOCKER_CONFIG',
  'CURL_HOME',
  'PIP_INDEX_URL',
  'https_proxy',
  'NO_PROXY',
  'GITHUB_ENV',
  'GITHUB_OUTPUT',
  'GITHUB_PATH',
  'GITHUB_TOKEN',
  'RUNNER_TEMP',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'INPUT_TOKEN',
  'STATE_x',
  'RELEASE_TAG',
  'RELEASE_DIR',
  'PATH',
  'Path',
  'HOME',
  'home',
];

const ORDINARY = [
  'DATABASE_URL',
  'NODE_ENV',
  'PORT',
  'LOG_LEVEL',
  'PYTHONUNBUFFERED',
  'APP_PATH',
  'MY_HOME',
  'GITHUBX',
  'AWS_REGION',
  'AWS_PROFILE',
  'DOTNET_ENVIRONMENT',
  'ASPNETCORE_ENVIRONMENT',
  'GOMAXPROCS',
  'LUA_VERSION',
];

describe('reserved config keys', () => {
  it.each(RESERVED)('%s is reserved, with a reason', (key) => {
    expect(reservedKeyReason(key)).toMatch(/\w{3,}/);
    expect(isConfigKey(key)).toBe(false);
    expect(configKeyProblem(key)).toMatch(new RegExp(`^${key} is reserved .*: .+\\. Rename the key`));
  });

  it.each(ORDINARY)('%s is an ordinary key', (key) => {
    expect(reservedKeyReason(key)).toBeUndefined();
    expect(isConfigKey(key)).toBe(true);
    expect(configKeyProblem(key)).toBeUndefined();
  });

  it('lists every name once', () => {
    const names = reservedKeyNames();
    expect(new Set(names).size).toBe(names.length);
  });

  it('says why without showing an invalid name', () => {
    expect(configKeyProblem('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC+/x')).toBe(
      'the name is not a config key: use an environment variable name: 1 to 128 ASCII letters, digits and underscores, not starting with a digit (e.g. DATABASE_URL).',
    );
  });
});

// A release made by hand (or by an older release action) carries a
// config.env that deploy parses: the same rule refuses it there.
describe('config.env made by hand', () => {
  it.each([
    ['a value', 'APP=1\nBASH_ENV=$(touch /tmp/pwned)\n', /config\.env line 2: BASH_ENV is reserved/],
    ['a quoted value', 'LD_PRELOAD="/tmp/x.so"\n', /config\.env line 1: LD_PRELOAD is reserved/],
    ['a secret key', '# secret GITHUB_TOKEN\n', /config\.env line 1: GITHUB_TOKEN is reserved/],
    ['a lower-case PATH', 'path=/tmp/evil\n', /config\.env line 1: path is reserved/],
    ['a bad secret name', '# secret 1BAD\n', /config\.env line 1: the name is not a config key/],
  ])('refuses a reserved key given as %s', (_name, text, message) => {
    expect(() => parseConfigEnv(text)).toThrow(message);
  });

  it('never writes one', () => {
    expect(() => serializeConfigEnv({ values: { NODE_OPTIONS: '--require x' }, secretKeys: [] })).toThrow(
      /NODE_OPTIONS is reserved/,
    );
    expect(() => serializeConfigEnv({ values: {}, secretKeys: ['GIT_ASKPASS'] })).toThrow(/GIT_ASKPASS is reserved/);
  });

  it('and the manifest may not list one', () => {
    expect(() =>
      validateManifest({
        schema: 'build-release-run/release@1',
        tag: 'v1',
        version: '1',
        environment: 'production',
        build: {
          digest: `sha256:${'a'.repeat(64)}`,
          archive: `app-${'a'.repeat(12)}.tar.gz`,
          format: 'tar.gz',
          size: 1,
          commit: 'c'.repeat(40),
          ref: 'refs/heads/main',
        },
        config: { asset: 'config.env', digest: `sha256:${'b'.repeat(64)}`, keys: ['BASH_ENV'], secretKeys: [] },
        previous: null,
        run: { id: '1', attempt: '1', url: 'https://github.com/o/r/actions/runs/1' },
        actor: 'me',
        createdAt: '2026-01-01T00:00:00Z',
      }),
    ).toThrow(/config\.keys/);
  });
});
