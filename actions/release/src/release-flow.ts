/**
 * The release, step by step: find this run's own release (resume or report
 * it), claim a version, create a draft, upload every asset, check them,
 * publish, check GitHub's digests. A published release is never touched
 * again; a draft is only ever one this run made.
 */
import type { ActionLog } from '@build-release-run/action-kit';
import { type Digest, TAG_NAME, isName, logText, quoteRefused, releasePageUrl } from '@build-release-run/contract';
import { type GitHubApi, type Release, type ReleaseAsset, peeledTag } from '@build-release-run/github-api';
import { formatBytes } from '@build-release-run/progress';
import {
  CONFIG_ASSET,
  MANIFEST_SCHEMA,
  type ReleaseConfig,
  type ReleaseManifest,
  type ReleaseMarker,
  configKeys,
  digestOf,
  renderMarker,
  serializeConfigEnv,
  versionOfTag,
} from '@build-release-run/release-format';
import type { ImageRecord } from '@build-release-run/registry';
import type { VerifiedArchive } from './archive-file.ts';
import type { AttestRelease, ReleaseAttestation } from './attest-release.ts';
import { adoptPushedTag, claimVersion, createTag } from './claim.ts';
import { diffConfig } from '@build-release-run/release-format';
import type { WorkflowContext } from './inputs.ts';
import { type NotesFacts, renderReleaseNotes } from './notes.ts';
import { findOwnRelease, findPrevious, findPromotedFrom, takenTags } from './plan.ts';
import type { ChangeEntry } from './change-list.ts';
import { readChangeList, readPreviousConfig } from './previous-release.ts';
import { type AssetSet, type AttachedAsset, checkAssets, planAssets, reconcileAssets } from './release-assets.ts';
import { guardConfigReset } from './config-guard.ts';
import { type MakeLatestChoice, publishOptions } from './publish-options.ts';
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
  context: WorkflowContext;
  now: Date;
  /** Signs release.json before the draft is made (attest-release.ts). */
  attest?: AttestRelease;
  /** Pre-release and Latest badge (publish-options.ts); absent: follow the version, badge for production. */
  publish?: { prerelease: boolean | 'auto'; makeLatest: MakeLatestChoice; latestEnvironment: string };
  /** The workflow means to drop every config key of the previous release (config-guard.ts). */
  configReset?: boolean;
  /** The workflow's own notes (inputs `notes`, `notes-file`). */
  notes?: string;
  /** GITHUB_WORKFLOW and GITHUB_RUN_NUMBER, for the notes. */
  workflow?: { name: string; runNumber: string };
}

export interface ReleaseOutcome {
  tag: string;
  version: string;
  releaseId: number;
  releaseUrl: string;
  manifestDigest: Digest;
  previousTag: string;
  /** How this run got here: a new release, a resumed draft, or one it had already published. */
  path: 'created' | 'resumed' | 'already-published';
  facts: NotesFacts;
}

