/**
 * release.json: what a release is made of, for machines (deploy verifies
 * against it). Written with 2-space indentation and a trailing newline so the
 * same manifest always has the same bytes, hence the same digest.
 */
import { BUILD_NAME, type Digest, errorMessage, hasInvisible, isName, quoteRefused } from '@build-release-run/contract';
import { type ImageRecord, imageRecordOf, validateImageRecord } from '@build-release-run/registry';
import { type ReleaseAttachment, attachmentNameProblem, duplicateName } from './attachments.ts';
import { compareNames } from './checksums.ts';
import { configKeyProblem } from './config-env.ts';
import {
  IMAGE_FORMAT,
  type ReleaseArchiveFormat,
  archiveAssetName,
  imageManifestAssetName,
  parseArchiveAssetName,
} from './names.ts';
import { type MANIFEST_SCHEMA, type ManifestDef, checkByDef, checkManifestSchema } from './manifest-schema.ts';

export { MANIFEST_SCHEMA, RELEASE_SCHEMA } from './manifest-schema.ts';

/** What a release's build is: an archive, or a container image (whose manifest bytes are the asset). */
export type ReleaseBuildFormat = ReleaseArchiveFormat | typeof IMAGE_FORMAT;

export interface ReleaseManifest {
  schema: typeof MANIFEST_SCHEMA;
  tag: string;
  /** The tag without a leading "v". */
  version: string;
  environment: string;
  build: {
    digest: Digest;
    /** The archive's asset name; for an image, the asset holding its manifest bytes (imageManifestAssetName). */
    archive: string;
    format: ReleaseBuildFormat;
    /** Bytes (of the archive, or of the image's manifest). */
    size: number;
    /** 40 hex digits. */
    commit: string;
    ref: string;
    /**
     * The reusable build workflow that built and signed it (job_workflow_ref
     * form); absent for a build of the plain build action. Deploy then
     * requires the build's attestation signed by a builder it trusts.
     */
    builder?: string;
  };
  /** Only for an image build (build.format 'image'): the image deploy pulls by digest. */
  image?: ImageRecord;
  config: {
    asset: string;
    digest: Digest;
    keys: string[];
    secretKeys: string[];
  };
  /** Files attached beside the build (input `attach`), sorted by name; absent when there are none. */
  attachments?: ReleaseAttachment[];
  previous: { tag: string; buildDigest: Digest } | null;
  run: { id: string; attempt: string; url: string };
  actor: string;
  /** ISO 8601, UTC. */
  createdAt: string;
}

/** The tag's version: the tag without one leading "v". */
export function versionOfTag(tag: string): string {
  return tag.startsWith('v') ? tag.slice(1) : tag;
}

export function serializeManifest(manifest: ReleaseManifest): string {
  // Rebuilt field by field so the key order (and so the bytes) never depends
  // on how the caller assembled the object.
  validateManifest(manifest);
  const ordered: ReleaseManifest = {
    schema: manifest.schema,
    tag: manifest.tag,
    version: manifest.version,
    environment: manifest.environment,
    build: {
      digest: manifest.build.digest,
      archive: manifest.build.archive,
      format: manifest.build.format,
      size: manifest.build.size,
      commit: manifest.build.commit,
      ref: manifest.build.ref,
      // Absent for a build of the plain action, so such a release's bytes are what they always were.
      ...(manifest.build.builder === undefined ? {} : { builder: manifest.build.builder }),
    },
    // Absent for an archive build, so an archive release's bytes are what they always were.
    ...(manifest.image === undefined ? {} : { image: imageRecordOf(manifest.image) }),
    config: {
      asset: manifest.config.asset,
      digest: manifest.config.digest,
      keys: [...manifest.config.keys],
      secretKeys: [...manifest.config.secretKeys],
    },
    // Absent when nothing is attached, so such a release's bytes are what they always were.
    ...(manifest.attachments === undefined
      ? {}
      : {
          attachments: manifest.attachments.map(({ name, digest, size }) => ({ name, digest, size })),
        }),
    previous: manifest.previous && { tag: manifest.previous.tag, buildDigest: manifest.previous.buildDigest },
    run: { id: manifest.run.id, attempt: manifest.run.attempt, url: manifest.run.url },
    actor: manifest.actor,
    createdAt: manifest.createdAt,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Reads and validates release.json; the error says which field is wrong. */
export function parseManifest(text: string): ReleaseManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`release.json is not JSON: ${errorMessage(error)}`, { cause: error });
  }
  validateManifest(value);
  return value;
}

/**
 * Every field checked with the rule its producer used, and no field the
 * producer never writes: release.json is data from a place others can
 * write, and its text reaches logs, summaries and outputs. The schema
 * (manifest-schema.ts, docs/release.schema.json) holds every rule of a
 * single field; what follows is what JSON Schema cannot say.
 */
