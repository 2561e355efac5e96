export { formatBytes, formatBytesExact, formatDuration, formatRate } from './units.ts';
export {
  DEFAULT_PROGRESS,
  type ProgressCallback,
  type ProgressFactory,
  type ProgressOptions,
  type ProgressSettings,
  createProgress,
  finishLine,
  progressLine,
  progressTo,
} from './reporter.ts';