export async function makeRelease(api: GitHubApi, request: ReleaseRequest, log: ActionLog): Promise<ReleaseOutcome> {
  const configText = serializeConfigEnv(request.config);
  const configDigest = digestOf(configText);
  const { context } = request;
  const identity = {
    run: context.runId,
    environment: request.environment,
    digest: request.digest,
    config: configDigest,
  };

  // One page (newest first) is enough: this run's draft and the previous
  // release are recent, and a lost race for a tag is settled by the claim.
  const releases = await api.listReleases(1, 100);
  const own = findOwnRelease(releases, identity);

  if (own.kind !== 'none') {
    log.info(
      own.kind === 'published'
        ? `This run already published ${own.release.tag_name}; reporting it, changing nothing.`
        : `Resuming this run's draft ${own.release.tag_name} (left by attempt ${own.marker.attempt}).`,
    );
  }

  const marker: ReleaseMarker =
    own.kind === 'none' ? newMarker(request, configDigest, findPrevious(releases, request.environment)) : own.marker;

  const previousConfig = await readPreviousConfig(api, releases, marker, request.context.runnerTemp, log);
  // Before anything is claimed: a refused release creates nothing.
  if (own.kind === 'none' && marker.previous) {
    guardConfigReset(
      { tag: marker.previous.tag, config: previousConfig },
      request.config,
      request.configReset === true,
    );
  }
  const presentation = (tag: string) =>
    publishOptions(
      versionOfTag(tag),
      request.environment,
      request.publish ?? { prerelease: 'auto', makeLatest: 'auto', latestEnvironment: 'production' },
    );
  let attestation: ReleaseAttestation | undefined;
  let changeList: ChangeEntry[] | undefined;
  const promotedFrom = request.promotedFrom ?? findPromotedFrom(releases, request.environment, request.digest);
  const facts = (tag: string): NotesFacts => ({
    changeList,
    promotedFrom,
    userNotes: request.notes,
    workflow: request.workflow?.name,
    runNumber: request.workflow?.runNumber,
    attestation,
    tag,
    environment: request.environment,
    repository: context.repository,
    serverUrl: context.serverUrl,
    commit: request.commit,
    ref: context.ref,
    digest: request.digest,
    archive: request.archive.name,
    size: request.archive.size,
    configDigest,
    keys: configKeys(request.config).length,
    secretKeys: request.config.secretKeys,
    previous: marker.previous,
    changes: diffConfig(previousConfig, request.config),
    runUrl: `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`,
    runId: context.runId,
    actor: context.actor,
  });
  const assetsFor = (tag: string): AssetSet =>
    planAssets(
      request.archive,
      request.digest,
      configText,
      manifestOf(request, marker, tag, configDigest, context),
      request.attachments,
    );

  if (own.kind === 'published') {
    const planned = assetsFor(own.release.tag_name);
    const problems = checkAssets(planned.assets, own.release.assets);
    if (problems.length > 0) {
      throw new Error(`This run's release ${own.release.tag_name} is published but wrong: ${problems.join('; ')}.`);
    }
    return outcome(own.release, planned, marker, facts(own.release.tag_name), 'already-published');
  }

  let draft: Release;
  let how: ReleaseOutcome['path'];
  if (own.kind === 'draft') {
    draft = own.release;
    how = 'resumed';
    // The tag was claimed before the draft was made; make sure it still stands.
    const ref = await peeledTag(api, draft.tag_name);
    if (!ref) await claimOrFail(api, draft.tag_name, request.commit);
    else if (ref.sha !== request.commit) {
      throw new Error(`Tag ${draft.tag_name} points at ${ref.sha}, not ${request.commit}; not resuming this draft.`);
    }
  } else {
    const say = (message: string) => log.info(message);
    const { kind } = request.version;
    const { tag } =
      kind === 'ref'
        ? await adoptPushedTag(api, request.version.version, takenTags(releases), request.commit, say)
        : await claimVersion(api, request.version, takenTags(releases), request.commit, request.now, say);
    // A pushed tag is the user's: a failure leaves it where it was.
    const giveBack = kind === 'ref' ? async () => undefined : () => api.deleteRef(`tags/${tag}`);
    attestation = await attestOrGiveBack(tag, request, assetsFor(tag).manifestDigest, marker, giveBack);
    changeList = await readChangeList(api, tag, request.commit, marker.previous?.tag, log);
    draft = await createDraft(
      api,
      tag,
      request,
      renderReleaseNotes(facts(tag), renderMarker(marker)),
      identity,
      presentation(tag).prerelease,
      giveBack,
    );
    how = 'created';
  }

  const planned = assetsFor(draft.tag_name);
  // A draft just created has no assets; a resumed one's are in the page of releases read above.
  const onDraft = await uploadMissing(api, draft, planned, log);
  const before = checkAssets(planned.assets, onDraft);
  if (before.length > 0)
    throw new Error(`Draft ${draft.tag_name} is not complete, not publishing: ${before.join('; ')}.`);

  // make_latest is sent on every release, so GitHub never gives the badge by default.
  const published = await api.publishDraft(draft.id, { make_latest: presentation(draft.tag_name).makeLatest });
  log.info(`Published ${logText(published.tag_name)}: ${releasePageUrl(facts(draft.tag_name), published.tag_name)}`);
  // GitHub's answer to the publish is its view of the release, assets included: no second read.
  const problems = checkAssets(planned.assets, published.assets);
  if (published.draft) problems.push('it is still a draft');
  if (problems.length > 0) {
    throw new Error(
      `Published ${draft.tag_name}, but GitHub's view of it does not match ours: ${problems.join('; ')}.`,
    );
  }
  return outcome(published, planned, marker, facts(draft.tag_name), how);
}

function newMarker(
  request: ReleaseRequest,
  configDigest: Digest,
  previous: { release: Release; marker: ReleaseMarker } | undefined,
): ReleaseMarker {
  return {
    run: request.context.runId,
    attempt: request.context.runAttempt,
    environment: request.environment,
    digest: request.digest,
    config: configDigest,
    commit: request.commit,
    createdAt: request.now.toISOString(),
    previous: previous
      ? { tag: previous.release.tag_name, buildDigest: previous.marker.digest, commit: previous.marker.commit }
      : null,
  };
}

