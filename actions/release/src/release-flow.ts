/**
 * The release, step by step: find this run's own release (resume or report
 * it), read the config changes since the previous release, claim a tag,
 * attest, read the code changes, create a draft, upload every asset, publish
 * and check GitHub's view of it. A published release is never touched again;
 * a draft is only ever one this run made. Each step is a function below
 * makeRelease, in the order it runs; what a step computes without I/O is in
 * release-facts.ts.
 */
import type { ActionLog } from '@build-release-run/action-kit';
import {
  ConfigurationError,
  type Digest,
  TAG_NAME,
  isName,
  logText,
  quoteRefused,
  releasePageUrl,
} from '@build-release-run/contract';
import { type GitHubApi, type Release, type ReleaseAsset, peeledTag } from '@build-release-run/github-api';
import { formatBytes } from '@build-release-run/progress';
import { renderMarker, versionOfTag } from '@build-release-run/release-format';
import type { ReleaseAttestation } from './attest-release.ts';
import { adoptPushedTag, claimVersion, createTag } from './claim.ts';
import { guardConfigReset } from './config-guard.ts';
import { type NotesFacts, renderReleaseNotes } from './notes.ts';
import { type Existing, findOwnRelease, takenTags } from './plan.ts';
import { readChangeList, readPreviousConfig } from './previous-release.ts';
import { type ImmutabilityEvidence, preflightImmutability, publishedVerdict } from './preflight.ts';
import {
  type ConfigAsset,
  type KnownRelease,
  type ReleaseRequest,
  assetsOf,
  configAssetOf,
  identityOf,
  knownRelease,
  markerOf,
  notesFactsOf,
  presentationOf,
} from './release-facts.ts';
import { type AssetSet, checkAssets, reconcileAssets } from './release-assets.ts';

export type { ReleaseRequest } from './release-facts.ts';

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
  const config = configAssetOf(request.config);
  const found = await findThisRunsRelease(api, request, config, log);
  const allowMutable = request.allowMutableRelease === true;
  // Before anything is claimed: a release deploy would refuse is not made.
  const evidence =
    found.own.kind === 'none' ? await preflightImmutability(api, found.releases, allowMutable, log) : undefined;
  const known = await readConfigChanges(api, request, config, found, log);
  if (found.own.kind === 'published') return reportPublished(found.own.release, known);
  const draft =
    found.own.kind === 'draft'
      ? await resumeDraft(api, found.own.release, known)
      : await createNewDraft(api, takenTags(found.releases), known, log);
  const assets = await uploadAssets(api, draft.release, known, log);
  const made = await publish(api, draft, assets, known, log);
  checkPublished(made.published, allowMutable, evidence, log);
  return made.outcome;
}

/** GitHub's answer to the publish says whether deploy will accept the release; the preflight warned already where it knew. */
function checkPublished(
  published: Release,
  allowMutable: boolean,
  evidence: ImmutabilityEvidence | undefined,
  log: ActionLog,
): void {
  const verdict = publishedVerdict(published, allowMutable);
  if (verdict.level === 'error') throw new ConfigurationError(verdict.message);
  if (verdict.level === 'warning' && (evidence === undefined || evidence.from === 'none')) log.warning(verdict.message);
}

/** The first page of releases, and this run's own release in it (an earlier attempt's). */
interface Found {
  releases: Release[];
  own: Existing;
}

async function findThisRunsRelease(
  api: GitHubApi,
  request: ReleaseRequest,
  config: ConfigAsset,
  log: ActionLog,
): Promise<Found> {
  // One page (newest first) is enough: this run's draft and the previous
  // release are recent, and a lost race for a tag is settled by the claim.
  const releases = await api.listReleases(1, 100);
  const own = findOwnRelease(releases, identityOf(request, config));
  if (own.kind === 'published') {
    log.info(`This run already published ${own.release.tag_name}; reporting it, changing nothing.`);
  } else if (own.kind === 'draft') {
    log.info(`Resuming this run's draft ${own.release.tag_name} (left by attempt ${own.marker.attempt}).`);
  }
  return { releases, own };
}

