/**
 * GitHub's CLI (`gh`, Debian's 2.23: scripts/install-system-packages.sh)
 * pointed at the local GitHub server, the way gh itself supports a
 * plain-HTTP GitHub: its development host `github.localhost`, whose API gh
 * reaches at `http://api.github.localhost/` (GraphQL at `/graphql`) with
 * `GH_TOKEN`. That name resolves nowhere and gh would ask port 80, so gh
 * reaches the server as its HTTP proxy (`HTTP_PROXY`, honoured by Go's HTTP
 * client): the server answers the absolute-form requests itself and builds
 * every link for the `Host` gh sent, so downloads and uploads come back the
 * same way. An enterprise host (`GH_HOST=127.0.0.1:PORT`,
 * `GH_ENTERPRISE_TOKEN`) is not an option: gh 2.23 speaks only HTTPS to
 * those (`https://HOST/api/v3/`, `https://HOST/api/graphql`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GitHubServer } from '@build-release-run/github-server';

/** gh's own plain-HTTP host. */
export const GH_HOST = 'github.localhost';

/** No gh command in these tests takes longer; a hung one fails the test instead of the suite. */
const GH_TIMEOUT_MS = 60_000;

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GhSession {
  /** The environment gh runs with (a fresh config folder, no prompts, no colour). */
  env: Record<string, string>;
  /** Runs `gh ARGS` in `cwd`. */
  gh(args: string[], cwd: string): Promise<CommandResult>;
  /** Runs one shell line (as a reviewer pastes it) with bash in `cwd`. */
  shell(line: string, cwd: string): Promise<CommandResult>;
  close(): Promise<void>;
}

function run(file: string, args: string[], cwd: string, env: Record<string, string>): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, timeout: GH_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr: error?.killed ? `${stderr}\n(killed after ${GH_TIMEOUT_MS} ms)` : stderr });
    });
  });
}

/** A gh that talks to `server` as the holder of `token`; `extraEnv` adds to its environment (e.g. `GH_REPO`). */
export async function startGh(
  server: GitHubServer,
  token: string,
  extraEnv: Record<string, string> = {},
): Promise<GhSession> {
  const configDir = await mkdtemp(path.join(tmpdir(), 'brr-gh-config-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: configDir,
    GH_CONFIG_DIR: configDir,
    GH_HOST,
    GH_TOKEN: token,
    HTTP_PROXY: server.url,
    // An inherited NO_PROXY=localhost would send `*.localhost` around the proxy.
    NO_PROXY: '',
    GH_PROMPT_DISABLED: '1',
    GH_NO_UPDATE_NOTIFIER: '1',
    NO_COLOR: '1',
    ...extraEnv,
  };
  return {
    env,
    gh: (args, cwd) => run('gh', args, cwd, env),
    shell: (line, cwd) => run('bash', ['-c', line], cwd, env),
    close: () => rm(configDir, { recursive: true, force: true }),
  };
}
