/**
 * The one reader of a release. Every consumer (deploy, the release action's
 * `from-release`, every `brr` command) reads a release through these steps,
 * in this order:
 *
 *   immutable (unless the policy allows mutable releases) → release.json and
 *   SHA256SUMS verified → the build the caller expects → the tag at the built
 *   commit → (an image release) its manifest asset and the registry →
 *   provenance by the policy (provenance-check.ts)
 *
 * then, where the caller needs them, `readPayload` (config, archive,
 * attached files) or `readConfig` alone (digest-chain.ts). Deploy interleaves
 * checks of its own (environment, secrets, free space) between
 * `readAnchored` and `checkProvenance`; every rule stays here.
 */
import { ConfigurationError, type Digest, errorMessage } from '@build-release-run/contract';
import type { GitHubApi, Release } from '@build-release-run/github-api';
import { ProvenanceError } from '@build-release-run/provenance';
import type { ReleaseManifest } from '@build-release-run/release-format';
import { checkExpectedDigest, checkImmutable, checkTagCommit } from './anchors.ts';
import { type VerifiedManifest, readManifest } from './digest-chain.ts';
import { VerificationError } from './errors.ts';
import { requireManifest, requireReleaseTag } from './find-release.ts';
import { type RegistryAccess, type VerifiedImageRelease, checkImage } from './image-release.ts';
import type { TrustInputs, VerifyLog } from './inputs.ts';
import { type ProvenanceContext, type ProvenanceOutcome, checkProvenance } from './provenance-check.ts';

export interface ReadOptions {
  trust: TrustInputs;
  /** The build the caller expects (input 'digest'); undefined: the release's own. */
  expectedDigest?: Digest | undefined;
  registry: RegistryAccess;
  context: ProvenanceContext;
  env: NodeJS.ProcessEnv;
  /** Where assets are downloaded; the caller removes it. */
  workDir: string;
  log: VerifyLog;
  /** release.json and SHA256SUMS as already verified for this release (deploy choosing `latest`): not read again. */
  verified?: VerifiedManifest | undefined;
  /** Called once release.json is verified, before it is anchored (deploy records it and refuses what it cannot run). */
  onManifest?: (manifest: ReleaseManifest) => void;
}

/** A release anchored to what its writer cannot forge; provenance not yet checked. */
export interface AnchoredRelease extends VerifiedManifest {
  /** Undefined for an archive release. */
  image: VerifiedImageRelease | undefined;
}

export interface VerifiedRelease extends AnchoredRelease {
  provenance: ProvenanceOutcome;
}

/** Every check but provenance, in the reader's order. */
export async function readAnchored(api: GitHubApi, release: Release, options: ReadOptions): Promise<AnchoredRelease> {
  checkImmutable(release, options.trust);
  const verified = options.verified ?? (await readManifest(api, release, options.workDir));
  options.onManifest?.(verified.manifest);
  checkExpectedDigest(verified.manifest, options.expectedDigest);
  await checkTagCommit(api, verified.manifest);
  const image = await checkImage(api, verified, options.workDir, options.registry, options.log);
  return { ...verified, image };
}

/** The signed provenance of an anchored release, by the policy. */
export function readProvenance(
  api: GitHubApi,
  anchored: VerifiedManifest,
  options: ReadOptions,
): Promise<ProvenanceOutcome> {
  return checkProvenance(api, options.trust.provenance, options.context, anchored, options.env, options.log);
}

/** The whole check of a release: anchored, then its provenance. Its payload is the caller's to read. */
export async function readRelease(api: GitHubApi, release: Release, options: ReadOptions): Promise<VerifiedRelease> {
  const anchored = await readAnchored(api, release, options);
  return { ...anchored, provenance: await readProvenance(api, anchored, options) };
}

/** Would a deploy with this policy accept the release, and if not, why (the ledger's marks). */
export type ReleaseStanding =
  | { standing: 'verified'; manifest: ReleaseManifest; provenance: ProvenanceOutcome }
  /** Nothing signed it: no attestation of release.json or of its build. */
  | { standing: 'unattested'; manifest: ReleaseManifest | undefined; reason: string }
  /** Any other refusal: mutable, a moved tag, a changed asset, a signer the policy does not name… */
  | { standing: 'refused'; manifest: ReleaseManifest | undefined; reason: string };

/**
 * readRelease as a verdict instead of an exception. Only refusals are
 * verdicts: an API that fails is still an error. `manifest` is release.json
 * once its digest chain verified, whatever came after.
 */
export async function judgeRelease(api: GitHubApi, release: Release, options: ReadOptions): Promise<ReleaseStanding> {
  let manifest: ReleaseManifest | undefined;
  try {
    requireReleaseTag(release);
    requireManifest(release);
    const verified = await readRelease(api, release, {
      ...options,
      onManifest: (read) => {
        manifest = read;
      },
    });
    return { standing: 'verified', manifest: verified.manifest, provenance: verified.provenance };
  } catch (error) {
    if (error instanceof ProvenanceError && error.claim === 'attestation') {
      return { standing: 'unattested', manifest, reason: errorMessage(error) };
    }
    if (error instanceof ProvenanceError || error instanceof VerificationError || error instanceof ConfigurationError) {
      return { standing: 'refused', manifest, reason: errorMessage(error) };
    }
    throw error;
  }
}
