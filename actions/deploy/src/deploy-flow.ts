/**
 * The deploy, as the steps its summary reports, in the order that keeps the
 * promise "nothing runs unless every byte is the released one, signed by the
 * workflows the policy names, for the environment this job deploys to":
 *
 *   the release (resolved, then read through release-verify: immutable,
 *   release.json verified, anchored, the image in its registry) → the
 *   environment → the secret keys → what is live → free space → provenance
 *   → the deployment recorded → the payload verified and unpacked → the
 *   deploy command → the outcome recorded.
 *
 * Nothing is created before provenance is verified; once the deployment
 * exists, any failure is recorded on it (error, or failure for the command).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ActionLog } from '@build-release-run/action-kit';
import { ConfigurationError, errorMessage, formatBytes, logText, shortDigest } from '@build-release-run/contract';
import type { GitHubApi, Release } from '@build-release-run/github-api';
import { MANIFEST_ASSET, type ReleaseConfig, type ReleaseManifest } from '@build-release-run/release-format';
import { progressTo } from '@build-release-run/progress';
import { checkFreeSpace, refuseUnsupportedPlatform, unpackArchive } from '@build-release-run/unpack';
import {
  type AnchoredRelease,
  type ProvenanceOutcome,
  type ReadOptions,
  readAnchored,
  readManifest,
  readPayload,
  readProvenance,
} from '@build-release-run/release-verify';
import { commandEnvironment, missingSecrets, secretValues } from './command-env.ts';
import { commandFailureHint } from './command-hints.ts';
import { CommandFailedError, VerificationError } from './deploy-errors.ts';
import type { DeployOutputFacts } from './outputs.ts';
import { type History, historyOnce, replacedTag } from './deployment-history.ts';
import type { DeployContext, DeployInputs } from './inputs.ts';
import { writeConfigFile } from './config-file.ts';
import { refuseReleaseConfig } from './reserved-config.ts';
import { resolveRelease } from './resolve-release.ts';
import { runCommand } from './run-command.ts';

/** The outputs' facts (outputs.ts), and what the summary shows besides. */
export interface DeployResult extends DeployOutputFacts {
  environment: string;
  manifest: ReleaseManifest;
  config: ReleaseConfig;
  release: Release;
  provenance: ProvenanceOutcome;
}

/**
 * How far a deploy got, filled in as it goes: on a failure the summary says
 * what was asked, what was reached and what the environment ran before.
 */
export interface DeployTrace {
  release?: Release;
  manifest?: ReleaseManifest;
  environment?: string;
  /** The tag live in the environment before this deploy (null: nothing was). */
  liveBefore?: string | null;
  deploymentId?: number;
  /** The folder the build was unpacked into, once the command is about to run. */
  commandDirectory?: string;
  provenance?: ProvenanceOutcome;
  /** The release's config, once verified (the summary compares it with the replaced release's). */
  config?: ReleaseConfig;
  /** The environment's deployment history, read once for the deploy and its summary. */
  history?: History;
}

/** What one deploy works with, fixed before its first step. */
interface DeployJob {
  api: GitHubApi;
  inputs: DeployInputs;
  context: DeployContext;
  jobEnv: NodeJS.ProcessEnv;
  io: ActionLog;
  trace: DeployTrace;
  history: History;
  workDir: string;
}

/** A deployment recorded in GitHub, with the run's log URL its statuses point at. */
interface Recorded {
  id: number;
  logUrl: string;
}