function manifestOf(
  request: ReleaseRequest,
  marker: ReleaseMarker,
  tag: string,
  configDigest: Digest,
  context: WorkflowContext,
): ReleaseManifest {
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
    },
    ...(request.image === undefined ? {} : { image: request.image }),
    config: {
      asset: CONFIG_ASSET,
      digest: configDigest,
      keys: configKeys(request.config),
      secretKeys: [...request.config.secretKeys],
    },
    ...(request.attachments === undefined || request.attachments.length === 0
      ? {}
      : { attachments: request.attachments.map(({ name, digest, size }) => ({ name, digest, size })) }),
    previous: marker.previous && { tag: marker.previous.tag, buildDigest: marker.previous.buildDigest },
    // The attempt and time that created the release, so a resumed run rebuilds the same bytes.
    run: {
      id: marker.run,
      attempt: marker.attempt,
      url: `${context.serverUrl}/${context.repository}/actions/runs/${marker.run}`,
    },
    actor: context.actor,
    createdAt: marker.createdAt,
  };
}

async function attestOrGiveBack(
  tag: string,
  request: ReleaseRequest,
  manifestDigest: Digest,
  marker: ReleaseMarker,
  giveBack: () => Promise<void>,
): Promise<ReleaseAttestation | undefined> {
  if (!request.attest) return undefined;
  try {
    return await request.attest(manifestDigest, {
      tag,
      environment: request.environment,
      commit: request.commit,
      build: request.digest,
      config: marker.config,
      previous: marker.previous?.tag ?? null,
    });
  } catch (error) {
    // Nothing holds the claimed tag yet: give it back, as createDraft does.
    await giveBack().catch(() => undefined);
    throw error;
  }
}

async function claimOrFail(api: GitHubApi, tag: string, commit: string): Promise<void> {
  if ((await createTag(api, tag, commit)) !== 'created') {
    throw new Error(`Tag ${tag} of this run's draft was taken by someone else; not resuming it.`);
  }
}

async function createDraft(
  api: GitHubApi,
  tag: string,
  request: ReleaseRequest,
  body: string,
  identity: { run: string; environment: string; digest: Digest; config: Digest },
  prerelease: boolean,
  giveBack: () => Promise<void>,
): Promise<Release> {
  try {
    return await api.createRelease(
      {
        tag_name: tag,
        target_commitish: request.commit,
        name: `${tag} (${request.environment})`,
        body,
        draft: true,
        prerelease,
      },
      // A lost response may have created the draft: look for it before posting again.
      async () => {
        const own = findOwnRelease(await api.listReleases(1, 100), identity);
        return own.kind === 'draft' && own.release.tag_name === tag ? own.release : undefined;
      },
    );
  } catch (error) {
    // No draft holds the tag: give it back rather than leave an orphan tag.
    await giveBack().catch(() => undefined);
    throw error;
  }
}

/**
 * Uploads what the draft lacks and returns the draft's assets as GitHub
 * answered: those kept from the page of releases and each upload's answer
 * (its state, size and digest). Only this run writes to its draft, so no
 * second read of the list is needed; GitHub's answer to the publish is
 * checked again all the same.
 */
async function uploadMissing(
  api: GitHubApi,
  draft: Release,
  planned: AssetSet,
  log: ActionLog,
): Promise<ReleaseAsset[]> {
  const { keep, remove, upload } = reconcileAssets(planned.assets, draft.assets);
  if (keep.length > 0) log.info(`Already uploaded: ${keep.join(', ')}.`);
  for (const id of remove) await api.deleteReleaseAsset(id);
  const onDraft = draft.assets.filter((asset) => keep.includes(asset.name));
  for (const asset of upload) {
    log.info(`Uploading ${asset.name} (${formatBytes(asset.size)}).`);
    onDraft.push(await api.uploadReleaseAsset(draft, asset));
  }
  return onDraft;
}

function outcome(
  release: Release,
  planned: AssetSet,
  marker: ReleaseMarker,
  facts: NotesFacts,
  path: ReleaseOutcome['path'],
): ReleaseOutcome {
  // The tag and page go to outputs: the tag by its rule, the page made here (an answer's html_url is any text).
  if (!Number.isSafeInteger(release.id) || release.id <= 0)
    throw new Error('GitHub answered with a release id that is not a number.');
  if (!isName(TAG_NAME, release.tag_name) || release.tag_name !== facts.tag) {
    throw new Error(`GitHub answered with release tag ${quoteRefused(release.tag_name)}, not ${facts.tag}.`);
  }
  return {
    tag: release.tag_name,
    version: versionOfTag(release.tag_name),
    releaseId: release.id,
    releaseUrl: releasePageUrl(facts, release.tag_name),
    manifestDigest: planned.manifestDigest,
    previousTag: marker.previous?.tag ?? '',
    path,
    facts,
  };
}
