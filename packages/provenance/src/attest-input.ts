// The `attest` input of build and release, and what the job's environment
// says about it: `auto` (default) attests when the job can (it grants
// `id-token: write`, which is what puts ACTIONS_ID_TOKEN_REQUEST_URL in the
// environment; storing also needs `attestations: write`), `true` requires
// it, `false` skips it.
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@build-release-run/contract';
import { type Visibility, type SigningEndpoints, signingEndpoints } from './endpoints.ts';
import { grantsIdToken } from './id-token.ts';

export type AttestMode = 'auto' | 'true' | 'false';

export function parseAttestMode(value: string): AttestMode {
  const mode = value.trim() || 'auto';
  if (mode === 'auto' || mode === 'true' || mode === 'false') return mode;
  throw new ConfigurationError(`Input 'attest' is '${value}'; use auto (the default), true or false.`);
}

export const PERMISSIONS_HINT = "grant the job 'permissions: id-token: write' and 'attestations: write'";

export type AttestDecision =
  { attest: true; endpoints: SigningEndpoints; serverUrl: string } | { attest: false; notice?: string };

/** The repository's visibility from the event payload, as @actions/attest reads it; private when unknown. */
export function visibilityFromEvent(event: unknown): Visibility {
  const repository = (event as { repository?: { visibility?: unknown; private?: unknown } } | undefined)?.repository;
  if (
    repository?.visibility === 'public' ||
    repository?.visibility === 'internal' ||
    repository?.visibility === 'private'
  ) {
    return repository.visibility;
  }
  return repository?.private === false ? 'public' : 'private';
}

/** The visibility from the job's event payload (GITHUB_EVENT_PATH); private when it cannot be read. */
export function visibilityFromEnv(env: NodeJS.ProcessEnv): Visibility {
  const file = env['GITHUB_EVENT_PATH'];
  try {
    return visibilityFromEvent(file ? JSON.parse(readFileSync(file, 'utf8')) : undefined);
  } catch {
    return 'private';
  }
}

export function decideAttest(
  mode: AttestMode,
  env: NodeJS.ProcessEnv,
  visibility: Visibility,
  what: string,
): AttestDecision {
  if (mode === 'false') return { attest: false };
  if (!grantsIdToken(env)) {
    if (mode === 'true') {
      throw new ConfigurationError(
        `Input 'attest' is 'true', but this job has no OIDC token to sign ${what} with: ${PERMISSIONS_HINT}, or set 'attest: false'.`,
      );
    }
    return {
      attest: false,
      notice: `${what} is not attested: the job does not grant 'id-token: write'. To sign it with this workflow's identity (and let deploy verify it), ${PERMISSIONS_HINT}; 'attest: false' silences this notice.`,
    };
  }
  const serverUrl = env['GITHUB_SERVER_URL'] || 'https://github.com';
  // BRR_SIGSTORE_URL: one Sigstore for every service (the local stand-in in tests and the demo).
  return {
    attest: true,
    endpoints: signingEndpoints(visibility, serverUrl, env['BRR_SIGSTORE_URL']),
    serverUrl,
  };
}
