// Hands a job its OIDC identity when it grants `id-token: write`, as the
// runner does (to node actions and `run:` steps alike). The token service
// starts with the first such job and stops with the run.
import { type OidcIssuer, createOidcIssuer } from '@build-release-run/sigstore-server';
import { type JobIdentity, jobTokenClaims } from './id-token-claims.ts';
import { type IdTokenService, startIdTokenService } from './id-token-service.ts';
import type { Masker } from './masks.ts';
import { type Permissions, permissionLevel } from './permissions.ts';

export class JobIdTokens {
  private service: Promise<IdTokenService> | undefined;
  private readonly issuer: OidcIssuer;
  private readonly defaultAudience: string;

  constructor(issuer: OidcIssuer | undefined, serverUrl: string, owner: string) {
    this.issuer = issuer ?? createOidcIssuer();
    this.defaultAudience = `${serverUrl}/${owner}`;
  }

  /** The variables for this job: none unless it grants `id-token: write`. */
  async variables(permissions: Permissions, identity: JobIdentity, masker: Masker): Promise<Record<string, string>> {
    if (permissionLevel(permissions, 'id-token') !== 'write') return {};
    this.service ??= startIdTokenService(this.issuer, this.defaultAudience);
    const granted = (await this.service).grant(jobTokenClaims(identity));
    masker.add(granted.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
    return granted;
  }

  async close(): Promise<void> {
    if (this.service) await (await this.service).close();
  }
}
