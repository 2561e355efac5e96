export {
  ARCHIVE_FORMATS,
  type ArchiveNameParts,
  CHECKSUMS_ASSET,
  CONFIG_ASSET,
  IMAGE_FORMAT,
  IMAGE_RECORD_FILE,
  MANIFEST_ASSET,
  type ReleaseArchiveFormat,
  archiveAssetName,
  imageManifestAssetName,
  parseArchiveAssetName,
} from './names.ts';
export { type Checksum, compareNames, formatChecksums, parseChecksums, releaseChecksums } from './checksums.ts';
export {
  type ReleaseConfig,
  configKeyProblem,
  configKeys,
  encodeValue,
  isConfigKey,
  parseConfigEnv,
  serializeConfigEnv,
} from './config-env.ts';
export {
  MANIFEST_SCHEMA,
  RELEASE_SCHEMA,
  type ProjectedField,
  type ReleaseBuildFormat,
  checkManifestField,
  type ReleaseManifest,
  parseManifest,
  serializeManifest,
  validateManifest,
  versionOfTag,
} from './manifest.ts';
export { digestFile, digestOf } from './digests.ts';
export { reservedKeyMessage, reservedKeyNames, reservedKeyReason } from './reserved-keys.ts';
export { type ReleaseAttachment, attachmentNameProblem, duplicateName, sortAttachments } from './attachments.ts';
export { type ReleaseMarker, parseMarker, renderMarker, validateMarker } from './marker.ts';
export { type ConfigChange, diffConfig } from './config-diff.ts';
export {
  type VerifiedArchive,
  type VerifiedBuildFiles,
  singleFile,
  verifyArchive,
  verifyArtifactFolder,
} from './build-files.ts';
