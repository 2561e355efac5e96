export { type ActionLog, coreLog } from './action-log.ts';
export { hasArtifactStorage } from './artifact-storage.ts';
export { type TokenUse, failureMessage, runAction } from './run-action.ts';
export {
  DEADLINE_INPUT,
  type DeadlineReport,
  deadlineMessage,
  parseDeadlineMinutes,
  startDeadline,
  withinDeadline,
} from './deadline.ts';
