/**
 * The provenance step, after the manifest is verified and anchored and
 * before the build is used (deploy: before a deployment exists; release:
 * before a promoted release is made; brr: before it says "verified"):
 * release.json must carry an attestation signed by a workflow
 * 'release-signer' allows, the build one signed by a workflow 'build-signer'
 * allows, both from runs of this repository on 'source-ref'
 * (packages/provenance). This file gathers what the job knows (inputs, event
 * payload, visibility, trusted root) into the two claims' policies.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, type RunContext, logText } from '@build-release-run/contract';
import type { GitHubApi } from '@build-release-run/github-api';
import {
  type ProvenancePolicy,
  type SignerRule,
  type Visibility,
  defaultBranchFromEvent,
  defaultBuilders,
  identityInstance,
  verifyReleaseProvenance,
  visibilityFromEvent,
} from '@build-release-run/provenance';
import type { ProvenanceInputs, VerifyLog } from './inputs.ts';
import type { VerifiedManifest } from './digest-chain.ts';

/** What the summary says about provenance. */
export type ProvenanceOutcome =
  | { checked: false }
  | {
      checked: true;
      releaseSigner: string;
      buildSigner: string;
      sourceRef: string;
      /** Whether 'release-signer' and 'build-signer' named the signers (else any workflow of the repository was accepted). */
      named: { release: boolean; build: boolean };
      /** SLSA Build level of the verified build: 3 when a builder the policy trusts made and signed it. */
      level: 2 | 3;
    };

/** What the job says about where it runs. */
export type ProvenanceContext = Pick<RunContext, 'runnerTemp' | 'serverUrl' | 'repository'> & {
  /** The repository's visibility when no event payload says it (brr outside a workflow); it picks the trusted root. */
  visibility?: Visibility;
  /** Holds the trusted root once loaded, for a caller that checks many releases (the ledger). */
  cache?: { trustedRoot?: Promise<unknown> };
};

