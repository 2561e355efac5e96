/**
 * pnpm github-server --port <n|0> --repo OWNER/NAME=PATH --token TOKEN
 *   [--repo …] [--read-only-token TOKEN] [--private OWNER/NAME] [--immutable-releases] [--data DIR] [--validate-responses]
 * Prints the API base URL on its first line, then serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { ConfigurationError, errorMessage } from '@build-release-run/contract';
import { startGitHubServer, type GitHubServerOptions } from './server.ts';

export function parseCliArguments(args: string[]): GitHubServerOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '0' },
      repo: { type: 'string', multiple: true },
      token: { type: 'string', multiple: true },
      'read-only-token': { type: 'string', multiple: true },
      private: { type: 'string', multiple: true },
      'immutable-releases': { type: 'boolean', default: false },
      data: { type: 'string' },
      'validate-responses': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigurationError(`--port must be a port number or 0 for any free port; got '${values.port}'.`);
  }
  const repos: Record<string, string> = {};
  for (const spec of values.repo ?? []) {
    const m = /^([^/=\s]+\/[^/=\s]+)=(.+)$/.exec(spec);
    if (!m) throw new ConfigurationError(`--repo must be OWNER/NAME=PATH (a local git repository); got '${spec}'.`);
    repos[m[1] as string] = m[2] as string;
  }
  if (Object.keys(repos).length === 0)
    throw new ConfigurationError('--repo OWNER/NAME=PATH is required (at least one).');
  const tokens = values.token ?? [];
  if (tokens.length === 0)
    throw new ConfigurationError('--token TOKEN is required: clients must send it as Authorization.');
  const unknown = (values.private ?? []).filter((name) => repos[name] === undefined);
  if (unknown.length > 0) throw new ConfigurationError(`--private ${unknown.join(', ')}: not a --repo of this server.`);
  return {
    port,
    repos,
    token: tokens,
    readOnlyTokens: values['read-only-token'] ?? [],
    visibility: Object.fromEntries((values.private ?? []).map((name) => [name, 'private' as const])),
    immutableReleases: values['immutable-releases'],
    dataDir: values.data,
    validateResponses: values['validate-responses'],
  };
}

async function main(): Promise<void> {
  const server = await startGitHubServer(parseCliArguments(process.argv.slice(2)));
  process.stdout.write(`${server.url}\n`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(`github-server: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  });
}
