export { type SigstoreServer, type SigstoreServerOptions, startSigstoreServer } from './server.ts';
export {
  type Claims,
  GITHUB_ACTIONS_ISSUER,
  type OidcIssuer,
  type TrustedIssuer,
  createOidcIssuer,
  verifyOidcToken,
} from './oidc-issuer.ts';
export { workflowSubject } from './fulcio-github.ts';