async function readEvent(env: NodeJS.ProcessEnv): Promise<unknown> {
  const file = env['GITHUB_EVENT_PATH'];
  if (!file) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Input 'source-ref', or the repository's default branch from the event
 * payload; a ConfigurationError when neither says it.
 */
export async function sourceRefOf(
  inputs: Pick<ProvenanceInputs, 'sourceRef'>,
  env: NodeJS.ProcessEnv,
  event?: unknown,
): Promise<string> {
  const sourceRef = inputs.sourceRef ?? defaultBranchFromEvent(event ?? (await readEvent(env)));
  if (sourceRef !== undefined) return sourceRef;
  throw new ConfigurationError(
    "Input 'source-ref' is empty and the event payload names no default branch: set 'source-ref' to the ref the build and release workflows run on (e.g. main).",
  );
}

async function trustedRootOf(visibility: Visibility, env: NodeJS.ProcessEnv, runnerTemp: string): Promise<unknown> {
  // Its own entry point, loaded only when provenance is checked: @sigstore/tuf
  // and the fetch stack under it cost memory a deploy without the check keeps.
  const { loadTrustedRoot, trustedRootSource } = await import('@build-release-run/provenance/trusted-root');
  return loadTrustedRoot(trustedRootSource(visibility, env), { cachePath: path.join(runnerTemp, 'sigstore-tuf') });
}

export async function checkProvenance(
  api: GitHubApi,
  inputs: ProvenanceInputs,
  context: ProvenanceContext,
  { manifest, manifestDigest }: Pick<VerifiedManifest, 'manifest' | 'manifestDigest'>,
  env: NodeJS.ProcessEnv,
  io: VerifyLog,
): Promise<ProvenanceOutcome> {
  const { tag } = manifest;
  if (!inputs.verify) {
    io.info(`Provenance of ${logText(tag)} is not checked ('verify-provenance: false').`);
    return { checked: false };
  }
  const event = await readEvent(env);
  const sourceRef = await sourceRefOf(inputs, env, event);
  const visibility: Visibility = event === undefined ? (context.visibility ?? 'private') : visibilityFromEvent(event);
  const cache = context.cache ?? {};
  cache.trustedRoot ??= trustedRootOf(visibility, env, context.runnerTemp);
  const trustedRoot = await cache.trustedRoot;
  const run = { ...identityInstance(context.serverUrl), repository: context.repository, sourceRef };
  const claim = (signers: SignerRule[] | undefined, input: string): ProvenancePolicy => ({
    ...run,
    signerInput: input,
    ...(signers === undefined ? {} : { signers }),
  });
  const verified = await verifyReleaseProvenance({
    client: api.client,
    trustedRoot,
    release: { tag, manifest: manifestDigest },
    build: manifest.build.digest,
    releasePolicy: claim(inputs.releaseSigners, 'release-signer'),
    // The build's certificate must name the commit the release says it was built from.
    buildPolicy: { ...buildClaim(inputs, manifest, env, run), sourceCommit: manifest.build.commit },
  });
  const releaseSigner = verified.release.identity.subjectAlternativeName;
  const buildSigner = verified.build.identity.subjectAlternativeName;
  io.info(`Provenance verified: release.json of ${logText(tag)} signed by ${logText(releaseSigner)}`);
  io.info(`Provenance verified: build ${manifest.build.digest} signed by ${logText(buildSigner)}`);
  const named = { release: inputs.releaseSigners !== undefined, build: inputs.buildSigners !== undefined };
  if (!named.release || !named.build) {
    io.info(
      `${named.release ? "'build-signer'" : named.build ? "'release-signer'" : "'build-signer' and 'release-signer'"} named no signer: any workflow file of ${context.repository} on ${sourceRef} was accepted.`,
    );
  }
  const level = manifest.build.builder === undefined ? 2 : 3;
  io.info(
    level === 3
      ? `SLSA Build L3: built and signed by the reusable workflow ${logText(manifest.build.builder ?? '')}, called by ${logText(verified.build.identity.extensions.buildConfigUri ?? '')}`
      : 'SLSA Build L2: the build was signed by the job that built it (no builder claimed in release.json).',
  );
  return { checked: true, releaseSigner, buildSigner, sourceRef, named, level };
}

/**
 * The build's policy. A release that says a reusable build workflow made its
 * build (release.json build.builder) is held to the builder: its attestation
 * must be signed by that builder, which 'trusted-builder' (or the default,
 * this action's own build.yml at its version) must trust, called by a
 * workflow 'build-signer' allows. Otherwise 'build-signer' names the signer.
 */
function buildClaim(
  inputs: ProvenanceInputs,
  manifest: VerifiedManifest['manifest'],
  env: NodeJS.ProcessEnv,
  run: Omit<ProvenancePolicy, 'signers' | 'signerInput'>,
): ProvenancePolicy {
  const claimed = manifest.build.builder;
  if (claimed === undefined) {
    return {
      ...run,
      signerInput: 'build-signer',
      ...(inputs.buildSigners === undefined ? {} : { signers: inputs.buildSigners }),
    };
  }
  const builders = inputs.trustedBuilders ?? defaultBuilders(env);
  if (builders === undefined) {
    throw new ConfigurationError(
      `release.json of ${logText(manifest.tag)} says its build was made by the reusable workflow ${logText(claimed)}, and no builder is trusted: ` +
        "this action was not named by a version tag or commit (GITHUB_ACTION_REF), so it cannot trust its own repository's build workflow by default. " +
        "Set input 'trusted-builder' to the builder, e.g. 'OWNER/build-release-run/.github/workflows/build.yml@refs/tags/v1'.",
    );
  }
  return {
    ...run,
    signerInput: 'trusted-builder',
    signers: builders,
    builder: {
      claimed,
      ...(inputs.buildSigners === undefined ? {} : { callers: inputs.buildSigners }),
      callerInput: 'build-signer',
    },
  };
}
