// actions/download-artifact's behaviour over @actions/artifact, as the local
// runner's stand-in: by name, by ids or pattern, each artifact checked
// against the digest the service recorded at upload.
import path from 'node:path';
import { type Artifact, DefaultArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';

async function main(): Promise<void> {
  const workspace = process.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const target = path.resolve(workspace, core.getInput('path') || '.');
  const runId = core.getInput('run-id');
  if (runId !== '' && runId !== process.env['GITHUB_RUN_ID']) {
    throw new Error(`The local runner serves the artifacts of this workflow run only, not of run ${runId}.`);
  }
  const client = new DefaultArtifactClient();
  const name = core.getInput('name');
  let artifacts: Artifact[];
  if (name !== '') {
    artifacts = [(await client.getArtifact(name)).artifact];
  } else {
    artifacts = (await client.listArtifacts({ latest: true })).artifacts;
    const ids = core
      .getInput('artifact-ids')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (ids.length > 0) artifacts = artifacts.filter((a) => ids.includes(String(a.id)));
    const pattern = core.getInput('pattern');
    if (pattern !== '') artifacts = artifacts.filter((a) => path.matchesGlob(a.name, pattern));
  }
  const single = name !== '' || core.getInput('merge-multiple') === 'true';
  for (const artifact of artifacts) {
    const { digestMismatch } = await client.downloadArtifact(artifact.id, {
      path: single ? target : path.join(target, artifact.name),
      ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
    });
    if (digestMismatch) throw new Error(`Digest validation failed for artifact ${artifact.name}`);
  }
  core.info(`${artifacts.length} artifact(s) downloaded to ${target}`);
  core.setOutput('download-path', target);
}

main().catch((error: unknown) => core.setFailed(error instanceof Error ? error.message : String(error)));
