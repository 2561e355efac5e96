/**
 * release.json: what a release is made of, for machines (deploy verifies
 * against it). Written with 2-space indentation and a trailing newline so the
 * same manifest always has the same bytes, hence the same digest.
 */
import {
  BUILD_NAME,
  CONFIG_KEY,
  type Digest,
  ENVIRONMENT_NAME,
  type NameRule,
  TAG_NAME,
  VERSION,
  hasInvisible,
  isDigest,
  isName,
  nameError,
  quoteRefused,
} from '@build-release-run/contract';
import { type ImageRecord, imageRecordOf, validateImageRecord } from '@build-release-run/registry';
import { type ReleaseAttachment, attachmentNameProblem, duplicateName } from './attachments.ts';
import { compareNames } from './checksums.ts';
import { configKeyProblem } from './config-env.ts';
import {
  ARCHIVE_FORMATS,
  CONFIG_ASSET,
  IMAGE_FORMAT,
  type ReleaseArchiveFormat,
  archiveAssetName,
  imageManifestAssetName,
  parseArchiveAssetName,
} from './names.ts';

/** What a release's build is: an archive, or a container image (whose manifest bytes are the asset). */
export type ReleaseBuildFormat = ReleaseArchiveFormat | typeof IMAGE_FORMAT;

export const MANIFEST_SCHEMA = 'build-release-run/release@1';

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
    throw new Error(`release.json is not JSON: ${(error as Error).message}`, { cause: error });
  }
  validateManifest(value);
  return value;
}

