export { type ActionLog, coreLog } from './action-log.ts';
export { hasArtifactStorage } from './artifact-storage.ts';
export { type ClientSettings, gitHubClient } from './github-client.ts';
export { type TokenUse, failureMessage, runAction } from './run-action.ts';
