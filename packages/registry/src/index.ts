export {
  type BlobState,
  type FetchedManifest,
  MAX_MANIFEST_BYTES,
  ManifestNotFoundError,
  RegistryClient,
  type RegistryClientOptions,
  type RegistryCredentials,
} from './client.ts';
export { type Challenge, parseChallenge } from './challenge.ts';
export { type BlobCheck, type ResolvedImage, checkImageBlobs, resolveImage } from './image.ts';
export {
  DOCKER_LIST,
  DOCKER_MANIFEST,
  type Descriptor,
  type IndexEntry,
  MANIFEST_ACCEPT,
  MANIFEST_MEDIA_TYPES,
  OCI_INDEX,
  OCI_MANIFEST,
  type ParsedManifest,
  parseManifestBytes,
} from './media-types.ts';
export {
  DOCKER_HUB,
  type ImageReference,
  describeReference,
  isLoopbackHost,
  manifestReference,
  parseImageReference,
  parseRegistryHost,
  pinnedReference,
  registryBaseUrl,
} from './reference.ts';
export { type CredentialInputs, GHCR, type JobIdentity, registryCredentials } from './credentials.ts';
export {
  type ImageRecord,
  type VerifiedImage,
  imageRecordOf,
  validateImageRecord,
  verifyReleasedImage,
} from './released-image.ts';
