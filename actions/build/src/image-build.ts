/**
 * A container image as the build: input `image` names an image an earlier
 * step pushed; the build resolves it against its registry and its identity
 * is the sha256 of the manifest (or index) bytes the registry serves.
 * Nothing is packed and no artifact is uploaded: the registry holds the
 * bytes, and the release takes the image by the `image` output.
 */
import { ConfigurationError } from '@build-release-run/contract';
import {
  type ImageReference,
  parseImageReference,
  pinnedReference,
  RegistryClient,
  type RegistryCredentials,
  registryCredentials,
  resolveImage,
  type ResolvedImage,
} from '@build-release-run/registry';
import type { InputReader } from './inputs.ts';

export interface ImageBuildInputs {
  image: ImageReference;
  credentials: RegistryCredentials | undefined;
}

/** The image inputs, or undefined when `image` is empty (an archive build). */
export function parseImageBuildInputs(input: InputReader, env: NodeJS.ProcessEnv): ImageBuildInputs | undefined {
  const text = input('image');
  if (text === '') return undefined;
  for (const archiveInput of ['path', 'run']) {
    if (input(archiveInput) !== '') {
      throw new ConfigurationError(
        `Inputs 'image' and '${archiveInput}' exclude each other: an image build resolves an image pushed by an earlier step, an archive build packs files. Remove one.`,
      );
    }
  }
  const image = parseImageReference(text, 'image');
  const credentials = registryCredentials(
    image.registry,
    { username: input('registry-username'), password: input('registry-password') },
    { actor: env['GITHUB_ACTOR'], token: env['BRR_JOB_TOKEN'] },
  );
  return { image, credentials };
}

export interface ImageBuildResult extends ResolvedImage {
  /** `<registry>/<repository>@sha256:…`. */
  pinned: string;
}

export async function resolveImageBuild(inputs: ImageBuildInputs): Promise<ImageBuildResult> {
  const client = new RegistryClient({ registry: inputs.image.registry, credentials: inputs.credentials });
  const resolved = await resolveImage(client, inputs.image);
  return { ...resolved, pinned: pinnedReference(resolved, resolved.digest) };
}

/** The job summary of an image build. Platforms and names passed the registry package's checks. */
export function renderImageSummary(result: ImageBuildResult): string {
  return [
    '## Build: container image',
    '',
    '| | |',
    '| --- | --- |',
    `| Digest | \`${result.digest}\` |`,
    `| Image | \`${result.pinned}\` |`,
    `| Media type | \`${result.mediaType}\` |`,
    `| Platforms | ${result.platforms.map((platform) => `\`${platform}\``).join(', ')} |`,
    '',
  ].join('\n');
}
