// Artifact attestations: POST /repos/{owner}/{repo}/attestations stores a
// Sigstore bundle under the subject digests of its in-toto statement; GET
// /repos/{owner}/{repo}/attestations/{subject_digest} lists them, newest
// first, answering 404 when there are none (as GitHub does; `gh attestation
// verify` reads that as "no attestations found"). Like GitHub, the server
// does not verify the signature: that is the reader's job. A repository
// without the feature (user-owned private, outside Enterprise Cloud) answers
// 403 to writes and 404 to reads.
import type { Exchange, Handler } from '../exchange.ts';
import { ApiError, notFound, validationFailed } from '../http.ts';
import type { RepositoryState } from '../model.ts';

interface StoredAttestation {
  id: number;
  bundle: Record<string, unknown>;
  subjects: string[];
  predicateType: string;
}

interface RepositoryAttestations {
  available: boolean;
  entries: StoredAttestation[];
}

const byRepository = new WeakMap<RepositoryState, RepositoryAttestations>();

function attestationsOf(repo: RepositoryState): RepositoryAttestations {
  let found = byRepository.get(repo);
  if (!found) {
    found = { available: true, entries: [] };
    byRepository.set(repo, found);
  }
  return found;
}

/** Turns the feature off for a repository, as for a user-owned private repository. */
export function disableAttestations(repo: RepositoryState): void {
  attestationsOf(repo).available = false;
}

/** The `predicate_type` filter's short names, as documented. */
const PREDICATE_ALIASES: Record<string, string[]> = {
  provenance: ['https://slsa.dev/provenance/v1'],
  sbom: ['https://spdx.dev/Document/v2.3', 'https://cyclonedx.org/bom'],
  release: ['https://in-toto.io/attestation/release/v0.1'],
};

function statementOf(bundle: Record<string, unknown>, x: Exchange): { subjects: string[]; predicateType: string } {
  const invalid = (): ApiError =>
    validationFailed([{ resource: 'Attestation', code: 'invalid', field: 'bundle' }], x.op.documentationUrl);
  const envelope = bundle['dsseEnvelope'] as { payload?: unknown; payloadType?: unknown } | undefined;
  if (typeof envelope?.payload !== 'string' || envelope.payloadType !== 'application/vnd.in-toto+json') throw invalid();
  let statement: { subject?: { digest?: Record<string, unknown> }[]; predicateType?: unknown };
  try {
    statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as typeof statement;
  } catch {
    throw invalid();
  }
  const subjects = (statement.subject ?? []).flatMap((s) =>
    Object.entries(s.digest ?? {}).map(([algorithm, hex]) => `${algorithm}:${String(hex)}`),
  );
  if (subjects.length === 0 || typeof statement.predicateType !== 'string') throw invalid();
  return { subjects, predicateType: statement.predicateType };
}

const createAttestation: Handler = async (x) => {
  const stored = attestationsOf(x.repo);
  if (!stored.available) {
    throw new ApiError(403, {
      message:
        'Feature not available for user-owned private repositories. To enable this feature, please make this repository public.',
      documentation_url: x.op.documentationUrl,
      status: '403',
    });
  }
  const bundle = (x.body as { bundle: Record<string, unknown> }).bundle;
  const { subjects, predicateType } = statementOf(bundle, x);
  const id = x.ids.next();
  stored.entries.push({ id, bundle, subjects, predicateType });
  x.json(201, { id });
};

const listAttestations: Handler = async (x) => {
  const stored = attestationsOf(x.repo);
  const digest = String(x.params['subject_digest']).toLowerCase();
  const filter = x.params['predicate_type'] as string | undefined;
  const types = filter === undefined ? undefined : (PREDICATE_ALIASES[filter] ?? [filter]);
  const perPage = Math.min(Math.max(Number(x.params['per_page'] ?? 30), 1), 100);
  const found = stored.entries
    .filter((a) => a.subjects.includes(digest) && (types === undefined || types.includes(a.predicateType)))
    .reverse()
    .slice(0, perPage);
  if (!stored.available || found.length === 0) throw notFound(x.op.documentationUrl);
  x.json(200, {
    attestations: found.map((a) => ({
      bundle: a.bundle,
      repository_id: 1,
      bundle_url: `${x.urls.api}/repos/${x.repo.fullName}/attestations/${a.id}/bundle`,
    })),
  });
};

export const attestationHandlers: Record<string, Handler> = {
  'repos/create-attestation': createAttestation,
  'repos/list-attestations': listAttestations,
};
