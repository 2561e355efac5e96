// The trust policy's parts that come from the job and its inputs: which
// identity instance the certificates name, the signer allow-lists
// ('build-signer', 'release-signer'), and the ref the signing runs must have
// been on ('source-ref', by default the repository's default branch).
import { ConfigurationError } from '@build-release-run/contract';
import type { SignerRule } from './policy.ts';

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

/** A branch or tag ref by git check-ref-format's rules, narrowed to the characters refs of workflows use. */
function isFullRef(ref: string): boolean {
  return /^refs\/(heads|tags)\/[A-Za-z0-9._/-]+$/.test(ref) && !/\.\.|\/\/|\/$|\.lock$|\/\./.test(ref);
}

const FILE = '[A-Za-z0-9_-][A-Za-z0-9_.-]*\\.ya?ml';
/** `build-release.yml`, `.github/workflows/build-release.yml`, either with `@<ref>`. */
const OWN_WORKFLOW = new RegExp(`^(?:\\.github/workflows/)?(${FILE})(?:@(.+))?$`);
/** `owner/repo/.github/workflows/file.yml@<ref>`: a workflow of any repository, at one ref. */
const ANY_WORKFLOW = new RegExp(`^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)/\\.github/workflows/(${FILE})@(.+)$`);
/** A signer's ref: a full branch or tag ref, or a commit. */
const signerRef = (ref: string | undefined): boolean =>
  ref === undefined || isFullRef(ref) || /^[0-9a-f]{40}$/.test(ref);

/**
 * Inputs 'build-signer' and 'release-signer': the workflows whose signature
 * on that claim is accepted, comma or newline separated. Each is a workflow
 * file of this repository run on 'source-ref' (`build-release.yml`), one at
 * an exact ref or commit (`build-release.yml@refs/tags/v2`), or a workflow of
 * any repository at an exact ref (`owner/repo/.github/workflows/build.yml@refs/tags/v1`,
 * a reusable workflow called as a builder). Empty: any workflow file of this
 * repository on 'source-ref' (undefined).
 */
export function parseSigners(text: string, input: string): SignerRule[] | undefined {
  const items = text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) return undefined;
  return items.map((item) => {
    const own = OWN_WORKFLOW.exec(item);
    if (own !== null && signerRef(own[2])) {
      return { path: `.github/workflows/${own[1]}`, ...(own[2] === undefined ? {} : { ref: own[2] }) };
    }
    const any = ANY_WORKFLOW.exec(item);
    if (any !== null && signerRef(any[3])) {
      return { repository: any[1] as string, path: `.github/workflows/${any[2]}`, ref: any[3] as string };
    }
    throw new ConfigurationError(
      `Input '${input}' has '${item.slice(0, 120)}', which is not a signing workflow. ` +
        "Give a workflow file of this repository ('build-release.yml', run on 'source-ref'), one at an exact ref " +
        "('build-release.yml@refs/tags/v2'), or a workflow of another repository at an exact ref " +
        "('owner/repo/.github/workflows/build.yml@refs/tags/v1'), separated by commas; or leave it empty to accept any workflow file of this repository on 'source-ref'.",
    );
  });
}

/** Input 'source-ref': a full ref, or a branch name (`main` → `refs/heads/main`). */
export function parseSourceRef(text: string): string | undefined {
  const ref = text.trim();
  if (ref === '') return undefined;
  const full = ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
  if (!isFullRef(full)) {
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

/** The reusable build workflow of this repository (the builder, SLSA Build L3). */
export const BUILDER_WORKFLOW_PATH = '.github/workflows/build.yml';

/**
 * The builder trusted when 'trusted-builder' is empty: the reusable build
 * workflow of the repository the running action comes from, at the same
 * version. The runner names that repository and ref in
 * GITHUB_ACTION_REPOSITORY and GITHUB_ACTION_REF (`OWNER/build-release-run`,
 * `v1`): deploy@v1 trusts build.yml at any v1 tag (`v1`, `v1.2`, `v1.2.3`),
 * deploy@<commit> the builder at that commit. Undefined when the action was
 * not named by a version tag or commit (a local `./actions/deploy`, a
 * branch, brr outside a workflow): then the input must name one.
 */
export function defaultBuilders(env: NodeJS.ProcessEnv): SignerRule[] | undefined {
  const repository = env['GITHUB_ACTION_REPOSITORY'] ?? '';
  const ref = env['GITHUB_ACTION_REF'] ?? '';
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) return undefined;
  const version = /^v(0|[1-9][0-9]*)(?:\.(?:0|[1-9][0-9]*)){0,2}$/.exec(ref);
  if (version !== null) return [{ repository, path: BUILDER_WORKFLOW_PATH, versionMajor: Number(version[1]) }];
  if (/^[0-9a-f]{40}$/.test(ref)) return [{ repository, path: BUILDER_WORKFLOW_PATH, ref }];
  return undefined;
}
