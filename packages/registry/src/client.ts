/**
 * A registry client on the OCI distribution spec, with only what the stages
 * need: GET a manifest (hashing the bytes received), GET a small blob, HEAD a
 * blob. Authentication follows the registry's 401 challenge: a bearer token
 * from the realm it names (GHCR, Docker Hub, ECR, distribution's token
 * auth), or basic credentials when the registry asks for those.
 */
import { ConfigurationError, type Digest, digestOf, isDigest, errorMessage } from '@build-release-run/contract';
import { type Challenge, parseChallenge } from './challenge.ts';
import { MANIFEST_ACCEPT, type ParsedManifest, parseManifestBytes } from './media-types.ts';
import { isLoopbackHost, registryBaseUrl } from './reference.ts';
import { BodyTooLargeError, type Exchange, exchange } from './transport.ts';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  /** Host[:port] as in an image reference (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  registry: string;
  credentials?: RegistryCredentials;
  /** Each request, body included. Default 30 s. */
  timeoutMs?: number;
  /** How errors about the image start, e.g. "Input 'image'" or "The released image". */
  subject?: string;
  fetch?: typeof globalThis.fetch;
}

export interface FetchedManifest {
  /** The bytes as received: what the digest is of. */
  bytes: Buffer;
  digest: Digest;
  mediaType: string;
  parsed: ParsedManifest;
}

export type BlobState = { state: 'present' } | { state: 'missing' } | { state: 'size-differs'; size: number };

