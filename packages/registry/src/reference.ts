/**
 * Image references (`ghcr.io/acme/app:1.2`, `app`, `localhost:5000/x@sha256:…`),
 * read the way Docker reads them: the first path component is a registry
 * only when it looks like a host (has a '.' or a ':', or is `localhost`);
 * otherwise the image is on Docker Hub, and a one-component Docker Hub name
 * lives under `library/`. No tag and no digest means the tag `latest`.
 */
import { ConfigurationError, type Digest, isDigest } from '@build-release-run/contract';

export const DOCKER_HUB = 'docker.io';
/** Where Docker Hub's distribution API answers (docker.io itself redirects elsewhere). */
const DOCKER_HUB_API = 'registry-1.docker.io';

export interface ImageReference {
  /** Host and optional port, lower-case, as written (`docker.io` for Docker Hub). */
  registry: string;
  /** The repository path in the registry, e.g. `acme/app` or `library/nginx`. */
  repository: string;
  tag?: string;
  digest?: Digest;
}

// The distribution spec's patterns (spec.md, "Pulling manifests").
const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;
/** Many clients cap `<host>/<name>` at 255 characters; so do we. */
const MAX_NAME = 255;

/** Reads a user's image reference; the error names the input and the form expected. */
export function parseImageReference(value: string, inputName = 'image'): ImageReference {
  const text = value.trim();
  const fail = (why: string): never => {
    throw new ConfigurationError(
      `Input '${inputName}' must be an image reference such as ghcr.io/owner/app:tag or ghcr.io/owner/app@sha256:<64 hex>; ${why} (got '${text}').`,
    );
  };
  if (text === '') fail('it is empty');
  let rest = text;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const given = rest.slice(at + 1);
    if (!isDigest(given)) fail('the part after @ must be sha256: followed by 64 lower-case hex digits');
    digest = given as Digest;
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail(`the tag '${tag}' is not a valid tag (letters, digits, '_', '.', '-', at most 128)`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    if (!HOST.test(first)) fail(`'${first}' is not a registry host[:port]`);
    registry = registryName(first);
    parts.shift();
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  for (const part of parts) {
    if (!COMPONENT.test(part)) {
      fail(`'${part}' is not a valid repository path component (lower-case letters, digits, separators '.', '_', '-')`);
    }
  }
  const repository = parts.join('/');
  if (registry.length + 1 + repository.length > MAX_NAME) fail(`the name is longer than ${MAX_NAME} characters`);
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { registry, repository, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** A registry host[:port] as references name it: lower-case, Docker Hub's aliases as `docker.io`. */
function registryName(host: string): string {
  const lower = host.toLowerCase();
  return lower === 'index.docker.io' || lower === 'registry-1.docker.io' ? DOCKER_HUB : lower;
}

/** Input `registry`: a host[:port] (`ghcr.io`, `127.0.0.1:5000`), in the form image references give it. */
export function parseRegistryHost(value: string, inputName: string): string {
  const text = value.trim();
  if (!HOST.test(text) || text.length > MAX_NAME) {
    throw new ConfigurationError(
      `Input '${inputName}' must be a registry host[:port] such as ghcr.io or registry.example.com:5000 (no scheme, no path).`,
    );
  }
  return registryName(text);
}

/** What the manifest request asks for: the digest when there is one (a pinned reference), else the tag. */
export function manifestReference(image: ImageReference): string {
  return image.digest ?? image.tag ?? 'latest';
}

/** `<registry>/<repository>@sha256:…`: the immutable form handed to deploy commands. */
export function pinnedReference(image: Pick<ImageReference, 'registry' | 'repository'>, digest: Digest): string {
  return `${image.registry}/${image.repository}@${digest}`;
}

/** A reference as it was resolved, for log lines: tag and digest when both are known. */
export function describeReference(image: ImageReference): string {
  const tag = image.tag === undefined ? '' : `:${image.tag}`;
  const digest = image.digest === undefined ? '' : `@${image.digest}`;
  return `${image.registry}/${image.repository}${tag}${digest}`;
}

/**
 * The base URL of a registry's API. Registries on the loopback interface are
 * spoken to over plain HTTP, as Docker does by default (it treats
 * `localhost` and 127.0.0.0/8 as insecure registries); everything else over HTTPS.
 */
export function registryBaseUrl(registry: string): URL {
  const host = registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
  return new URL(`${isLoopbackHost(host) ? 'http' : 'https'}://${host}`);
}

/** `localhost`, 127.0.0.0/8 or [::1], with or without a port. */
export function isLoopbackHost(hostWithPort: string): boolean {
  const host = hostWithPort.startsWith('[')
    ? hostWithPort.slice(0, hostWithPort.indexOf(']') + 1)
    : hostWithPort.replace(/:[0-9]*$/, '');
  const lower = host.toLowerCase();
  if (lower === 'localhost' || lower === '[::1]') return true;
  const octets = lower.split('.');
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every((octet) => /^[0-9]{1,3}$/.test(octet) && Number(octet) <= 255)
  );
}