export function validateManifest(value: unknown): asserts value is ReleaseManifest {
  checkManifestSchema(value);
  const root = value as ReleaseManifest;
  if (root.version !== versionOfTag(root.tag)) {
    throw new Error(`release.json: version ${quoteRefused(root.version)} does not match tag ${quoteRefused(root.tag)}`);
  }
  if (root.build.format === IMAGE_FORMAT || root.image !== undefined) imageBuild(root.image, root.build);
  else archiveBuild(root.build);
  if (root.attachments !== undefined) attachments(root.attachments, root.build.archive);
  configKeyLists(root.config);
  runUrl(root.run.url);
  realDate(root.createdAt, 'createdAt');
}

/** An image build: the image record by the registry's own rule, its digest the build's, its manifest asset named from both. */
function imageBuild(value: unknown, build: ReleaseManifest['build']): void {
  if (build.format !== IMAGE_FORMAT) {
    throw new Error(`release.json: image is only for build.format "${IMAGE_FORMAT}"`);
  }
  let image: ImageRecord;
  try {
    image = validateImageRecord(value, 'image');
  } catch (error) {
    throw new Error(`release.json: ${errorMessage(error)}`, { cause: error });
  }
  if (image.digest !== build.digest) throw new Error('release.json: image.digest must equal build.digest');
  if (build.archive !== imageManifestAssetName(image.repository, build.digest)) {
    throw new Error(
      `release.json: build.archive of an image must be <last repository component>-<first 12 hex of build.digest>.image.json; got ${quoteRefused(build.archive)}`,
    );
  }
}

function archiveBuild(build: ReleaseManifest['build']): void {
  const parts = parseArchiveAssetName(build.archive);
  if (
    parts === undefined ||
    !isName(BUILD_NAME, parts.buildName) ||
    build.archive !== archiveAssetName(parts.buildName, build.digest, build.format as ReleaseArchiveFormat)
  ) {
    throw new Error(
      `release.json: build.archive must be <build name>-<first 12 hex of build.digest>.${build.format}; got ${quoteRefused(build.archive)}`,
    );
  }
}

/** The attached files: sorted, each once, never one of the release's own names (each name's rule is the schema's). */
function attachments(list: readonly ReleaseAttachment[], buildAsset: string): void {
  const names = list.map(({ name }, index) => {
    const problem = attachmentNameProblem(name, buildAsset);
    if (problem !== undefined) throw new Error(`release.json: attachments[${index}].name: ${problem}`);
    return name;
  });
  const twice = duplicateName(names);
  if (twice !== undefined) throw new Error(`release.json: attachments lists ${twice} twice`);
  if (names.some((name, index) => index > 0 && compareNames(names[index - 1] as string, name) > 0)) {
    throw new Error('release.json: attachments must be sorted by name');
  }
}

/** Config key names sorted (as the release action writes them), none reserved, none both plain and secret; never quoted back. */
function configKeyLists(config: ReleaseManifest['config']): void {
  for (const [field, keys] of [
    ['config.keys', config.keys],
    ['config.secretKeys', config.secretKeys],
  ] as const) {
    for (const key of keys) {
      const problem = configKeyProblem(key);
      if (problem !== undefined) throw new Error(`release.json: ${field}: ${problem}`);
    }
    if (keys.some((key, index) => index > 0 && compareNames(keys[index - 1] as string, key) >= 0)) {
      throw new Error(`release.json: ${field} must be sorted, each key once`);
    }
  }
  const both = config.keys.find((key) => config.secretKeys.includes(key));
  if (both !== undefined) throw new Error(`release.json: ${both} is in both config.keys and config.secretKeys`);
}

function runUrl(text: string): void {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (hasInvisible(text) || url === undefined || !/\/actions\/runs\/[0-9]+$/.test(url.pathname)) {
    throw new Error(`release.json: run.url must be the http(s) URL of a workflow run; got ${quoteRefused(text)}`);
  }
}

function realDate(text: string, field: string): void {
  if (Number.isNaN(Date.parse(text))) throw new Error(`release.json: ${field} must be an ISO 8601 time`);
}

/** The manifest fields the release body's marker projects (marker.ts): one rule each, for both. */
export type ProjectedField =
  | 'environment'
  | 'build.digest'
  | 'build.commit'
  | 'config.digest'
  | 'previous.tag'
  | 'previous.buildDigest'
  | 'run.id'
  | 'run.attempt'
  | 'createdAt';

const FIELD_RULES: Record<ProjectedField, ManifestDef> = {
  environment: 'environment',
  'build.digest': 'digest',
  'build.commit': 'commit',
  'config.digest': 'digest',
  'previous.tag': 'tag',
  'previous.buildDigest': 'digest',
  'run.id': 'runNumber',
  'run.attempt': 'runNumber',
  createdAt: 'createdAt',
};

/** Checks one field by release.json's rule for it (the error names the manifest field); returns the text. */
export function checkManifestField(field: ProjectedField, value: unknown): string {
  const text = checkByDef(FIELD_RULES[field], value, field);
  if (field === 'createdAt') realDate(text, field);
  return text;
}
