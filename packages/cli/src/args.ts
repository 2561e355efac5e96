/** brr's command line: parsed once into a typed command, or a UsageError (exit 2). */
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: brr <command> [options]

Commands:
  ledger [--environment E] [--json] [--html FILE]
                 Releases and deployments per environment: what is live,
                 what ran before, rollbacks and failures.
  verify TAG     Download release TAG and check it as deploy does (every
                 digest, then a safe unpack into a temporary folder).
                 Nothing is run.
  diff A B [--json]
                 What changed from release A to release B: config keys
                 added, removed and changed (secrets by name only), and
                 whether the build is the same.

Options:
  --repo OWNER/REPO  The repository (default: $GITHUB_REPOSITORY).
  -h, --help         Show this help.
  -V, --version      Show brr's version.

Environment:
  GITHUB_TOKEN or GH_TOKEN  The token (read access to contents and deployments).
  GITHUB_API_URL            The API (default: https://api.github.com).

Exit status:
  0  success (also --help and --version)
  1  failure: a release that does not verify, a tag that is not a release,
     an API error
  2  usage error: an unknown command or option, a missing argument, no
     token or repository

Runs on Node 20.20+, 22.22+ and 24.15+; Node 20 has no zstd, so there a
.tar.zst build cannot be verified.
`;

export type Command =
  | { name: 'help' }
  | { name: 'version' }
  | { name: 'ledger'; repo?: string; environment?: string; json: boolean; html?: string }
  | { name: 'verify'; repo?: string; tag: string }
  | { name: 'diff'; repo?: string; from: string; to: string; json: boolean };

const ALLOWED: Record<string, string[]> = {
  ledger: ['repo', 'environment', 'json', 'html'],
  verify: ['repo'],
  diff: ['repo', 'json'],
};

export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        repo: { type: 'string' },
        environment: { type: 'string' },
        json: { type: 'boolean' },
        html: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help' };
  if (values.version) return { name: 'version' };
  const [name, ...rest] = positionals;
  if (name === undefined) throw new UsageError('no command given');
  const allowed = ALLOWED[name];
  if (allowed === undefined) throw new UsageError(`unknown command '${name}'`);
  for (const option of Object.keys(values)) {
    if (!allowed.includes(option)) throw new UsageError(`'${name}' takes no --${option}`);
  }
  const repo = values.repo === undefined ? {} : { repo: values.repo };
  const want = (count: number, what: string): string[] => {
    if (rest.length !== count) throw new UsageError(`'${name}' takes ${what}, got ${rest.length} argument(s)`);
    return rest;
  };
  if (name === 'ledger') {
    want(0, 'no arguments');
    if (values.environment === '') throw new UsageError('--environment is empty');
    if (values.html === '') throw new UsageError('--html needs a file name');
    return {
      name,
      ...repo,
      json: values.json ?? false,
      ...(values.environment === undefined ? {} : { environment: values.environment }),
      ...(values.html === undefined ? {} : { html: values.html }),
    };
  }
  if (name === 'verify') {
    const [tag] = want(1, 'one TAG') as [string];
    return { name, ...repo, tag };
  }
  const [from, to] = want(2, 'two tags, A and B') as [string, string];
  return { name: 'diff', ...repo, from, to, json: values.json ?? false };
}
