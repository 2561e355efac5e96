export { startGitHubServer, type GitHubServer, type GitHubServerOptions, type RequestLogEntry } from './server.ts';
export { FaultController, parseFault, type Fault, type FaultKind, type FaultMatch } from './faults.ts';
export { IMPLEMENTED_OPERATIONS, type OperationId } from './openapi/operations.ts';
export { OpenApiValidator } from './openapi/validator.ts';
export { REGISTRY_TOKEN_PATH, type RegistryTokenOptions } from './routes/registry-token.ts';