/** The previous release's config, compared with this one; a new release that drops every key is refused here. */
async function readConfigChanges(
  api: GitHubApi,
  request: ReleaseRequest,
  config: ConfigAsset,
  { releases, own }: Found,
  log: ActionLog,
): Promise<KnownRelease> {
  const marker = markerOf(request, config, releases, own);
  const previousConfig = await readPreviousConfig(api, releases, marker, request.context.runnerTemp, log);
  // Before anything is claimed: a refused release creates nothing.
  if (own.kind === 'none' && marker.previous) {
    guardConfigReset(
      { tag: marker.previous.tag, config: previousConfig },
      request.config,
      request.configReset === true,
    );
  }
  return knownRelease(request, config, releases, marker, previousConfig);
}

function reportPublished(release: Release, known: KnownRelease): ReleaseOutcome {
  const tag = release.tag_name;
  const planned = assetsOf(known, tag);
  const problems = checkAssets(planned.assets, release.assets);
  if (problems.length > 0) {
    throw new Error(`This run's release ${tag} is published but wrong: ${problems.join('; ')}.`);
  }
  return outcome(release, planned, known, notesFactsOf(known, tag), 'already-published');
}

/** The draft this run publishes, how it came to be, and the facts its notes were made of. */
interface Draft {
  release: Release;
  path: 'created' | 'resumed';
  facts: NotesFacts;
}

async function resumeDraft(api: GitHubApi, release: Release, known: KnownRelease): Promise<Draft> {
  const { tag_name: tag } = release;
  const { commit } = known.request;
  // The tag was claimed before the draft was made; make sure it still stands.
  const ref = await peeledTag(api, tag);
  if (!ref) {
    if ((await createTag(api, tag, commit)) !== 'created') {
      throw new Error(`Tag ${tag} of this run's draft was taken by someone else; not resuming it.`);
    }
  } else if (ref.sha !== commit) {
    throw new Error(`Tag ${tag} points at ${ref.sha}, not ${commit}; not resuming this draft.`);
  }
  return { release, path: 'resumed', facts: notesFactsOf(known, tag) };
}

async function createNewDraft(
  api: GitHubApi,
  taken: readonly string[],
  known: KnownRelease,
  log: ActionLog,
): Promise<Draft> {
  const claim = await claimTag(api, taken, known, log);
  const attestation = await attest(claim, known);
  const changeList = await readChangeList(api, claim.tag, known.request.commit, known.marker.previous?.tag, log);
  const facts = notesFactsOf(known, claim.tag, { attestation, changeList });
  const release = await createDraft(api, claim, known, facts);
  return { release, path: 'created', facts };
}

/** A claimed tag, and how to give it back when no draft comes to hold it. */
interface Claim {
  tag: string;
  giveBack: () => Promise<void>;
}

async function claimTag(api: GitHubApi, taken: readonly string[], known: KnownRelease, log: ActionLog): Promise<Claim> {
  const { version, commit, now } = known.request;
  const say = (message: string) => log.info(message);
  if (version.kind === 'ref') {
    const { tag } = await adoptPushedTag(api, version.version, taken, commit, say);
    // A pushed tag is the user's: a failure leaves it where it was.
    return { tag, giveBack: async () => undefined };
  }
  const { tag } = await claimVersion(api, version, taken, commit, now, say);
  return { tag, giveBack: () => api.deleteRef(`tags/${tag}`) };
}

