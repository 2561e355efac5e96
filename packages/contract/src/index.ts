export { formatBytes, parseByteSize } from './bytes.ts';
export { releaseChunk, releasedAfterUse, writeAll } from './chunks.ts';
export { ConfigurationError, errorMessage } from './errors.ts';
export {
  type Digest,
  artifactNameForDigest,
  digestHex,
  digestOf,
  formatDigest,
  isDigest,
  parseDigest,
  shortDigest,
} from './digest.ts';
export {
  codePointEscape,
  hasInvisible,
  jsonCharEscape,
  logText,
  markdownCode,
  markdownCodeBlock,
  markdownLink,
  markdownTableCell,
  markdownText,
  replaceInvisible,
  shellWord,
  visibleText,
} from './sinks/index.ts';
export {
  ARTIFACT_NAME,
  ATTACHMENT_NAME,
  BUILD_NAME,
  CONFIG_KEY,
  ENVIRONMENT_NAME,
  INPUT_NAME,
  type NameRule,
  TAG_NAME,
  VERSION,
  checkBuildName,
  checkEnvironmentName,
  checkName,
  checkTagName,
  inputVariableName,
  isArtifactName,
  isBuildName,
  isConfigKeyName,
  isEnvironmentName,
  isName,
  isTagName,
  isVersion,
  nameError,
  quoteRefused,
} from './names.ts';
export {
  type AllowedRoot,
  type PathInput,
  isInGitFolder,
  isInside,
  realPathOf,
  resolveInputPath,
  searchPath,
} from './paths.ts';
export { type RunContext, readRunContext, releasePageUrl } from './run-context.ts';
