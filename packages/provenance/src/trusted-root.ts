// Which trusted root verifies the attestations, and how it is obtained.
//   - public repositories: Sigstore's public-good root, from its TUF
//     repository through @sigstore/tuf. The client starts from the root
//     metadata shipped in the package, fetches the signed, expiring
//     timestamp/snapshot/targets metadata on each run (so a key rotation or
//     revocation reaches deploy without a new release of this action) and
//     caches it; a stale or tampered copy fails its signature or expiry check.
//   - private and internal repositories: GitHub's own Sigstore instance, whose
//     root GitHub publishes through its own TUF repository
//     (https://tuf-repo.github.com, what `gh attestation verify` reads). The
//     client is the same; its initial root metadata is not shipped in
//     @sigstore/tuf, and github.com could not be reached to take it, so that
//     path refuses with a clear message until it is given (see docs/security.md).
//   - `BRR_SIGSTORE_TRUSTED_ROOT`: a trusted_root.json file, for the local
//     stand-in in tests and the demo.
import { readFile } from 'node:fs/promises';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { DEFAULT_MIRROR_URL, type TUFOptions, getTrustedRoot } from '@sigstore/tuf';
import { errorMessage } from '@build-release-run/contract';
import type { Visibility } from './endpoints.ts';
import { ProvenanceError } from './verify.ts';

export const GITHUB_TUF_MIRROR = 'https://tuf-repo.github.com';

export type TrustedRootSource =
  { kind: 'file'; path: string } | { kind: 'tuf'; instance: 'public-good' | 'github'; mirrorURL: string };

/** Pure: the root for this repository, or the file the environment names. */
export function trustedRootSource(visibility: Visibility, env: NodeJS.ProcessEnv): TrustedRootSource {
  const file = env['BRR_SIGSTORE_TRUSTED_ROOT'];
  if (file) return { kind: 'file', path: file };
  return visibility === 'public'
    ? { kind: 'tuf', instance: 'public-good', mirrorURL: DEFAULT_MIRROR_URL }
    : { kind: 'tuf', instance: 'github', mirrorURL: GITHUB_TUF_MIRROR };
}

export interface TrustedRootDeps {
  /** @sigstore/tuf's getTrustedRoot; tests pass a fake. */
  fetchTuf?: (options: TUFOptions) => Promise<TrustedRoot>;
  /** Where the TUF metadata is cached (e.g. under RUNNER_TEMP); @sigstore/tuf's default when unset. */
  cachePath?: string;
}

const OPT_OUT = "set 'verify-provenance: false' to deploy without provenance";

/** The trusted root JSON, or a ProvenanceError saying which root could not be had and why. */
export async function loadTrustedRoot(source: TrustedRootSource, deps: TrustedRootDeps = {}): Promise<unknown> {
  if (source.kind === 'file') {
    try {
      const json: unknown = JSON.parse(await readFile(source.path, 'utf8'));
      // fromJSON fills what is missing with defaults: check that this is a root that can verify anything.
      const root = TrustedRoot.fromJSON(json);
      if (!root.mediaType.startsWith('application/vnd.dev.sigstore.trustedroot')) {
        throw new Error(`its mediaType is ${JSON.stringify(root.mediaType)}, not a Sigstore trusted root's`);
      }
      if (root.certificateAuthorities.length === 0) throw new Error('it names no certificate authority');
      return json;
    } catch (error) {
      throw new ProvenanceError(
        'trusted root',
        `The trusted root file BRR_SIGSTORE_TRUSTED_ROOT (${source.path}) cannot be read: ${errorMessage(error)}.`,
      );
    }
  }
  const fetchTuf = deps.fetchTuf ?? getTrustedRoot;
  try {
    const root = await fetchTuf({
      mirrorURL: source.mirrorURL,
      ...(deps.cachePath === undefined ? {} : { cachePath: deps.cachePath }),
    });
    return TrustedRoot.toJSON(root);
  } catch (error) {
    const which =
      source.instance === 'public-good'
        ? "Sigstore's public-good trusted root"
        : "the trusted root of GitHub's Sigstore instance (private and internal repositories)";
    throw new ProvenanceError(
      'trusted root',
      `Could not obtain ${which} from ${source.mirrorURL}: ${errorMessage(error)}. Without it no attestation can be verified; ${OPT_OUT}.`,
      'verify-provenance',
    );
  }
}
