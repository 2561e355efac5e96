export { formatBytes, parseByteSize } from './bytes.ts';
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
