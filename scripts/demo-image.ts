// The image part of `pnpm demo`: a container image as the build. Starts the
// CNCF distribution registry the tests use (Debian's docker-registry) on
// 127.0.0.1, makes an image with umoci and pushes it with skopeo, then runs
// examples/app/.github/workflows/image.yml through the local runner: build
// resolves the image to its manifest digest, release takes it by that
// digest with the staging config, deploy checks the registry still serves
// it and renders the Kubernetes Deployment with `kubectl set image --local`
// and RELEASE_IMAGE. It runs in a repository of its own (octo/app-image), so
// its release and deployment do not change the archive pipeline's ledger.
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { access, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type RunWorkflowOptions, type RunWorkflowResult, runWorkflow } from '@build-release-run/workflow-runner';
import { inspectRaw, makeOciLayout } from '@build-release-run/test-helpers/registry/oci-images';
import { startRegistry } from '@build-release-run/test-helpers/registry/registry-server';
import { digestOf } from '@build-release-run/contract';

export const IMAGE_REPOSITORY = 'octo/app-image';

/** The commands the image part runs: the registry, the image tools, and kubectl in the example's deploy. */
export const IMAGE_TOOLS = ['docker-registry', 'skopeo', 'umoci', 'kubectl'] as const;

export type ImageDemo =
  | {
      ran: true;
      /** The tag pushed, `127.0.0.1:<port>/octo/app:demo`. */
      pushed: string;
      /** sha256 of the manifest bytes the registry serves (skopeo inspect --raw). */
      registryDigest: string;
      /** The build's digest output. */
      digest: string;
      tag: string;
      /** The release in the local API. */
      releaseUrl: string;
      /** What the deploy command got as RELEASE_IMAGE, read from the Deployment it rendered. */
      releaseImage: string;
      /** image/rendered/deployment.yaml and configmap.yaml. */
      rendered: string[];
      /** image/notes-<tag>.md: the release's notes as GitHub holds them. */
      notes: string;
    }
  | { ran: false; missing: string[]; hint: string };

/** The tools of IMAGE_TOOLS that are not on `PATH`, and what to do about them. */
export async function imagePrerequisites(
  searchPath = process.env['PATH'] ?? '',
): Promise<{ missing: string[]; hint: string }> {
  const missing: string[] = [];
  for (const tool of IMAGE_TOOLS) {
    const found = await Promise.any(
      searchPath
        .split(path.delimiter)
        .filter((folder) => folder !== '')
        .map((folder) => access(path.join(folder, tool), constants.X_OK)),
    ).then(
      () => true,
      () => false,
    );
    if (!found) missing.push(tool);
  }
  const hint =
    missing.length === 0
      ? ''
      : `The image release needs ${missing.join(', ')} (not found on PATH). Install them with: bash scripts/install-system-packages.sh`;
  return { missing, hint };
}

/** The image app's repository: a clone of the demo's app repository, made before the server starts. */
export function imageRepoDir(dir: string): string {
  return path.join(dir, 'image-repo');
}

export function cloneImageRepo(appRepo: string, dir: string): string {
  execFileSync('git', ['clone', '--quiet', appRepo, imageRepoDir(dir)]);
  return imageRepoDir(dir);
}

export interface ImageDemoContext {
  dir: string;
  apiUrl: string;
  token: string;
  /** The demo's run options (run id, folders, Sigstore); repository and repoDir are replaced. */
  common: () => Omit<RunWorkflowOptions, 'workflowFile'>;
  keepSummaries: (result: RunWorkflowResult, workflow: string) => Promise<RunWorkflowResult>;
  check: (result: RunWorkflowResult, what: string) => RunWorkflowResult;
  say: (line: string) => void;
}

