// The parts of deploy's provenance policy that come from the job rather
// than from an input: which identity instance the certificates name, and
// the repository's default branch (the default `source-ref`).
import { ConfigurationError } from '@build-release-run/contract';

/** GitHub Actions' OIDC token issuer on github.com. */
export const GITHUB_ACTIONS_TOKEN_ISSUER = 'https://token.actions.githubusercontent.com';

export interface IdentityInstance {
  /** The base URL Fulcio writes into the SAN and the source repository URI. */
  serverUrl: string;
  /** The `iss` of the workflow tokens Fulcio certified. */
  issuer: string;
}

/**
 * The identity the certificates carry, from the job's server URL. Fulcio
 * does not write the URL the job sees: it writes the base URL its own
 * configuration gives the token's issuer. For GitHub Actions' issuer that is
 * `https://github.com`; a GHE.com tenant (`https://TENANT.ghe.com`) has its
 * own issuer (`https://token.actions.TENANT.ghe.com`) and base URL. Any other
 * server (GitHub Enterprise Server has no artifact attestations; the local
 * stand-in serves the API at a local address) gets github.com's pair, which
 * is what its certificates name; the repository in them is still checked.
 */
export function identityInstance(serverUrl: string): IdentityInstance {
  let url: URL | undefined;
  try {
    url = new URL(serverUrl);
  } catch {
    url = undefined;
  }
  const tenant = url && url.protocol === 'https:' ? /^([a-z0-9-]+)\.ghe\.com$/i.exec(url.hostname)?.[1] : undefined;
  if (tenant) {
    const host = `${tenant.toLowerCase()}.ghe.com`;
    return { serverUrl: `https://${host}`, issuer: `https://token.actions.${host}` };
  }
  return { serverUrl: 'https://github.com', issuer: GITHUB_ACTIONS_TOKEN_ISSUER };
}

/** `deploy.yml` or `.github/workflows/deploy.yml` → the path the certificate names. */
const WORKFLOW_FILE = /^(?:\.github\/workflows\/)?([A-Za-z0-9_.-]+\.ya?ml)$/;

/**
 * Input 'signer-workflow': one or more workflow files of this repository
 * (comma or newline separated); empty accepts any workflow file.
 */
export function parseSignerWorkflows(text: string): string[] | undefined {
  const items = text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) return undefined;
  return items.map((item) => {
    const file = WORKFLOW_FILE.exec(item)?.[1];
    if (file === undefined || file.startsWith('.')) {
      throw new ConfigurationError(
        `Input 'signer-workflow' has '${item.slice(0, 80)}', which is not a workflow file of this repository. ` +
          "Give file names such as 'build-release.yml' (or '.github/workflows/build-release.yml'), separated by commas, or leave it empty to accept any workflow of this repository.",
      );
    }
    return `.github/workflows/${file}`;
  });
}

/** Input 'source-ref': a full ref, or a branch name (`main` → `refs/heads/main`). */
export function parseSourceRef(text: string): string | undefined {
  const ref = text.trim();
  if (ref === '') return undefined;
  const full = ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
  if (!/^refs\/(heads|tags)\/[A-Za-z0-9._/-]+$/.test(full) || /\.\.|\/\/|\/$|\.lock$/.test(full)) {
    throw new ConfigurationError(
      `Input 'source-ref' is '${ref.slice(0, 80)}', which is not a branch or tag ref. ` +
        "Give the ref the signing workflows ran on, e.g. 'main', 'refs/heads/main' or 'refs/tags/v1', or leave it empty for the default branch.",
    );
  }
  return full;
}

/** The repository's default branch, as the event payload carries it (`repository.default_branch`). */
export function defaultBranchFromEvent(event: unknown): string | undefined {
  const branch = (event as { repository?: { default_branch?: unknown } } | undefined)?.repository?.default_branch;
  return typeof branch === 'string' && branch !== '' ? `refs/heads/${branch}` : undefined;
}
