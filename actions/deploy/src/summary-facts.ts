/**
 * Gathers what the summary states after a deploy, whatever its outcome. The
 * environment's state is read from its deployment history after the deploy
 * ended; each read that fails leaves its part "unknown (why)" rather than
 * losing the summary: the summary is most needed when something is wrong.
 */
import { errorMessage } from '@build-release-run/contract';
import type { GitHubApi, Release } from '@build-release-run/github-api';
import { diffFromRelease, findRelease, readSide } from '@build-release-run/release-verify';
import { type Relation, deployRelation } from './deploy-relation.ts';
import type { DeployTrace } from './deploy-flow.ts';
import { type History, historyOnce } from './deployment-history.ts';
import type { DeployOutcome, LiveState, ReleaseDifference, SummaryFacts } from './summary.ts';

export interface SummaryContext {
  asked: { tag: string; environment: string };
  environmentUrl: string | undefined;
  serverUrl: string;
  repository: string;
  runId: string;
  /** The section that says how to go back to `target` in `environment`. */
  goBack: (target: string, environment: string) => string[];
}

export async function gatherSummaryFacts(
  api: GitHubApi | undefined,
  trace: DeployTrace,
  outcome: DeployOutcome,
  context: SummaryContext,
): Promise<SummaryFacts> {
  const environment = trace.environment ?? (context.asked.environment || undefined);
  const liveNow = knownLive(trace, outcome) ?? (await readLive(api, trace.history, environment));
  // Nothing changed the history before the flow read it: what is live now was live before.
  const liveBefore =
    trace.liveBefore !== undefined
      ? trace.liveBefore
      : liveNow.kind === 'tag'
        ? liveNow.tag
        : liveNow.kind === 'none'
          ? null
          : undefined;
  const tag = trace.release?.tag_name;
  const replacedTag = liveBefore !== null && liveBefore !== tag ? liveBefore : undefined;

  let relation: Relation | undefined;
  let difference: ReleaseDifference | undefined;
  if (api !== undefined && trace.release !== undefined && liveBefore !== undefined) {
    const before =
      liveBefore === null
        ? null
        : liveBefore === tag
          ? trace.release // a redeploy: the release is the one in hand
          : await findRelease(api, liveBefore).catch(() => undefined);
    if (before !== undefined) relation = deployRelation(trace.release, before);
    if (replacedTag !== undefined) difference = await compare(api, replacedTag, before, trace.release, trace);
  }

  // Back to what ran before a success; after a failed command, back to what is recorded live.
  const target =
    outcome.kind === 'deployed'
      ? replacedTag
      : outcome.kind === 'command-failed' && liveNow.kind === 'tag'
        ? liveNow.tag
        : undefined;
  return {
    asked: context.asked,
    outcome,
    manifest: trace.manifest,
    environment,
    deploymentId: trace.deploymentId,
    liveNow,
    relation,
    replacedTag,
    difference,
    environmentUrl: context.environmentUrl,
    serverUrl: context.serverUrl,
    repository: context.repository,
    runId: context.runId,
    provenance: trace.provenance,
    goBack: target === undefined || environment === undefined ? [] : context.goBack(target, environment),
  };
}

/**
 * What is live, when this deploy knows it without asking: its own success,
 * or (it recorded no success) what was live before it, if that was read.
 */
function knownLive(trace: DeployTrace, outcome: DeployOutcome): LiveState | undefined {
  if (outcome.kind === 'deployed' && trace.release !== undefined) return { kind: 'tag', tag: trace.release.tag_name };
  if (outcome.kind === 'deployed' || trace.liveBefore === undefined) return undefined;
  return trace.liveBefore === null ? { kind: 'none' } : { kind: 'tag', tag: trace.liveBefore };
}

async function readLive(
  api: GitHubApi | undefined,
  history: History | undefined,
  environment: string | undefined,
): Promise<LiveState> {
  if (environment === undefined) {
    return { kind: 'unknown', reason: 'the deploy stopped before its environment was known (input environment unset)' };
  }
  if (api === undefined) return { kind: 'unknown', reason: 'the inputs were refused before the history was read' };
  try {
    const [live] = await (history ?? historyOnce(api))(environment, 1);
    return live === undefined ? { kind: 'none' } : { kind: 'tag', tag: live };
  } catch (error) {
    return { kind: 'unknown', reason: `could not read the deployment history: ${errorMessage(error)}` };
  }
}

/**
 * The config (key names) and build difference; the same comparison as `brr
 * diff`. The deployed side is what the deploy verified already; the
 * replaced release is read through the reader's digest chain (release.json,
 * then config.env checked against it): it was verified when it was
 * deployed, and the comparison decides nothing.
 */
async function compare(
  api: GitHubApi,
  from: string,
  before: Release | null | undefined,
  release: Release,
  trace: DeployTrace,
): Promise<ReleaseDifference> {
  try {
    // The deployed side as verified; read now (by the digest chain) when the deploy stopped before its config.
    const to =
      trace.manifest !== undefined && trace.config !== undefined
        ? { manifest: trace.manifest, config: trace.config }
        : await readSide(api, release);
    const diff = await diffFromRelease(api, before ?? (await findRelease(api, from)), to);
    return {
      kind: 'compared',
      sameBuild: diff.sameBuild,
      fromDigest: diff.from.buildDigest,
      toDigest: diff.to.buildDigest,
      config: diff.config,
    };
  } catch (error) {
    return { kind: 'unavailable', reason: errorMessage(error) };
  }
}
