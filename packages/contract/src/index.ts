export { ConfigurationError, errorMessage } from './errors.ts';
export {
  type Digest,
  artifactNameForDigest,
  digestHex,
  formatDigest,
  isDigest,
  parseDigest,
  shortDigest,
} from './digest.ts';
export {
  hasInvisible,
  logText,
  markdownCode,
  markdownCodeBlock,
  markdownLink,
  markdownTableCell,
  markdownText,
  shellWord,
  visibleText,
} from './sinks/index.ts';
