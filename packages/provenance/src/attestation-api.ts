// The repository's attestations, through GitHub's REST API
// (POST /repos/{owner}/{repo}/attestations, GET …/attestations/{subject_digest}),
// with the retries and error shape of @build-release-run/github-api.
import type { Digest } from '@build-release-run/contract';
import { type ApiClient, GitHubApiError } from '@build-release-run/github-api';
import type { SerializedBundle } from './sign.ts';

/**
 * GitHub offers no attestations for this repository: user-owned private
 * repositories (and private ones outside Enterprise Cloud) answer 403/404.
 */
export class AttestationsUnavailable extends Error {
  constructor(detail: string) {
    super(
      `GitHub offers no artifact attestations for this repository (${detail}). Attestations are available in public repositories on every plan; private and internal repositories need GitHub Enterprise Cloud.`,
    );
    this.name = 'AttestationsUnavailable';
  }
}

function unavailable(error: unknown): boolean {
  return (
    error instanceof GitHubApiError &&
    (error.status === 404 || (error.status === 403 && /feature not available/i.test(error.message)))
  );
}

export async function storeAttestation(client: ApiClient, bundle: SerializedBundle): Promise<number | undefined> {
  try {
    const response = await client.call<{ id?: unknown }>('POST /repos/{owner}/{repo}/attestations', { bundle });
    // It becomes an output and a log line: a number, or nothing.
    const { id } = response.data;
    return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
  } catch (error) {
    if (unavailable(error)) throw new AttestationsUnavailable((error as GitHubApiError).message);
    throw error;
  }
}

/**
 * The bundles stored for a subject digest (newest first); none when GitHub
 * has none (404, which is also what a repository without the feature reads).
 * A 403 "Feature not available" throws AttestationsUnavailable.
 */
export async function listAttestations(client: ApiClient, subject: Digest): Promise<unknown[]> {
  try {
    const response = await client.call<{ attestations?: { bundle?: unknown }[] }>(
      'GET /repos/{owner}/{repo}/attestations/{subject_digest}',
      { subject_digest: subject, per_page: 100 },
    );
    return (response.data.attestations ?? []).map((a) => a.bundle).filter((b) => b !== undefined && b !== null);
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 404) return [];
    if (unavailable(error)) throw new AttestationsUnavailable((error as GitHubApiError).message);
    throw error;
  }
}
