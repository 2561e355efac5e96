/**
 * Deploy's provenance step, after the manifest is verified and anchored and
 * before a deployment exists: release.json and the build must each carry an
 * attestation signed by a workflow of this repository on the expected ref
 * (packages/provenance, verify-release.ts). This file gathers what the job
 * knows (inputs, event payload, visibility, trusted root) into that check.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActionLog } from '@build-release-run/action-kit';
import { ConfigurationError, logText, markdownCode } from '@build-release-run/contract';
import type { GitHubApi } from '@build-release-run/github-api';
import {
  type ProvenancePolicy,
  type Visibility,
  defaultBranchFromEvent,
  identityInstance,
  verifyReleaseProvenance,
  visibilityFromEvent,
} from '@build-release-run/provenance';
import type { DeployContext, ProvenanceInputs } from './inputs.ts';
import type { VerifiedManifest } from './verify-release.ts';

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
  context: DeployContext,
  { manifest, manifestDigest }: Pick<VerifiedManifest, 'manifest' | 'manifestDigest'>,
  env: NodeJS.ProcessEnv,
  io: ActionLog,
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

/** The summary's provenance cell (markdown; signers are certificate URLs, shown as code). */
export function provenanceCell(outcome: ProvenanceOutcome): string {
  if (!outcome.checked)
    return '**not checked** (`verify-provenance: false`): nothing proves which workflow made this release';
  return `verified: release.json signed by ${markdownCode(outcome.releaseSigner)}, build by ${markdownCode(outcome.buildSigner)} (source ref ${markdownCode(outcome.sourceRef)})`;
}
