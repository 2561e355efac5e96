/**
 * The manifest formats a registry may answer with, and what we read from
 * them: for an index, the platform manifests it lists; for an image
 * manifest, its config and layers. Anything a registry sends is untrusted:
 * every field used is checked here, once.
 */
import { type Digest, isDigest } from '@build-release-run/contract';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

export const INDEX_MEDIA_TYPES: readonly string[] = [OCI_INDEX, DOCKER_LIST];
export const IMAGE_MEDIA_TYPES: readonly string[] = [OCI_MANIFEST, DOCKER_MANIFEST];
export const MANIFEST_MEDIA_TYPES: readonly string[] = [...INDEX_MEDIA_TYPES, ...IMAGE_MEDIA_TYPES];

/** The Accept header of a manifest request: every type we can read, none other. */
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
}

export interface IndexEntry extends Descriptor {
  /** `os/architecture[/variant]`, or `unknown` when the index does not say. */
  platform: string;
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: IndexEntry[] }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] };

/**
 * Reads manifest bytes served with `contentType`. The spec asks clients to
 * ignore Content-Type parameters and to reject a `mediaType` field that
 * disagrees with the header; a manifest without the field takes the header's.
 */
export function parseManifestBytes(bytes: Uint8Array, contentType: string | null): ParsedManifest {
  const headerType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new Error('the manifest is not JSON');
  }
  const root = record(value, 'the manifest');
  if (root.schemaVersion !== 2) throw new Error('the manifest is not schemaVersion 2');
  const fieldType = root.mediaType;
  if (fieldType !== undefined && typeof fieldType !== 'string')
    throw new Error('the manifest mediaType is not a string');
  if (fieldType !== undefined && headerType !== '' && fieldType !== headerType) {
    throw new Error(`the manifest says mediaType ${fieldType} but was served as ${headerType}`);
  }
  const mediaType = fieldType ?? headerType;
  if (INDEX_MEDIA_TYPES.includes(mediaType)) {
    if (!Array.isArray(root.manifests)) throw new Error('the index has no manifests list');
    const manifests = root.manifests.map((entry, i) => {
      const descriptor = parseDescriptor(entry, `manifests[${i}]`);
      return { ...descriptor, platform: platformOf(record(entry, `manifests[${i}]`).platform) };
    });
    return { kind: 'index', mediaType, manifests };
  }
  if (IMAGE_MEDIA_TYPES.includes(mediaType)) {
    if (!Array.isArray(root.layers)) throw new Error('the image manifest has no layers list');
    return {
      kind: 'image',
      mediaType,
      config: parseDescriptor(root.config, 'config'),
      layers: root.layers.map((layer, i) => parseDescriptor(layer, `layers[${i}]`)),
    };
  }
  throw new Error(
    `the manifest's media type '${mediaType || '(none)'}' is not one of ${MANIFEST_MEDIA_TYPES.join(', ')}`,
  );
}

/** `os/architecture[/variant]` from an image config blob (the platform of a single-platform image). */
export function platformOfConfig(bytes: Uint8Array): string {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new Error('the image config is not JSON');
  }
  return platformOf(record(value, 'the image config'));
}

function platformOf(value: unknown): string {
  if (value === undefined || value === null || typeof value !== 'object') return 'unknown';
  const { os, architecture, variant } = value as Record<string, unknown>;
  const parts = [os, architecture, variant].filter((part): part is string => typeof part === 'string' && part !== '');
  // A platform string reaches outputs and logs: only the characters platforms are made of.
  if (parts.length < 2 || !parts.every((part) => /^[A-Za-z0-9._-]{1,64}$/.test(part))) return 'unknown';
  return parts.join('/');
}

function parseDescriptor(value: unknown, field: string): Descriptor {
  const entry = record(value, field);
  const { mediaType, digest, size } = entry;
  if (typeof mediaType !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9.+/_-]{0,254}$/.test(mediaType)) {
    throw new Error(`${field}.mediaType is missing or not a media type`);
  }
  if (typeof digest !== 'string' || !isDigest(digest)) {
    throw new Error(`${field}.digest must be sha256:<64 hex digits>`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new Error(`${field}.size must be a non-negative integer`);
  }
  return { mediaType, digest, size };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}
