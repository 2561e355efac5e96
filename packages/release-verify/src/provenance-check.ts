/**
 * The provenance step, after the manifest is verified and anchored and
 * before the build is used (deploy: before a deployment exists; release:
 * before a promoted release is made): release.json and the build must each
 * carry an attestation signed by a workflow of this repository on the
 * expected ref (packages/provenance). This file gathers what the job knows
 * (inputs, event payload, visibility, trusted root) into that check.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError, type RunContext, logText } from '@build-release-run/contract';
import type { GitHubApi } from '@build-release-run/github-api';
import {
  type ProvenancePolicy,
  type Visibility,
  defaultBranchFromEvent,
  identityInstance,
  verifyReleaseProvenance,
  visibilityFromEvent,
} from '@build-release-run/provenance';
import type { VerifyLog } from './inputs.ts';
import type { VerifiedManifest } from './verify-release.ts';

/** Inputs 'verify-provenance', 'signer-workflow', 'source-ref': whose signatures are accepted. */
export interface ProvenanceInputs {
  verify: boolean;
  /** Workflow file paths; undefined: any workflow file of this repository. */
  signerWorkflows: string[] | undefined;
  /** A full ref; undefined: the repository's default branch. */
  sourceRef: string | undefined;
}

/** What the summary says about provenance. */
export type ProvenanceOutcome =
  { checked: false } | { checked: true; releaseSigner: string; buildSigner: string; sourceRef: string };

async function readEvent(env: NodeJS.ProcessEnv): Promise<unknown> {
  const file = env['GITHUB_EVENT_PATH'];
  if (!file) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export async function checkProvenance(
  api: GitHubApi,
  inputs: ProvenanceInputs,
  context: Pick<RunContext, 'runnerTemp' | 'serverUrl' | 'repository'>,
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
  const sourceRef = inputs.sourceRef ?? defaultBranchFromEvent(event);
  if (sourceRef === undefined) {
    throw new ConfigurationError(
      "Input 'source-ref' is empty and the event payload names no default branch: set 'source-ref' to the ref the build and release workflows run on (e.g. main).",
    );
  }
  const visibility: Visibility = visibilityFromEvent(event);
  // Its own entry point, loaded only when provenance is checked: @sigstore/tuf
  // and the fetch stack under it cost memory a deploy without the check keeps.
  const { loadTrustedRoot, trustedRootSource } = await import('@build-release-run/provenance/trusted-root');
  const trustedRoot = await loadTrustedRoot(trustedRootSource(visibility, env), {
    cachePath: path.join(context.runnerTemp, 'sigstore-tuf'),
  });
  const policy: ProvenancePolicy = {
    ...identityInstance(context.serverUrl),
    repository: context.repository,
    sourceRef,
    ...(inputs.signerWorkflows === undefined ? {} : { signerWorkflows: inputs.signerWorkflows }),
  };
  const verified = await verifyReleaseProvenance({
    client: api.client,
    trustedRoot,
    release: { tag, manifest: manifestDigest },
    build: manifest.build.digest,
    releasePolicy: policy,
    // The build's certificate must name the commit the release says it was built from.
    buildPolicy: { ...policy, sourceCommit: manifest.build.commit },
  });
  const releaseSigner = verified.release.identity.subjectAlternativeName;
  const buildSigner = verified.build.identity.subjectAlternativeName;
  io.info(`Provenance verified: release.json of ${logText(tag)} signed by ${logText(releaseSigner)}`);
  io.info(`Provenance verified: build ${manifest.build.digest} signed by ${logText(buildSigner)}`);
  return { checked: true, releaseSigner, buildSigner, sourceRef };
}