/** Signs release.json (its digest is known once the tag is) before the draft that names the attestation. */
async function attest(claim: Claim, known: KnownRelease): Promise<ReleaseAttestation | undefined> {
  const { request, marker } = known;
  if (!request.attest) return undefined;
  try {
    return await request.attest(assetsOf(known, claim.tag).manifestDigest, {
      tag: claim.tag,
      environment: request.environment,
      commit: request.commit,
      build: request.digest,
      config: marker.config,
      previous: marker.previous?.tag ?? null,
    });
  } catch (error) {
    // Nothing holds the claimed tag yet: give it back, as createDraft does.
    await claim.giveBack().catch(() => undefined);
    throw error;
  }
}

async function createDraft(api: GitHubApi, claim: Claim, known: KnownRelease, facts: NotesFacts): Promise<Release> {
  const { request } = known;
  const { tag } = claim;
  try {
    return await api.createRelease(
      {
        tag_name: tag,
        target_commitish: request.commit,
        name: `${tag} (${request.environment})`,
        body: renderReleaseNotes(facts, renderMarker(known.marker)),
        draft: true,
        prerelease: presentationOf(known, tag).prerelease,
      },
      // A lost response may have created the draft: look for it before posting again.
      async () => {
        const own = findOwnRelease(await api.listReleases(1, 100), known.identity);
        return own.kind === 'draft' && own.release.tag_name === tag ? own.release : undefined;
      },
    );
  } catch (error) {
    // No draft holds the tag: give it back rather than leave an orphan tag.
    await claim.giveBack().catch(() => undefined);
    throw error;
  }
}

/**
 * Uploads what the draft lacks and checks the draft's assets as GitHub
 * answered: those kept from the page of releases and each upload's answer
 * (its state, size and digest). Only this run writes to its draft, so no
 * second read of the list is needed; GitHub's answer to the publish is
 * checked again all the same.
 */
async function uploadAssets(api: GitHubApi, draft: Release, known: KnownRelease, log: ActionLog): Promise<AssetSet> {
  const planned = assetsOf(known, draft.tag_name);
  const { keep, remove, upload } = reconcileAssets(planned.assets, draft.assets);
  if (keep.length > 0) log.info(`Already uploaded: ${keep.join(', ')}.`);
  for (const id of remove) await api.deleteReleaseAsset(id);
  // A draft just created has no assets; a resumed one's are in the page of releases read first.
  const onDraft: ReleaseAsset[] = draft.assets.filter((asset) => keep.includes(asset.name));
  for (const asset of upload) {
    log.info(`Uploading ${asset.name} (${formatBytes(asset.size)}).`);
    onDraft.push(await api.uploadReleaseAsset(draft, asset));
  }
  const problems = checkAssets(planned.assets, onDraft);
  if (problems.length > 0) {
    throw new Error(`Draft ${draft.tag_name} is not complete, not publishing: ${problems.join('; ')}.`);
  }
  return planned;
}

async function publish(
  api: GitHubApi,
  draft: Draft,
  planned: AssetSet,
  known: KnownRelease,
  log: ActionLog,
): Promise<{ published: Release; outcome: ReleaseOutcome }> {
  const tag = draft.release.tag_name;
  // make_latest is sent on every release, so GitHub never gives the badge by default.
  const published = await api.publishDraft(draft.release.id, { make_latest: presentationOf(known, tag).makeLatest });
  log.info(`Published ${logText(published.tag_name)}: ${releasePageUrl(known.request.context, published.tag_name)}`);
  // GitHub's answer to the publish is its view of the release, assets included: no second read.
  const problems = checkAssets(planned.assets, published.assets);
  if (published.draft) problems.push('it is still a draft');
  if (problems.length > 0) {
    throw new Error(`Published ${tag}, but GitHub's view of it does not match ours: ${problems.join('; ')}.`);
  }
  return { published, outcome: outcome(published, planned, known, draft.facts, draft.path) };
}

function outcome(
  release: Release,
  planned: AssetSet,
  known: KnownRelease,
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
    releaseUrl: releasePageUrl(known.request.context, release.tag_name),
    manifestDigest: planned.manifestDigest,
    previousTag: known.marker.previous?.tag ?? '',
    path,
    facts,
  };
}