export async function runImageDemo(context: ImageDemoContext): Promise<ImageDemo> {
  const { dir, say } = context;
  say(`\n▶ A container image as the build: image.yml on workflow_dispatch (${IMAGE_REPOSITORY})`);
  const { missing, hint } = await imagePrerequisites();
  if (missing.length > 0) {
    say(`  skipped: ${hint}`);
    return { ran: false, missing, hint };
  }
  const repo = imageRepoDir(dir);
  const registry = await startRegistry();
  const layout = await makeOciLayout();
  try {
    say(`  local registry (CNCF distribution) at ${registry.url}`);
    await layout.addImage('app', 'the demo app');
    const pushed = `${registry.host}/octo/app:demo`;
    await layout.push('app', pushed);
    const registryDigest = digestOf(await inspectRaw(pushed));
    say(`  pushed ${pushed} (made with umoci, copied with skopeo): manifest ${registryDigest}`);

    const result = context.check(
      await context.keepSummaries(
        await runWorkflow({
          ...context.common(),
          repoDir: repo,
          repository: IMAGE_REPOSITORY,
          workflowFile: '.github/workflows/image.yml',
          event: 'workflow_dispatch',
          inputs: { image: pushed },
        }),
        'image.yml',
      ),
      'image.yml',
    );
    const digest = result.jobs['build']!.outputs['digest']!;
    const tag = result.jobs['release']!.outputs['tag']!;
    const deploy = result.jobs['deploy']!;
    const renderedDir = path.join(dir, 'image', 'rendered');
    await mkdir(renderedDir, { recursive: true });
    const rendered: string[] = [];
    for (const file of ['deployment.yaml', 'configmap.yaml']) {
      const to = path.join(renderedDir, file);
      await copyFile(path.join(deploy.workspace, 'rendered', file), to);
      rendered.push(to);
    }
    const releaseImage = /^\s*image: (\S+)$/m.exec(await readFile(rendered[0]!, 'utf8'))?.[1] ?? '';
    const notes = path.join(dir, 'image', `notes-${tag}.md`);
    await writeFile(notes, await releaseBody(context, tag));
    say(`  build ${digest} (the digest of the manifest bytes the registry served)`);
    say(`  release ${tag} of ${IMAGE_REPOSITORY}: staging config, the manifest stored as an asset, no archive`);
    say(`  deploy checked the manifest and every blob in the registry, then ran the command with`);
    say(`    RELEASE_IMAGE=${releaseImage}`);
    say(`  kubectl set image --local rendered ${rendered[0]} (and the config as ${rendered[1]})`);
    const releaseUrl = `${context.apiUrl}/repos/${IMAGE_REPOSITORY}/releases/tags/${encodeURIComponent(tag)}`;
    return { ran: true, pushed, registryDigest, digest, tag, releaseUrl, releaseImage, rendered, notes };
  } finally {
    await Promise.all([registry.stop(), layout.remove()]);
  }
}

async function releaseBody(context: ImageDemoContext, tag: string): Promise<string> {
  const response = await fetch(`${context.apiUrl}/repos/${IMAGE_REPOSITORY}/releases/tags/${encodeURIComponent(tag)}`, {
    headers: { authorization: `token ${context.token}`, accept: 'application/vnd.github+json' },
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`GET the release ${tag} of ${IMAGE_REPOSITORY}: ${response.status}`);
  return ((await response.json()) as { body: string | null }).body ?? '';
}

/** The ledger's lines for the image part. */
export function imageLedger(image: ImageDemo): string[] {
  if (!image.ran) return ['  Image release: skipped.', `    ${image.hint}`];
  return [
    `  Image release (${IMAGE_REPOSITORY}, its own ledger):`,
    `    pushed         ${image.pushed}`,
    `    build digest   ${image.digest}`,
    `    release        ${image.tag} (staging) ${image.releaseUrl}`,
    `    RELEASE_IMAGE  ${image.releaseImage}`,
    '    rendered (kubectl set image --local):',
    ...image.rendered.map((file) => `      ${file}`),
    '    release notes:',
    `      ${image.notes}`,
  ];
}
