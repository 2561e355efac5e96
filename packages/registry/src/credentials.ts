/**
 * Which credentials a registry gets: the inputs `registry-username` and
 * `registry-password` when given (both or neither); for ghcr.io without
 * them, the job's actor and token, as `docker/login-action` is usually set
 * up for GHCR (the job needs `permissions: packages: read`); otherwise none
 * (anonymous pulls).
 */
import { ConfigurationError } from '@build-release-run/contract';
import type { RegistryCredentials } from './client.ts';

export const GHCR = 'ghcr.io';

export interface CredentialInputs {
  username: string;
  password: string;
  /**
   * Input `registry`: the host the credentials are for, when the registry
   * to use is read from a release (deploy, from-release). A release is
   * written by whoever can write releases; the credentials go to this
   * registry and no other.
   */
  registry?: string;
}

export interface JobIdentity {
  /** GITHUB_ACTOR. */
  actor?: string;
  /** The job's token (`github.token`). */
  token?: string;
}

export function registryCredentials(
  registry: string,
  given: CredentialInputs,
  job: JobIdentity,
): RegistryCredentials | undefined {
  const username = given.username.trim();
  const password = given.password;
  if (username === '' && password === '') {
    if (registry === GHCR && job.actor && job.token) return { username: job.actor, password: job.token };
    return undefined;
  }
  if (username === '') {
    throw new ConfigurationError(
      `Input 'registry-username' is empty but 'registry-password' is set: give the user name the password belongs to.`,
    );
  }
  if (password === '') {
    throw new ConfigurationError(
      `Input 'registry-password' is empty but 'registry-username' is set: give its password or token (a secret), or leave both empty for anonymous pulls.`,
    );
  }
  if (username.includes(':') || /[\r\n]/.test(username)) {
    throw new ConfigurationError(`Input 'registry-username' must not contain ':' or line breaks.`);
  }
  if (given.registry !== undefined && given.registry !== registry) {
    throw new ConfigurationError(
      `The release's image names registry ${registry}, but inputs 'registry-username' and 'registry-password' are for ${given.registry} (input 'registry'): credentials are never sent to a registry a release names.`,
    );
  }
  return { username, password };
}