// Rules for the fields the names module does not cover, as their producers
// write them: GITHUB_REF (git check-ref-format, without spaces or controls),
// GITHUB_RUN_ID / GITHUB_RUN_ATTEMPT (decimal), GITHUB_ACTOR (a GitHub login,
// bots end in [bot]), the run's URL, and Date.toISOString(). The release
// action writes 'unknown' when the runner gives no ref or actor.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const GIT_REF = /^(?:unknown|refs\/(?!.*\.\.)(?!.*@\{)[^\s~^:?*[\\\u0000-\u001f\u007f]{1,250})$/;
const RUN_NUMBER = /^[0-9]{1,20}$/;
const ACTOR = /^(?:unknown|[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?)$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/;
const MAX_URL = 2048;

const FIELDS = {
  root: [
    'schema',
    'tag',
    'version',
    'environment',
    'build',
    'image',
    'config',
    'attachments',
    'previous',
    'run',
    'actor',
    'createdAt',
  ],
  build: ['digest', 'archive', 'format', 'size', 'commit', 'ref'],
  config: ['asset', 'digest', 'keys', 'secretKeys'],
  previous: ['tag', 'buildDigest'],
  run: ['id', 'attempt', 'url'],
  attachment: ['name', 'digest', 'size'],
} as const;

/**
 * Every field checked with the rule its producer used (the names module's
 * tag, version, environment and key rules; the archive name rule; digests),
 * and no field the producer never writes: release.json is data from a place
 * others can write, and its text reaches logs, summaries and outputs.
 */
export function validateManifest(value: unknown): asserts value is ReleaseManifest {
  const root = object(value, 'release.json', FIELDS.root, ['image', 'attachments']);
  if (root.schema !== MANIFEST_SCHEMA) {
    throw new Error(`release.json: schema must be "${MANIFEST_SCHEMA}", got ${quoteRefused(String(root.schema))}`);
  }
  const tag = named(root.tag, 'tag', TAG_NAME);
  if (named(root.version, 'version', VERSION) !== versionOfTag(tag)) {
    throw new Error(
      `release.json: version ${quoteRefused(String(root.version))} does not match tag ${quoteRefused(tag)}`,
    );
  }
  checkManifestField('environment', root.environment);
  const build = object(root.build, 'build', FIELDS.build);
  const buildDigest = checkManifestField('build.digest', build.digest) as Digest;
  if (build.format === IMAGE_FORMAT || root.image !== undefined) {
    imageBuild(root.image, build, buildDigest);
  } else {
    archiveBuild(build, buildDigest);
  }
  if (typeof build.size !== 'number' || !Number.isSafeInteger(build.size) || build.size < 0) {
    throw new Error('release.json: build.size must be a non-negative integer');
  }
  checkManifestField('build.commit', build.commit);
  matching(build.ref, 'build.ref', GIT_REF, 'a git ref such as refs/heads/main');
  if (root.attachments !== undefined) attachments(root.attachments, build.archive as string);
  validateRest(root);
}

/** An image build: the image record by the registry's own rule, its digest the build's, its manifest asset named from both. */
function imageBuild(value: unknown, build: Record<string, unknown>, buildDigest: Digest): void {
  if (build.format !== IMAGE_FORMAT) {
    throw new Error(`release.json: image is only for build.format "${IMAGE_FORMAT}"`);
  }
  let image: ImageRecord;
  try {
    image = validateImageRecord(value, 'image');
  } catch (error) {
    throw new Error(`release.json: ${(error as Error).message}`, { cause: error });
  }
  if (image.digest !== buildDigest) throw new Error('release.json: image.digest must equal build.digest');
  const archive = string(build.archive, 'build.archive');
  if (archive !== imageManifestAssetName(image.repository, buildDigest)) {
    throw new Error(
      `release.json: build.archive of an image must be <last repository component>-<first 12 hex of build.digest>.image.json; got ${quoteRefused(archive)}`,
    );
  }
}

function archiveBuild(build: Record<string, unknown>, buildDigest: Digest): void {
  if (!(ARCHIVE_FORMATS as readonly unknown[]).includes(build.format)) {
    throw new Error(`release.json: build.format must be one of ${[...ARCHIVE_FORMATS, IMAGE_FORMAT].join(', ')}`);
  }
  const archive = string(build.archive, 'build.archive');
  const parts = parseArchiveAssetName(archive);
  if (
    parts === undefined ||
    !isName(BUILD_NAME, parts.buildName) ||
    archive !== archiveAssetName(parts.buildName, buildDigest, build.format as ReleaseArchiveFormat)
  ) {
    throw new Error(
      `release.json: build.archive must be <build name>-<first 12 hex of build.digest>.${String(build.format)}; got ${quoteRefused(archive)}`,
    );
  }
}

/** The attached files: each by the release action's name rule, sorted, each once, never one of the release's own names. */
function attachments(value: unknown, buildAsset: string): void {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error('release.json: attachments must be a non-empty list (absent when nothing is attached)');
  }
  const names = value.map((entry: unknown, index) => {
    const field = `attachments[${index}]`;
    const attachment = object(entry, field, FIELDS.attachment);
    const name = string(attachment.name, `${field}.name`);
    const problem = attachmentNameProblem(name, buildAsset);
    if (problem !== undefined) throw new Error(`release.json: ${field}.name: ${problem}`);
    digest(attachment.digest, `${field}.digest`);
    if (typeof attachment.size !== 'number' || !Number.isSafeInteger(attachment.size) || attachment.size < 0) {
      throw new Error(`release.json: ${field}.size must be a non-negative integer`);
    }
    return name;
  });
  const twice = duplicateName(names);
  if (twice !== undefined) throw new Error(`release.json: attachments lists ${twice} twice`);
  if (names.some((name, index) => index > 0 && compareNames(names[index - 1] as string, name) > 0)) {
    throw new Error('release.json: attachments must be sorted by name');
  }
}

