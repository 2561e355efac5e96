/** brr's command line: parsed once into a typed command, or a UsageError (exit 2). */
import { parseArgs } from 'node:util';
import { errorMessage } from '@build-release-run/contract';
import { TRUST_INPUTS } from '@build-release-run/release-verify';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: brr <command> [options]

Commands:
  ledger [--environment E] [--json] [--html FILE]
                 Releases and deployments per environment: what is live,
                 what ran before, rollbacks and failures; each release
                 marked verified, unattested or refused, and why.
  verify TAG     Check release TAG as deploy checks it (immutable, every
                 digest, the tag at the built commit, the image in its
                 registry, the signed provenance by the policy below), then
                 unpack it safely into a temporary folder. Nothing is run.
                 Exits 1, naming the failed claim, wherever deploy would
                 refuse the release.
  diff A B [--json]
                 What changed from release A to release B (each verified as
                 verify does, without the unpack): config keys added,
                 removed and changed (secrets by name only), and whether the
                 build is the same.

The trust policy (the deploy action's inputs of the same names):
  --build-signer WORKFLOW    A workflow whose signature on the build's
                             provenance is accepted (repeat, or separate
                             with commas): 'build-release.yml' (run on
                             --source-ref), 'build-release.yml@refs/tags/v2',
                             'owner/repo/.github/workflows/build.yml@REF'.
                             Default: any workflow file of the repository.
  --release-signer WORKFLOW  The same, for the signature on release.json.
  --trusted-builder WORKFLOW The reusable build workflow whose signature a
                             release that claims a builder must carry
                             ('owner/repo/.github/workflows/build.yml@REF');
                             needed for such releases outside a workflow.
  --source-ref REF           The ref the signing workflows ran on (e.g.
                             main). Default: the default branch of the
                             event payload ($GITHUB_EVENT_PATH) in a
                             workflow; required outside one.
  --verify-provenance BOOL   false: do not check the signed provenance.
  --allow-mutable-release BOOL
                             true: accept releases GitHub does not mark
                             immutable.

Options:
  --repo OWNER/REPO  The repository (default: $GITHUB_REPOSITORY).
  --server URL       The GitHub server, for the identity in certificates and
                     the ledger page's links (default: $GITHUB_SERVER_URL,
                     else https://github.com).
  -h, --help         Show this help.
  -V, --version      Show brr's version.

Environment:
  GITHUB_TOKEN or GH_TOKEN  The token (read access to contents, deployments
                            and attestations).
  GITHUB_API_URL            The API (default: https://api.github.com).
  BRR_SIGSTORE_TRUSTED_ROOT A Sigstore trusted_root.json to verify with
                            instead of the public-good root (a private
                            repository's instance, or a local Sigstore).

Exit status:
  0  success (also --help and --version)
  1  failure: a release that does not verify, a tag that is not a release,
     an API error
  2  usage error: an unknown command or option, a missing argument, no
     token or repository

Runs on Node 20.20+, 22.22+ and 24.15+; Node 20 has no zstd, so there a
.tar.zst build cannot be verified.
`;

export type TrustFlag = (typeof TRUST_INPUTS)[number];

/** The trust policy as given on the command line, by input name ('' when not given). */
export type PolicyFlags = Record<TrustFlag, string>;

interface Common {
  repo?: string;
  server?: string;
  policy: PolicyFlags;
}

export type Command =
  | { name: 'help' }
  | { name: 'version' }
  | ({ name: 'ledger'; environment?: string; json: boolean; html?: string } & Common)
  | ({ name: 'verify'; tag: string } & Common)
  | ({ name: 'diff'; from: string; to: string; json: boolean } & Common);

const POLICY_OPTIONS = Object.fromEntries(
  TRUST_INPUTS.map((name) => [name, { type: 'string' as const, multiple: true as const }]),
);

const ALLOWED: Record<string, string[]> = {
  ledger: ['repo', 'server', 'environment', 'json', 'html', ...TRUST_INPUTS],
  verify: ['repo', 'server', ...TRUST_INPUTS],
  diff: ['repo', 'server', 'json', ...TRUST_INPUTS],
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
        server: { type: 'string' },
        environment: { type: 'string' },
        json: { type: 'boolean' },
        html: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...POLICY_OPTIONS,
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (error) {
    throw new UsageError(errorMessage(error));
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
  const common: Common = {
    ...(values.repo === undefined ? {} : { repo: values.repo }),
    ...(values.server === undefined ? {} : { server: values.server }),
    policy: policyFlags(values as Record<string, unknown>),
  };
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
      ...common,
      json: values.json ?? false,
      ...(values.environment === undefined ? {} : { environment: values.environment }),
      ...(values.html === undefined ? {} : { html: values.html }),
    };
  }
  if (name === 'verify') {
    const [tag] = want(1, 'one TAG') as [string];
    return { name, ...common, tag };
  }
  const [from, to] = want(2, 'two tags, A and B') as [string, string];
  return { name: 'diff', ...common, from, to, json: values.json ?? false };
}

/** Each policy flag as the input of the same name would read: repeated signers joined as a list. */
function policyFlags(values: Record<string, unknown>): PolicyFlags {
  const flags = {} as PolicyFlags;
  for (const name of TRUST_INPUTS) {
    const given = (values[name] as string[] | undefined) ?? [];
    if (
      (name === 'verify-provenance' || name === 'allow-mutable-release' || name === 'source-ref') &&
      given.length > 1
    ) {
      throw new UsageError(`--${name} is given ${given.length} times`);
    }
    flags[name] = given.join(',');
  }
  return flags;
}
