export {
  type JobConclusion,
  type JobResult,
  type RunWorkflowOptions,
  type RunWorkflowResult,
  type WorkflowEvent,
  orderJobs,
  runWorkflow,
} from './run-workflow.ts';
export { type StepResult, type StepOutcome } from './run-model.ts';
export { inputVariableName } from './process-env.ts';
export { type ActionModel, type ActionInput, type ActionOutput, readAction } from './action-file.ts';
export { type WorkflowModel, type DispatchInput, readWorkflow, parseWorkflowText } from './workflow-file.ts';
export { type GivenInput, resolveDispatchInputs } from './dispatch-inputs.ts';
export { type ArtifactRecord, type ArtifactService, startArtifactService } from './artifact-service/index.ts';
export { type BackendIds, RuntimeTokens, backendIdsFor } from './artifact-service/runtime-token.ts';
export { parseKeyValueFile, parsePathFile, FileCommandError } from './file-commands.ts';
export { parseWorkflowCommand, type Annotation } from './workflow-commands.ts';
export { Masker } from './masks.ts';
export { evaluate, interpolate, type Json } from './expressions.ts';
