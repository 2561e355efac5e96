/**
 * What a release says about itself, made from the request and what the
 * page of releases told this run: its marker, release.json, its assets and
 * the facts its notes and summary show. Pure: the flow (release-flow.ts)
 * reads and writes, this only computes.
 */
import type { Digest } from '@build-release-run/contract';
import type { Release } from '@build-release-run/github-api';
import {
  CONFIG_ASSET,
  type ConfigChange,
  MANIFEST_SCHEMA,
  type ReleaseConfig,
  type ReleaseManifest,
  type ReleaseMarker,
  configKeys,
  diffConfig,
  digestOf,
  serializeConfigEnv,
  versionOfTag,
} from '@build-release-run/release-format';
import type { ImageRecord } from '@build-release-run/registry';
import type { VerifiedArchive } from './archive-file.ts';
import type { AttestRelease, ReleaseAttestation } from './attest-release.ts';
import type { ChangeEntry } from './change-list.ts';
import type { WorkflowContext } from './inputs.ts';
import type { NotesFacts } from './notes.ts';
import { type Existing, type ReleaseIdentity, findPrevious, findPromotedFrom } from './plan.ts';
import { type MakeLatestChoice, type PublishOptions, publishOptions } from './publish-options.ts';
import { type AssetSet, type AttachedAsset, planAssets } from './release-assets.ts';
import type { VersionRequest } from './versioning.ts';

export interface ReleaseRequest {
  digest: Digest;
  archive: VerifiedArchive;
  /** An image build: recorded in release.json; `archive` is then its manifest bytes. */
  image?: ImageRecord | undefined;
  config: ReleaseConfig;
  /** Files of input `attach`, measured, sorted by name: assets listed in release.json and SHA256SUMS. */
  attachments?: readonly AttachedAsset[];
  /** With `from-release`: the release whose build this is, and the ref that build was made on. */
  promotedFrom?: { tag: string; environment: string };
  ref?: string;
  version: VersionRequest;
  environment: string;
  commit: string;
  /** The reusable build workflow that built it (release.json build.builder); absent: the plain build action. */
  builder?: string;
  context: WorkflowContext;
  now: Date;
  /** Signs release.json before the draft is made (attest-release.ts). */
  attest?: AttestRelease;
  /** Pre-release and Latest badge (publish-options.ts); absent: follow the version, badge for production. */
  publish?: { prerelease: boolean | 'auto'; makeLatest: MakeLatestChoice; latestEnvironment: string };
  /** Input 'allow-mutable-release': make the release (with a warning) where deploy would refuse it as mutable (preflight.ts). */
  allowMutableRelease?: boolean;
  /** The workflow means to drop every config key of the previous release (config-guard.ts). */
  configReset?: boolean;
  /** The workflow's own notes (inputs `notes`, `notes-file`). */
  notes?: string;
  /** GITHUB_WORKFLOW and GITHUB_RUN_NUMBER, for the notes. */
  workflow?: { name: string; runNumber: string };
}

/** This run's config as released: the text of config.env and its digest. */
export interface ConfigAsset {
  text: string;
  digest: Digest;
}

export function configAssetOf(config: ReleaseConfig): ConfigAsset {
  const text = serializeConfigEnv(config);
  return { text, digest: digestOf(text) };
}

/** How releases of this run are told apart from every other: the marker's identifying fields. */
export function identityOf(request: ReleaseRequest, config: ConfigAsset): ReleaseIdentity {
  return {
    run: request.context.runId,
    environment: request.environment,
    digest: request.digest,
    config: config.digest,
  };
}

/** Everything known before a tag is claimed; each later step adds to it, none changes it. */
export interface KnownRelease {
  request: ReleaseRequest;
  config: ConfigAsset;
  identity: ReleaseIdentity;
  /** This run's own marker: a resumed release's, or a new one naming the previous release. */
  marker: ReleaseMarker;
  /** The config changes since the previous release of this environment. */
  changes: ConfigChange[];
  promotedFrom: { tag: string; environment: string } | undefined;
}