export async function deploy(
  api: GitHubApi,
  inputs: DeployInputs,
  context: DeployContext,
  jobEnv: NodeJS.ProcessEnv,
  io: ActionLog,
  trace: DeployTrace = {},
): Promise<DeployResult> {
  refuseUnsupportedPlatform();
  const history = (trace.history ??= historyOnce(api));
  trace.environment = inputs.environment;
  const workDir = await mkdtemp(path.join(context.runnerTemp, 'brr-deploy-'));
  const job: DeployJob = { api, inputs, context, jobEnv, io, trace, history, workDir };
  try {
    const release = await readTheRelease(job);
    checkSecretKeys(job, release.manifest);
    io.info(
      `Deploying ${logText(release.manifest.tag)} (build ${release.manifest.build.digest}) to ${logText(inputs.environment)}`,
    );
    const previousTag = await readLiveBefore(job, release.release.tag_name);
    const directory = await checkFreeSpaceFor(job, release.manifest);
    trace.provenance = await readProvenance(api, release, readOptions(job));
    const deployment = await recordDeployment(job, release);
    try {
      const ran = await runTheRelease(job, release, directory, deployment);
      return {
        ...ran,
        previousTag,
        environment: inputs.environment,
        release: release.release,
        provenance: trace.provenance,
      };
    } catch (error) {
      await recordError(job, deployment, error);
      throw error;
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** How this deploy reads a release (release-verify's reader, with the deploy's policy). */
function readOptions(job: DeployJob): ReadOptions {
  const { inputs, context, io } = job;
  return {
    trust: inputs.trust,
    expectedDigest: inputs.expectedDigest,
    registry: { given: inputs.registry, actor: context.actor, token: inputs.token },
    context,
    env: job.jobEnv,
    workDir: job.workDir,
    log: io,
  };
}

/**
 * Release: the tag asked for, resolved and read through the reader up to
 * provenance. The release must have been made for the input environment.
 */
async function readTheRelease(job: DeployJob): Promise<AnchoredRelease> {
  const { api, inputs, trace } = job;
  const resolved = await resolveRelease(
    api,
    inputs.tag,
    inputs.environment,
    (candidate) => readManifest(api, candidate, job.workDir),
    job.history,
  );
  trace.release = resolved.release;
  const tag = resolved.release.tag_name;
  const onManifest = (manifest: ReleaseManifest): void => {
    trace.manifest = manifest;
    // Names only are known yet; the values are masked before anything else can print them.
    for (const value of secretValues(manifest.config.secretKeys, job.jobEnv)) job.io.mask(value);
    refuseEditedMarker(inputs, tag, manifest);
    refuseReleaseConfig(manifest, inputs.configEnv);
    checkEnvironment(inputs.environment, manifest);
  };
  // An image release: its manifest asset and the registry checked too, before a deployment is created.
  // Verified once: choosing `latest` may have verified release.json already.
  return readAnchored(api, resolved.release, { ...readOptions(job), verified: resolved.verified, onManifest });
}

/** Environment: a release's config belongs to the environment it was made for. */
function checkEnvironment(environment: string, manifest: ReleaseManifest): void {
  if (environment === manifest.environment) return;
  throw new ConfigurationError(
    `Input 'environment' is '${environment}', but ${manifest.tag} was released for '${manifest.environment}': its config belongs to that environment. ` +
      `To run this build in '${environment}', promote it: run the release action with 'from-release: ${manifest.tag}' and 'environment: ${environment}' (the same build, ${manifest.build.digest}), then deploy the new tag.`,
  );
}

/** Secret keys: each one the job's environment must give (their values were masked once release.json was read). */
function checkSecretKeys(job: DeployJob, manifest: ReleaseManifest): void {
  const missing = missingSecrets(manifest.config.secretKeys, job.jobEnv);
  if (missing.length > 0) {
    throw new ConfigurationError(
      `${manifest.tag} needs the secret(s) ${missing.join(', ')}, which this job's environment does not provide. ` +
        `Pass them to the deploy step, e.g. env: { ${missing[0]}: \${{ secrets.${missing[0]} }} }.`,
    );
  }
}

/** Live before, and what this deploy replaces (a redeploy of what is live replaces what ran before it). */
async function readLiveBefore(job: DeployJob, tag: string): Promise<string | undefined> {
  const [live] = await job.history(job.inputs.environment, 1);
  job.trace.liveBefore = live ?? null;
  return live === tag ? replacedTag(await job.history(job.inputs.environment, 2), tag) : live;
}

/** Room for the build and its attached files where they go, before anything is downloaded. */
async function checkFreeSpaceFor(job: DeployJob, manifest: ReleaseManifest): Promise<string> {
  const directory = job.inputs.directory ?? (await defaultDirectory(job.context, manifest.tag));
  await checkFreeSpace(directory, job.workDir, {
    archiveBytes: manifest.build.size,
    attachedBytes: (manifest.attachments ?? []).reduce((sum, file) => sum + file.size, 0),
  });
  return directory;
}

/** Deployment: created only once everything above verified, and marked in progress. */
async function recordDeployment(job: DeployJob, verified: AnchoredRelease): Promise<Recorded> {
  const { api, context, inputs } = job;
  const { manifest } = verified;
  const tag = manifest.tag;
  const created = await api.createDeployment({
    ref: tag,
    environment: inputs.environment,
    task: 'deploy',
    description: `${tag} (build ${shortDigest(manifest.build.digest)})`,
    payload: {
      tag,
      version: manifest.version,
      buildDigest: manifest.build.digest,
      configDigest: manifest.config.digest,
      manifestDigest: verified.manifestDigest,
      commit: manifest.build.commit,
    },
  });
  if (!created.created) {
    throw new Error(`GitHub did not create a deployment for ${tag} (202: ${created.message}); nothing was run.`);
  }
  const deployment = {
    id: created.deployment.id,
    logUrl: `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`,
  };
  job.trace.deploymentId = deployment.id;
  await api.createDeploymentStatus(deployment.id, {
    state: 'in_progress',
    log_url: deployment.logUrl,
    description: `Verifying ${tag}`,
  });
  return deployment;
}

/** Outcome: the payload verified and unpacked, the command run, its result recorded on the deployment. */
async function runTheRelease(
  job: DeployJob,
  verified: AnchoredRelease,
  directory: string,
  deployment: Recorded,
): Promise<Omit<DeployOutputFacts, 'previousTag'> & { manifest: ReleaseManifest; config: ReleaseConfig }> {
  const { manifest } = verified;
  const unpacked = await unpackTheRelease(job, verified, directory);
  // The config as data (RELEASE_CONFIG_FILE); as variables only the keys input 'config-env' lists.
  const command = commandEnvironment(
    job.jobEnv,
    unpacked.config,
    {
      tag: manifest.tag,
      version: manifest.version,
      digest: manifest.build.digest,
      directory: unpacked.directory,
      environment: job.inputs.environment,
      assetsDir: unpacked.assetsDir,
      configFile: await writeConfigFile(job.workDir, unpacked.config),
      image: verified.image?.pinned,
    },
    job.inputs.configEnv,
  );
  await runDeployCommand(job, unpacked.directory, command, deployment, manifest.tag);
  await job.api.createDeploymentStatus(deployment.id, {
    state: 'success',
    log_url: deployment.logUrl,
    description: `Deployed ${manifest.tag}`,
    ...(job.inputs.environmentUrl === undefined ? {} : { environment_url: job.inputs.environmentUrl }),
  });
  return {
    deploymentId: deployment.id,
    tag: manifest.tag,
    version: manifest.version,
    digest: manifest.build.digest,
    directory: unpacked.directory,
    manifest,
    config: unpacked.config,
  };
}

/** The config, the attached files and the build on disk: an archive verified again while it is unpacked. */
async function unpackTheRelease(
  job: DeployJob,
  verified: AnchoredRelease,
  directory: string,
): Promise<{ config: ReleaseConfig; assetsDir: string; directory: string }> {
  const { image, manifest } = verified;
  if (image !== undefined) {
    // Nothing to unpack: the command gets RELEASE_IMAGE, in an empty folder of its own.
    job.trace.config = image.config;
    await mkdir(directory, { recursive: true });
    return { config: image.config, assetsDir: image.assetsDir, directory };
  }
  const payload = await readPayload(job.api, verified, job.workDir);
  job.trace.config = payload.config;
  const format = manifest.build.format === 'image' ? unreachableImage() : manifest.build.format;
  const files = await unpackArchive({
    archive: payload.archiveFile,
    format,
    directory,
    // Checked again while unpacking: the file on disk is what was verified.
    expectedDigest: manifest.build.digest,
    limits: job.inputs.limits,
    onProgress: progressTo((line) => job.io.info(line))('Unpacking'),
  });
  job.io.info(
    `Verified and unpacked ${files.files} files (${formatBytes(files.expandedBytes)}) into ${logText(files.directory)}`,
  );
  await rm(payload.archiveFile, { force: true });
  return { config: payload.config, assetsDir: payload.assetsDir, directory: files.directory };
}

/** The deploy command; a failure is recorded as `failure` (the command may have changed the environment). */
async function runDeployCommand(
  job: DeployJob,
  directory: string,
  command: ReturnType<typeof commandEnvironment>,
  deployment: Recorded,
  tag: string,
): Promise<void> {
  job.io.info(`Running the deploy command in ${logText(directory)}`);
  const deadline = job.api.client.deadline;
  if (deadline) deadline.stage = 'running the deploy command';
  job.trace.commandDirectory = directory;
  const outcome = await runCommand(job.inputs.run, {
    cwd: directory,
    env: command.env,
    secrets: command.secretValues,
    signal: deadline?.signal,
  });
  if (outcome.exitCode === 0) return;
  const why = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
  await job.api.createDeploymentStatus(deployment.id, {
    state: 'failure',
    log_url: deployment.logUrl,
    description: `The deploy command ${why}`,
  });
  const hint = outcome.signal ? '' : commandFailureHint(outcome.exitCode, directory);
  throw new CommandFailedError(
    `The deploy command ${why}; ${tag} is recorded as failed in '${job.inputs.environment}'.${hint}`,
  );
}

/** Anything but the command's own failure, once the deployment exists: recorded as `error`. */
async function recordError(job: DeployJob, deployment: Recorded, error: unknown): Promise<void> {
  if (error instanceof CommandFailedError) return;
  const kind = error instanceof VerificationError ? 'Verification failed' : 'Deploy failed';
  await job.api
    .createDeploymentStatus(deployment.id, {
      state: 'error',
      log_url: deployment.logUrl,
      description: `${kind}: ${errorMessage(error)}`,
    })
    .catch((statusError: unknown) =>
      job.io.info(`Could not record the error status: ${logText(errorMessage(statusError))}`),
    );
}

/**
 * `latest` of an environment is chosen by the release notes' marker, which
 * can be edited after publishing; release.json, verified, decides.
 */
function refuseEditedMarker(inputs: DeployInputs, tag: string, manifest: ReleaseManifest): void {
  if (inputs.tag.kind !== 'latest' || manifest.environment === inputs.environment) return;
  throw new VerificationError(
    `${tag}: its release notes' marker says environment '${inputs.environment}', but its ${MANIFEST_ASSET} says '${manifest.environment}'; the notes were edited after the release was made. Give a tag.`,
  );
}

/** release.json ties format 'image' to an image record, and checkImage handled that. */
function unreachableImage(): never {
  throw new Error('An image release reached the archive path.');
}

/** A fresh folder under the runner's temp; a leftover from an earlier attempt of this run is ours to replace. */
async function defaultDirectory(context: DeployContext, tag: string): Promise<string> {
  const safeTag = tag.replace(/[^A-Za-z0-9._-]/g, '_');
  const directory = path.join(context.runnerTemp, 'build-release-run', `deploy-${safeTag}-${context.runId}`);
  await rm(directory, { recursive: true, force: true });
  return directory;
}
