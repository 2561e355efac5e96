/**
 * The deploy, in the order that keeps the promise "nothing runs unless every
 * byte is the released one":
 *   resolve → immutable? → manifest verified → anchored (tag's commit,
 *   expected digest) → no reserved config key → environment and secrets
 *   checked (bad input or a bad release: nothing created) → provenance
 *   verified (provenance-check.ts) → deployment recorded, in_progress → config and
 *   archive verified, unpacked (verified again while unpacking) → command →
 *   success, or failure/error with the reason.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ActionLog } from '@build-release-run/action-kit';
import { ConfigurationError, errorMessage, formatBytes, logText, shortDigest } from '@build-release-run/contract';
import type { GitHubApi, Release } from '@build-release-run/github-api';
import { MANIFEST_ASSET, type ReleaseConfig, type ReleaseManifest } from '@build-release-run/release-format';
import { progressTo } from '@build-release-run/progress';
import { checkFreeSpace, refuseUnsupportedPlatform, unpackArchive } from '@build-release-run/unpack';
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
import {
  type ProvenanceOutcome,
  checkProvenance,
  verifyAnchoredRelease,
  verifyManifest,
  verifyPayload,
} from '@build-release-run/release-verify';

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

export async function deploy(
  api: GitHubApi,
  inputs: DeployInputs,
  context: DeployContext,
  jobEnv: NodeJS.ProcessEnv,
  io: ActionLog,
  trace: DeployTrace = {},
): Promise<DeployResult> {
  refuseUnsupportedPlatform();
  const workDir = await mkdtemp(path.join(context.runnerTemp, 'brr-deploy-'));
  try {
    const history = trace.history ?? historyOnce(api);
    trace.history = history;
    const resolved = await resolveRelease(
      api,
      inputs.tag,
      inputs.environment,
      (candidate) => verifyManifest(api, candidate, workDir),
      history,
    );
    const { release } = resolved;
    trace.release = release;
    const tag = release.tag_name;
    // An image release: its manifest asset and the registry checked too, before a deployment is created.
    const { verified, image } = await verifyAnchoredRelease(
      api,
      release,
      workDir,
      {
        ...inputs,
        registry: { given: inputs.registry, actor: context.actor, token: inputs.token },
        // Verified once: choosing `latest` may have verified it already.
        verified: resolved.verified,
        onManifest: (manifest) => {
          trace.manifest = manifest;
          refuseEditedMarker(inputs, tag, manifest);
          refuseReleaseConfig(manifest, inputs.configEnv);
        },
      },
      io,
    );
    const { manifest } = verified;

    // Names only are known yet; the values are masked before anything else is printed.
    const missing = missingSecrets(manifest.config.secretKeys, jobEnv);
    for (const value of secretValues(manifest.config.secretKeys, jobEnv)) io.mask(value);

    const environment = inputs.environment ?? manifest.environment;
    trace.environment = environment;
    if (environment !== manifest.environment) {
      throw new ConfigurationError(
        `Input 'environment' is '${environment}', but ${tag} was released for '${manifest.environment}': its config belongs to that environment. ` +
          `To run this build in '${environment}', promote it: run the release action with 'from-release: ${tag}' and 'environment: ${environment}' (the same build, ${manifest.build.digest}), then deploy the new tag.`,
      );
    }
    if (missing.length > 0) {
      throw new ConfigurationError(
        `${tag} needs the secret(s) ${missing.join(', ')}, which this job's environment does not provide. ` +
          `Pass them to the deploy step, e.g. env: { ${missing[0]}: \${{ secrets.${missing[0]} }} }.`,
      );
    }
    io.info(`Deploying ${logText(tag)} (build ${manifest.build.digest}) to ${logText(environment)}`);

    const [live] = await history(environment, 1);
    trace.liveBefore = live ?? null;
    // Redeploying what is live replaces what ran before it: only then is a second success read.
    const previousTag = live === tag ? replacedTag(await history(environment, 2), tag) : live;
    const directory = inputs.directory ?? (await defaultDirectory(context, tag));
    await checkFreeSpace(directory, workDir, {
      archiveBytes: manifest.build.size,
      attachedBytes: (manifest.attachments ?? []).reduce((sum, file) => sum + file.size, 0),
    });

    const provenance = await checkProvenance(api, inputs.provenance, context, verified, jobEnv, io);
    trace.provenance = provenance;

    const created = await api.createDeployment({
      ref: tag,
      environment,
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
    const deploymentId = created.deployment.id;
    trace.deploymentId = deploymentId;
    const logUrl = `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`;
    await api.createDeploymentStatus(deploymentId, {
      state: 'in_progress',
      log_url: logUrl,
      description: `Verifying ${tag}`,
    });

    let config: ReleaseConfig;
    let assetsDir: string;
    try {
      let unpacked: { directory: string };
      if (image !== undefined) {
        // Nothing to unpack: the command gets RELEASE_IMAGE, in an empty folder of its own.
        config = image.config;
        trace.config = config;
        assetsDir = image.assetsDir;
        await mkdir(directory, { recursive: true });
        unpacked = { directory };
      } else {
        const payload = await verifyPayload(api, release, verified, workDir);
        config = payload.config;
        trace.config = config;
        assetsDir = payload.assetsDir;
        const format = manifest.build.format === 'image' ? unreachableImage() : manifest.build.format;
        const files = await unpackArchive({
          archive: payload.archiveFile,
          format,
          directory,
          // Checked again while unpacking: the file on disk is what was verified.
          expectedDigest: manifest.build.digest,
          limits: inputs.limits,
          onProgress: progressTo((line) => io.info(line))('Unpacking'),
        });
        io.info(
          `Verified and unpacked ${files.files} files (${formatBytes(files.expandedBytes)}) into ${logText(files.directory)}`,
        );
        await rm(payload.archiveFile, { force: true });
        unpacked = files;
      }

      // The config as data (RELEASE_CONFIG_FILE); as variables only the keys input 'config-env' lists.
      const command = commandEnvironment(
        jobEnv,
        config,
        {
          tag,
          version: manifest.version,
          digest: manifest.build.digest,
          directory: unpacked.directory,
          environment,
          assetsDir,
          configFile: await writeConfigFile(workDir, config),
          image: image?.pinned,
        },
        inputs.configEnv,
      );
      io.info(`Running the deploy command in ${logText(unpacked.directory)}`);
      const deadline = api.client.deadline;
      if (deadline) deadline.stage = 'running the deploy command';
      trace.commandDirectory = unpacked.directory;
      const outcome = await runCommand(inputs.run, {
        cwd: unpacked.directory,
        env: command.env,
        secrets: command.secretValues,
        signal: deadline?.signal,
      });
      if (outcome.exitCode !== 0) {
        const why = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
        await api.createDeploymentStatus(deploymentId, {
          state: 'failure',
          log_url: logUrl,
          description: `The deploy command ${why}`,
        });
        const hint = outcome.signal ? '' : commandFailureHint(outcome.exitCode, unpacked.directory);
        throw new CommandFailedError(
          `The deploy command ${why}; ${tag} is recorded as failed in '${environment}'.${hint}`,
        );
      }
      await api.createDeploymentStatus(deploymentId, {
        state: 'success',
        log_url: logUrl,
        description: `Deployed ${tag}`,
        ...(inputs.environmentUrl === undefined ? {} : { environment_url: inputs.environmentUrl }),
      });
      return {
        deploymentId,
        tag,
        version: manifest.version,
        digest: manifest.build.digest,
        directory: unpacked.directory,
        previousTag,
        environment,
        manifest,
        config,
        release,
        provenance,
      };
    } catch (error) {
      if (!(error instanceof CommandFailedError)) {
        const kind = error instanceof VerificationError ? 'Verification failed' : 'Deploy failed';
        await api
          .createDeploymentStatus(deploymentId, {
            state: 'error',
            log_url: logUrl,
            description: `${kind}: ${errorMessage(error)}`,
          })
          .catch((statusError: unknown) =>
            io.info(`Could not record the error status: ${logText(errorMessage(statusError))}`),
          );
      }
      throw error;
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** release.json ties format 'image' to an image record, and verifyImageRelease handled that. */
/**
 * `latest` of an environment is chosen by the release notes' marker, which
 * can be edited after publishing; release.json, verified, decides.
 */
function refuseEditedMarker(inputs: DeployInputs, tag: string, manifest: ReleaseManifest): void {
  if (inputs.tag.kind !== 'latest' || inputs.environment === undefined) return;
  if (manifest.environment === inputs.environment) return;
  throw new VerificationError(
    `${tag}: its release notes' marker says environment '${inputs.environment}', but its ${MANIFEST_ASSET} says '${manifest.environment}'; the notes were edited after the release was made. Give a tag.`,
  );
}

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
