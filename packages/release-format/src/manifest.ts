/**
 * release.json: what a release is made of, for machines (deploy verifies
 * against it). Written with 2-space indentation and a trailing newline so the
 * same manifest always has the same bytes, hence the same digest.
 */
import { type Digest, isDigest } from '@build-release-run/contract';
import { ARCHIVE_FORMATS, type ReleaseArchiveFormat } from './names.ts';
import { isConfigKey } from './config-env.ts';

export const MANIFEST_SCHEMA = 'build-release-run/release@1';

export interface ReleaseManifest {
  schema: typeof MANIFEST_SCHEMA;
  tag: string;
  /** The tag without a leading "v". */
  version: string;
  environment: string;
  build: {
    digest: Digest;
    /** The archive's asset name. */
    archive: string;
    format: ReleaseArchiveFormat;
    /** Bytes. */
    size: number;
    /** 40 hex digits. */
    commit: string;
    ref: string;
  };
  config: {
    asset: string;
    digest: Digest;
    keys: string[];
    secretKeys: string[];
  };
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
    config: {
      asset: manifest.config.asset,
      digest: manifest.config.digest,
      keys: [...manifest.config.keys],
      secretKeys: [...manifest.config.secretKeys],
    },
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

export function validateManifest(value: unknown): asserts value is ReleaseManifest {
  const root = object(value, 'release.json');
  if (root.schema !== MANIFEST_SCHEMA) {
    throw new Error(`release.json: schema must be "${MANIFEST_SCHEMA}", got ${JSON.stringify(root.schema)}`);
  }
  const tag = string(root.tag, 'tag');
  if (string(root.version, 'version') !== versionOfTag(tag)) {
    throw new Error(`release.json: version ${JSON.stringify(root.version)} does not match tag ${JSON.stringify(tag)}`);
  }
  string(root.environment, 'environment');
  const build = object(root.build, 'build');
  digest(build.digest, 'build.digest');
  string(build.archive, 'build.archive');
  if (!(ARCHIVE_FORMATS as readonly unknown[]).includes(build.format)) {
    throw new Error(`release.json: build.format must be one of ${ARCHIVE_FORMATS.join(', ')}`);
  }
  if (typeof build.size !== 'number' || !Number.isSafeInteger(build.size) || build.size < 0) {
    throw new Error('release.json: build.size must be a non-negative integer');
  }
  if (!/^[0-9a-f]{40}$/.test(string(build.commit, 'build.commit'))) {
    throw new Error('release.json: build.commit must be 40 hex digits');
  }
  string(build.ref, 'build.ref');
  const config = object(root.config, 'config');
  string(config.asset, 'config.asset');
  digest(config.digest, 'config.digest');
  keyList(config.keys, 'config.keys');
  keyList(config.secretKeys, 'config.secretKeys');
  if (root.previous !== null) {
    const previous = object(root.previous, 'previous');
    string(previous.tag, 'previous.tag');
    digest(previous.buildDigest, 'previous.buildDigest');
  }
  const run = object(root.run, 'run');
  string(run.id, 'run.id');
  string(run.attempt, 'run.attempt');
  string(run.url, 'run.url');
  string(root.actor, 'actor');
  const createdAt = string(root.createdAt, 'createdAt');
  if (Number.isNaN(Date.parse(createdAt))) throw new Error('release.json: createdAt must be an ISO 8601 time');
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`release.json: ${field} must be an object`);
  }
  return value as Record<string, unknown>;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`release.json: ${field} must be a non-empty string`);
  return value;
}

function digest(value: unknown, field: string): Digest {
  if (typeof value !== 'string' || !isDigest(value)) {
    throw new Error(`release.json: ${field} must be sha256:<64 hex digits>`);
  }
  return value;
}

function keyList(value: unknown, field: string): void {
  if (!Array.isArray(value) || !value.every((key) => typeof key === 'string' && isConfigKey(key))) {
    throw new Error(`release.json: ${field} must be a list of environment variable names`);
  }
}