/** Registries cap manifests at a few MiB (distribution: 4 MiB); a larger answer is not a manifest. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TOKEN_BYTES = 64 * 1024;
const MAX_ERROR_BYTES = 16 * 1024;

export class ManifestNotFoundError extends ConfigurationError {}

export class RegistryClient {
  readonly registry: string;
  readonly subject: string;
  readonly #base: URL;
  readonly #credentials: RegistryCredentials | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof globalThis.fetch | undefined;
  /** Bearer tokens by scope; the Authorization header when the registry asked for basic. */
  readonly #tokens = new Map<string, string>();
  #basic = false;

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.subject = options.subject ?? "Input 'image'";
    this.#base = registryBaseUrl(options.registry);
    this.#credentials = options.credentials;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#fetch = options.fetch;
  }

  /** GET /v2/<name>/manifests/<tag or digest>, its bytes hashed and checked against what the registry claims. */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const shown = `${this.registry}/${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
    const answer = await this.#request(repository, 'GET', `manifests/${reference}`, MAX_MANIFEST_BYTES, shown);
    if (answer.status === 404) {
      throw new ManifestNotFoundError(`${this.subject}: the registry has no manifest ${shown}${errorCode(answer)}.`);
    }
    if (answer.status !== 200) throw this.#unexpected(answer, shown);
    const digest = digestOf(answer.body);
    // The header is the registry's claim; the bytes are the evidence. Both must agree.
    const claimed = answer.headers.get('docker-content-digest');
    if (claimed !== null && claimed !== digest) {
      throw new Error(
        `${this.subject}: the registry says ${shown} is ${claimed.slice(0, 80)} (Docker-Content-Digest) but the bytes it sent hash to ${digest}.`,
      );
    }
    if (isDigest(reference) && digest !== reference) {
      throw new Error(`${this.subject}: the registry answered ${shown} with bytes that hash to ${digest}.`);
    }
    let parsed: ParsedManifest;
    try {
      parsed = parseManifestBytes(answer.body, answer.headers.get('content-type'));
    } catch (error) {
      throw new Error(`${this.subject}: ${shown} is not a manifest we can read: ${errorMessage(error)}.`, {
        cause: error,
      });
    }
    return { bytes: answer.body, digest, mediaType: parsed.mediaType, parsed };
  }

  /** GET /v2/<name>/blobs/<digest> for a small blob (an image config), checked against its digest. */
  async getSmallBlob(repository: string, digest: Digest, maxBytes: number): Promise<Buffer> {
    const shown = `${this.registry}/${repository}@${digest}`;
    const answer = await this.#request(repository, 'GET', `blobs/${digest}`, maxBytes, shown);
    if (answer.status === 404) throw new ConfigurationError(`${this.subject}: the registry has no blob ${shown}.`);
    if (answer.status !== 200) throw this.#unexpected(answer, shown);
    if (digestOf(answer.body) !== digest)
      throw new Error(`${this.subject}: blob ${shown} does not hash to its digest.`);
    return answer.body;
  }

  /** HEAD /v2/<name>/blobs/<digest>: is it there, with the size its descriptor says? */
  async blobState(repository: string, digest: Digest, size: number): Promise<BlobState> {
    const shown = `${this.registry}/${repository}@${digest}`;
    const answer = await this.#request(repository, 'HEAD', `blobs/${digest}`, 0, shown);
    if (answer.status === 404) return { state: 'missing' };
    if (answer.status !== 200) throw this.#unexpected(answer, shown);
    const length = answer.headers.get('content-length');
    if (length !== null && Number(length) !== size) return { state: 'size-differs', size: Number(length) };
    return { state: 'present' };
  }

  async #request(
    repository: string,
    method: 'GET' | 'HEAD',
    path: string,
    maxBytes: number,
    shown: string,
  ): Promise<Exchange> {
    const url = new URL(`/v2/${repository}/${path}`, this.#base);
    const scope = `repository:${repository}:pull`;
    const send = (): Promise<Exchange> =>
      this.#send(url, method, { accept: MANIFEST_ACCEPT, ...this.#authorization(scope) }, maxBytes, shown);
    let answer = await send();
    if (answer.status === 401 && !this.#tokens.has(scope) && !this.#basic) {
      await this.#authenticate(parseChallenge(answer.headers.get('www-authenticate')), scope, repository);
      answer = await send();
    }
    if (answer.status === 401 || answer.status === 403) throw this.#denied(repository, answer);
    return answer;
  }

  async #send(
    url: URL,
    method: 'GET' | 'HEAD',
    headers: Record<string, string>,
    maxBytes: number,
    shown: string,
  ): Promise<Exchange> {
    // Error bodies are read too (for their code), so the cap is never below theirs.
    const cap = method === 'HEAD' ? 0 : Math.max(maxBytes, MAX_ERROR_BYTES);
    try {
      return await exchange(url, { method, headers, maxBytes: cap, timeoutMs: this.#timeoutMs, fetch: this.#fetch });
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        throw new Error(`${this.subject}: ${shown}: ${error.message}; a manifest or config is never that large.`, {
          cause: error,
        });
      }
      throw new Error(`${this.subject}: registry ${this.registry} could not be reached: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }

  #authorization(scope: string): Record<string, string> {
    const token = this.#tokens.get(scope);
    if (token !== undefined) return { authorization: `Bearer ${token}` };
    if (this.#basic && this.#credentials !== undefined) return { authorization: basicAuthorization(this.#credentials) };
    return {};
  }

  async #authenticate(challenge: Challenge | undefined, scope: string, repository: string): Promise<void> {
    if (challenge?.scheme === 'basic') {
      if (this.#credentials === undefined) throw this.#needsCredentials(repository);
      this.#basic = true;
      return;
    }
    const realmText = challenge?.params.realm;
    if (challenge?.scheme !== 'bearer' || realmText === undefined) {
      throw new Error(`${this.subject}: registry ${this.registry} answered 401 without a Bearer or Basic challenge.`);
    }
    let realm: URL;
    try {
      realm = new URL(realmText);
    } catch {
      throw new Error(`${this.subject}: registry ${this.registry} named a token realm that is not a URL.`);
    }
    // Credentials travel in the clear over HTTP: only to this machine, like the registry itself.
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && isLoopbackHost(realm.host))) {
      throw new Error(
        `${this.subject}: registry ${this.registry} named a token realm that is not HTTPS (${realm.origin}).`,
      );
    }
    if (challenge.params.service !== undefined) realm.searchParams.set('service', challenge.params.service);
    realm.searchParams.set('scope', challenge.params.scope ?? scope);
    const headers: Record<string, string> = {};
    if (this.#credentials !== undefined) headers.authorization = basicAuthorization(this.#credentials);
    const answer = await this.#send(realm, 'GET', headers, MAX_TOKEN_BYTES, `token realm ${realm.origin}`);
    if (answer.status === 401 || answer.status === 403) {
      if (this.#credentials === undefined) throw this.#needsCredentials(repository);
      throw new ConfigurationError(
        `Input 'registry-password' was refused by the token service of ${this.registry} (${realm.origin}, HTTP ${answer.status}) for registry-username ${JSON.stringify(this.#credentials.username)}: give a password or token that can read ${repository} (for ghcr.io, the job's token with 'permissions: packages: read', or a token with read:packages).`,
      );
    }
    if (answer.status !== 200) throw this.#unexpected(answer, `token realm ${realm.origin}`);
    this.#tokens.set(scope, tokenOf(answer.body, this.registry));
  }

  #denied(repository: string, answer: Exchange): Error {
    if (this.#credentials === undefined) return this.#needsCredentials(repository);
    return new ConfigurationError(
      `${this.subject}: registry ${this.registry} refused to let registry-username ${JSON.stringify(this.#credentials.username)} pull ${repository} (HTTP ${answer.status})${errorCode(answer)}: check that input 'registry-password' is a token with read access to it.`,
    );
  }

  #needsCredentials(repository: string): Error {
    return new ConfigurationError(
      `${this.subject}: registry ${this.registry} does not allow anonymous pulls of ${repository}: set inputs 'registry-username' and 'registry-password'.`,
    );
  }

  #unexpected(answer: Exchange, shown: string): Error {
    return new Error(
      `${this.subject}: registry ${this.registry} answered HTTP ${answer.status}${errorCode(answer)} for ${shown}.`,
    );
  }
}

function basicAuthorization({ username, password }: RegistryCredentials): string {
  if (username.includes(':')) throw new ConfigurationError("Input 'registry-username' must not contain ':'.");
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** The token of a token service's answer: `token`, or OAuth2's `access_token`. */
function tokenOf(body: Buffer, registry: string): string {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    value = undefined;
  }
  const { token, access_token: accessToken } = (value ?? {}) as Record<string, unknown>;
  const found = typeof token === 'string' && token !== '' ? token : accessToken;
  // It goes into a header: printable ASCII only.
  if (typeof found !== 'string' || !/^[\x21-\x7e]{1,8192}$/.test(found)) {
    throw new Error(`the token service of ${registry} answered without a usable token.`);
  }
  return found;
}

/** ` (MANIFEST_UNKNOWN)`: the distribution error code of an answer, when it has one. */
function errorCode(answer: Exchange): string {
  try {
    const parsed = JSON.parse(answer.body.toString('utf8')) as { errors?: { code?: unknown }[] };
    const code = parsed.errors?.[0]?.code;
    return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? ` (${code})` : '';
  } catch {
    return '';
  }
}
