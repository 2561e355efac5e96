export { type ActionLog, coreLog } from './action-log.ts';
export { jobIdToken } from './id-token.ts';
export { type InputReader, actionInput, maskSecretInput } from './inputs.ts';
export { type BuildArtifactUpload, hasArtifactStorage, storeBuildArtifact } from './artifact-storage.ts';
export { type TokenUse, failureMessage, runAction } from './run-action.ts';
export {
  ActionDeadlineError,
  DEADLINE_INPUT,
  type DeadlineReport,
  deadlineMessage,
  parseDeadlineMinutes,
  serviceAnswer,
  startDeadline,
  withinDeadline,
} from './deadline.ts';