function validateRest(root: Record<string, unknown>): void {
  const config = object(root.config, 'config', FIELDS.config);
  if (config.asset !== CONFIG_ASSET) {
    throw new Error(`release.json: config.asset must be "${CONFIG_ASSET}"; got ${quoteRefused(String(config.asset))}`);
  }
  checkManifestField('config.digest', config.digest);
  const keys = keyList(config.keys, 'config.keys');
  const secretKeys = keyList(config.secretKeys, 'config.secretKeys');
  const both = keys.find((key) => secretKeys.includes(key));
  if (both !== undefined) throw new Error(`release.json: ${both} is in both config.keys and config.secretKeys`);
  if (root.previous !== null) {
    const previous = object(root.previous, 'previous', FIELDS.previous);
    checkManifestField('previous.tag', previous.tag);
    checkManifestField('previous.buildDigest', previous.buildDigest);
  }
  const run = object(root.run, 'run', FIELDS.run);
  checkManifestField('run.id', run.id);
  checkManifestField('run.attempt', run.attempt);
  runUrl(run.url);
  matching(root.actor, 'actor', ACTOR, 'a GitHub login');
  checkManifestField('createdAt', root.createdAt);
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

const FIELD_RULES: Record<ProjectedField, (value: unknown, field: string) => string> = {
  environment: (value, field) => named(value, field, ENVIRONMENT_NAME),
  'build.digest': digest,
  'build.commit': (value, field) => matching(value, field, /^[0-9a-f]{40}$/, '40 lowercase hex digits'),
  'config.digest': digest,
  'previous.tag': (value, field) => named(value, field, TAG_NAME),
  'previous.buildDigest': digest,
  'run.id': (value, field) => matching(value, field, RUN_NUMBER, 'a workflow run ID (decimal digits)'),
  'run.attempt': (value, field) => matching(value, field, RUN_NUMBER, 'a run attempt (decimal digits)'),
  createdAt: (value, field) => {
    const text = matching(value, field, ISO_TIME, 'an ISO 8601 UTC time such as 2026-01-02T03:04:05.000Z');
    if (Number.isNaN(Date.parse(text))) throw new Error(`release.json: ${field} must be an ISO 8601 time`);
    return text;
  },
};

/** Checks one field by release.json's rule for it (the error names the manifest field); returns the text. */
export function checkManifestField(field: ProjectedField, value: unknown): string {
  return FIELD_RULES[field](value, field);
}

function object(
  value: unknown,
  field: string,
  allowed: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`release.json: ${field} must be an object`);
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    const where = field === 'release.json' ? '' : `${field}.`;
    throw new Error(`release.json: ${where}${quoteRefused(unknown)} is not a field of ${MANIFEST_SCHEMA}`);
  }
  const missing = allowed.find((key) => !optional.includes(key) && !Object.hasOwn(record, key));
  if (missing !== undefined)
    throw new Error(`release.json: ${field === 'release.json' ? '' : `${field}.`}${missing} is missing`);
  return record;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`release.json: ${field} must be a non-empty string`);
  return value;
}

function named(value: unknown, field: string, rule: NameRule): string {
  const text = string(value, field);
  if (!isName(rule, text)) throw new Error(nameError(rule, text, `release.json: ${field}`));
  return text;
}

function matching(value: unknown, field: string, pattern: RegExp, what: string): string {
  const text = string(value, field);
  if (!pattern.test(text)) throw new Error(`release.json: ${field} must be ${what}; got ${quoteRefused(text)}`);
  return text;
}

function runUrl(value: unknown): void {
  const text = string(value, 'run.url');
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (
    text.length > MAX_URL ||
    hasInvisible(text) ||
    /\s/.test(text) ||
    url === undefined ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    !/\/actions\/runs\/[0-9]+$/.test(url.pathname)
  ) {
    throw new Error(`release.json: run.url must be the http(s) URL of a workflow run; got ${quoteRefused(text)}`);
  }
}

function digest(value: unknown, field: string): Digest {
  if (typeof value !== 'string' || !isDigest(value)) {
    throw new Error(`release.json: ${field} must be sha256:<64 hex digits>`);
  }
  return value;
}

/** Config key names, sorted and each once (as the release action writes them); the names are never quoted back. */
function keyList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((key) => typeof key === 'string')) {
    throw new Error(`release.json: ${field} must be a list of config keys (${CONFIG_KEY.description})`);
  }
  // The release action's own rule: a config key, never a reserved one (the problem names the key only when it is a name).
  for (const key of value as string[]) {
    const problem = configKeyProblem(key);
    if (problem !== undefined) throw new Error(`release.json: ${field}: ${problem}`);
  }
  const keys = value as string[];
  if (keys.some((key, index) => index > 0 && compareNames(keys[index - 1] as string, key) >= 0)) {
    throw new Error(`release.json: ${field} must be sorted, each key once`);
  }
  return keys;
}