/** The marker this run writes, or the one its earlier attempt wrote (a resumed draft keeps its facts). */
export function markerOf(
  request: ReleaseRequest,
  config: ConfigAsset,
  releases: readonly Release[],
  own: Existing,
): ReleaseMarker {
  if (own.kind !== 'none') return own.marker;
  const previous = findPrevious(releases, request.environment);
  return {
    run: request.context.runId,
    attempt: request.context.runAttempt,
    environment: request.environment,
    digest: request.digest,
    config: config.digest,
    commit: request.commit,
    createdAt: request.now.toISOString(),
    previous: previous
      ? { tag: previous.release.tag_name, buildDigest: previous.marker.digest, commit: previous.marker.commit }
      : null,
  };
}

export function knownRelease(
  request: ReleaseRequest,
  config: ConfigAsset,
  releases: readonly Release[],
  marker: ReleaseMarker,
  previousConfig: ReleaseConfig | null,
): KnownRelease {
  return {
    request,
    config,
    identity: identityOf(request, config),
    marker,
    changes: diffConfig(previousConfig, request.config),
    promotedFrom: request.promotedFrom ?? findPromotedFrom(releases, request.environment, request.digest),
  };
}

/** Pre-release and Latest badge for `tag` (publish-options.ts); absent choices follow the version and production. */
export function presentationOf(known: KnownRelease, tag: string): PublishOptions {
  const { request } = known;
  return publishOptions(
    versionOfTag(tag),
    request.environment,
    request.publish ?? { prerelease: 'auto', makeLatest: 'auto', latestEnvironment: 'production' },
  );
}

/** What this run signed and read of the code changes: known only for a release it creates. */
export interface CreatedFacts {
  attestation?: ReleaseAttestation | undefined;
  changeList?: ChangeEntry[] | undefined;
}

/** The facts of the notes and the summary for the release tagged `tag`. */
export function notesFactsOf(known: KnownRelease, tag: string, created: CreatedFacts = {}): NotesFacts {
  const { request, config, marker } = known;
  const { context } = request;
  return {
    changeList: created.changeList,
    promotedFrom: known.promotedFrom,
    userNotes: request.notes,
    workflow: request.workflow?.name,
    runNumber: request.workflow?.runNumber,
    attestation: created.attestation,
    tag,
    environment: request.environment,
    repository: context.repository,
    serverUrl: context.serverUrl,
    commit: request.commit,
    ref: context.ref,
    builder: request.builder,
    digest: request.digest,
    archive: request.archive.name,
    size: request.archive.size,
    configDigest: config.digest,
    keys: configKeys(request.config).length,
    secretKeys: request.config.secretKeys,
    previous: marker.previous,
    changes: known.changes,
    runUrl: runUrlOf(request, context.runId),
    runId: context.runId,
    actor: context.actor,
  };
}

/** The release's assets for `tag`: release.json names the tag, so they are planned once it is known. */
export function assetsOf(known: KnownRelease, tag: string): AssetSet {
  const { request } = known;
  return planAssets(request.archive, request.digest, known.config.text, manifestOf(known, tag), request.attachments);
}

export function manifestOf(known: KnownRelease, tag: string): ReleaseManifest {
  const { request, marker, config } = known;
  const { context } = request;
  return {
    schema: MANIFEST_SCHEMA,
    tag,
    version: versionOfTag(tag),
    environment: request.environment,
    build: {
      digest: request.digest,
      archive: request.archive.name,
      format: request.archive.format,
      size: request.archive.size,
      commit: request.commit,
      ref: request.ref ?? context.ref,
      ...(request.builder === undefined ? {} : { builder: request.builder }),
    },
    ...(request.image === undefined ? {} : { image: request.image }),
    config: {
      asset: CONFIG_ASSET,
      digest: config.digest,
      keys: configKeys(request.config),
      secretKeys: [...request.config.secretKeys],
    },
    ...(request.attachments === undefined || request.attachments.length === 0
      ? {}
      : { attachments: request.attachments.map(({ name, digest, size }) => ({ name, digest, size })) }),
    previous: marker.previous && { tag: marker.previous.tag, buildDigest: marker.previous.buildDigest },
    // The attempt and time that created the release, so a resumed run rebuilds the same bytes.
    run: { id: marker.run, attempt: marker.attempt, url: runUrlOf(request, marker.run) },
    actor: context.actor,
    createdAt: marker.createdAt,
  };
}

function runUrlOf(request: ReleaseRequest, runId: string): string {
  return `${request.context.serverUrl}/${request.context.repository}/actions/runs/${runId}`;
}
