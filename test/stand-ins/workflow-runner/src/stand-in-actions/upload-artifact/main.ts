// actions/upload-artifact's behaviour over @actions/artifact, as the local
// runner's stand-in. Node 24 runs this file as it is (type stripping).
import path from 'node:path';
import { ArtifactNotFoundError, DefaultArtifactClient } from '@actions/artifact';
import * as core from '@actions/core';
import { resolveUploadPaths } from '../../upload-paths.ts';

async function main(): Promise<void> {
  const pathInput = core.getInput('path', { required: true });
  const archive = core.getInput('archive') !== 'false';
  const { root, files } = await resolveUploadPaths(
    process.env['GITHUB_WORKSPACE'] ?? process.cwd(),
    pathInput,
    core.getInput('include-hidden-files') === 'true',
  );
  if (files.length === 0) {
    const message = `No files were found with the provided path: ${pathInput}. No artifacts will be uploaded.`;
    const behaviour = core.getInput('if-no-files-found') || 'warn';
    if (behaviour === 'error') throw new Error(message);
    if (behaviour === 'warn') core.warning(message);
    else core.info(message);
    return;
  }
  if (!archive && files.length !== 1) {
    throw new Error(`archive: false uploads exactly one file, but the path matched ${files.length} files.`);
  }
  const name = archive ? core.getInput('name') || 'artifact' : path.basename(files[0]!);
  const client = new DefaultArtifactClient();
  if (core.getInput('overwrite') === 'true') {
    try {
      await client.deleteArtifact(name);
    } catch (error) {
      if (!(error instanceof ArtifactNotFoundError)) throw error;
    }
  }
  const retentionDays = Number(core.getInput('retention-days') || '0');
  const { id, digest } = await client.uploadArtifact(name, files, root, {
    compressionLevel: Number(core.getInput('compression-level') || '6'),
    skipArchive: !archive,
    ...(retentionDays > 0 ? { retentionDays } : {}),
  });
  const url = `${process.env['GITHUB_SERVER_URL']}/${process.env['GITHUB_REPOSITORY']}/actions/runs/${process.env['GITHUB_RUN_ID']}/artifacts/${id}`;
  core.info(`Artifact ${name} (${files.length} file(s)) uploaded, id ${id}, digest sha256:${digest}`);
  core.setOutput('artifact-id', String(id));
  core.setOutput('artifact-url', url);
  core.setOutput('artifact-digest', digest ?? '');
}

main().catch((error: unknown) => core.setFailed(error instanceof Error ? error.message : String(error)));
