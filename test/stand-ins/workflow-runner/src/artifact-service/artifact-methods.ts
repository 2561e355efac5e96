// github.actions.results.api.v1.ArtifactService, the methods
// @actions/artifact calls (toolkit packages/artifact/src/generated/results/
// api/v1/artifact.ts): the records of each run's artifacts here, their bytes
// in blob storage behind signed URLs.
import type { IncomingMessage } from 'node:http';
import type { ArtifactRecord, ArtifactRecords } from './artifact-records.ts';
import { DEFAULT_RETENTION_DAYS } from './artifact-records.ts';
import type { BlobStore } from './blob-store.ts';
import type { BackendIds, RuntimeTokens } from './runtime-token.ts';
import { TwirpError, type TwirpMethod, optionalString, stringField } from './twirp.ts';

export const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService';

const DAY_MS = 24 * 3600 * 1000;

export interface MethodDeps {
  records: ArtifactRecords;
  /** Blob storage, started on first use (azurite takes seconds to start). */
  blobs: () => Promise<BlobStore>;
  tokens: RuntimeTokens;
  now?: () => Date;
}

function caller(tokens: RuntimeTokens, request: IncomingMessage): BackendIds {
  const header = request.headers.authorization ?? '';
  const ids = header.startsWith('Bearer ') ? tokens.verify(header.slice('Bearer '.length)) : undefined;
  if (!ids) throw new TwirpError('unauthenticated', 'a valid ACTIONS_RUNTIME_TOKEN is required');
  return ids;
}

/** The run (and, for writes, the job) named in the request must be the token's. */
function checkScope(body: Record<string, unknown>, ids: BackendIds, job: boolean): void {
  const run = stringField(body, 'workflow_run_backend_id');
  const jobId = stringField(body, 'workflow_job_run_backend_id');
  if (run !== ids.workflowRunBackendId || (job && jobId !== ids.workflowJobRunBackendId)) {
    throw new TwirpError('permission_denied', 'the token does not grant access to this workflow run or job');
  }
}

function artifactName(body: Record<string, unknown>): string {
  const name = stringField(body, 'name');
  if (/[/\\\0]/.test(name)) throw new TwirpError('invalid_argument', `artifact name '${name}' may not contain / or \\`);
  return name;
}

function expiry(body: Record<string, unknown>, now: Date): string {
  const given = optionalString(body, 'expires_at');
  if (given === undefined) return new Date(now.getTime() + DEFAULT_RETENTION_DAYS * DAY_MS).toISOString();
  const time = Date.parse(given);
  if (Number.isNaN(time) || time <= now.getTime()) {
    throw new TwirpError('invalid_argument', `expires_at must be a time in the future; got '${given}'`);
  }
  return new Date(time).toISOString();
}

function listed(record: ArtifactRecord): object {
  return {
    workflow_run_backend_id: record.workflowRunBackendId,
    workflow_job_run_backend_id: record.workflowJobRunBackendId,
    database_id: String(record.databaseId),
    name: record.name,
    size: String(record.size),
    created_at: record.createdAt,
    ...(record.digest ? { digest: record.digest } : {}),
  };
}

export function artifactMethods(deps: MethodDeps): Record<string, TwirpMethod> {
  const now = deps.now ?? (() => new Date());
  const { records, blobs, tokens } = deps;
  return {
    async CreateArtifact(body, request) {
      const ids = caller(tokens, request);
      checkScope(body, ids, true);
      const name = artifactName(body);
      const version = Number(body['version'] ?? 0);
      if (version < 4)
        throw new TwirpError('invalid_argument', `artifact version ${version} is not served; use 4 or later`);
      const time = now();
      const existing = records.find(ids.workflowRunBackendId, name, time);
      if (existing?.finalized) {
        throw new TwirpError('already_exists', 'an artifact with this name already exists on the workflow run');
      }
      if (existing) await records.remove(existing);
      const record = await records.add({
        workflowRunBackendId: ids.workflowRunBackendId,
        workflowJobRunBackendId: ids.workflowJobRunBackendId,
        name,
        mimeType: optionalString(body, 'mime_type') ?? 'application/zip',
        createdAt: time.toISOString(),
        expiresAt: expiry(body, time),
        finalized: false,
        size: 0,
      });
      return { ok: true, signed_upload_url: (await blobs()).uploadUrl(record.blobName) };
    },

    async FinalizeArtifact(body, request) {
      const ids = caller(tokens, request);
      checkScope(body, ids, true);
      const name = artifactName(body);
      const record = records.find(ids.workflowRunBackendId, name, now());
      if (!record || record.finalized || record.workflowJobRunBackendId !== ids.workflowJobRunBackendId) {
        throw new TwirpError('not_found', `no artifact '${name}' is being uploaded by this job`);
      }
      const size = await (await blobs()).size(record.blobName);
      if (size === undefined)
        throw new TwirpError('failed_precondition', `nothing was uploaded for artifact '${name}'`);
      const hash = optionalString(body, 'hash');
      await records.update({ ...record, finalized: true, size, ...(hash ? { digest: hash } : {}) });
      return { ok: true, artifact_id: String(record.databaseId) };
    },

    async ListArtifacts(body, request) {
      const ids = caller(tokens, request);
      checkScope(body, ids, false);
      const nameFilter = optionalString(body, 'name_filter');
      const idFilter = optionalString(body, 'id_filter');
      const artifacts = records
        .list(ids.workflowRunBackendId, now())
        .filter(
          (a) =>
            (nameFilter === undefined || a.name === nameFilter) &&
            (idFilter === undefined || String(a.databaseId) === idFilter),
        );
      return { artifacts: artifacts.map(listed) };
    },

    async GetSignedArtifactURL(body, request) {
      const ids = caller(tokens, request);
      checkScope(body, ids, false);
      const name = artifactName(body);
      const record = records.find(ids.workflowRunBackendId, name, now());
      if (!record?.finalized) throw new TwirpError('not_found', `no artifact '${name}' in this workflow run`);
      return { signed_url: (await blobs()).downloadUrl(record.blobName, record.name, record.mimeType) };
    },

    async DeleteArtifact(body, request) {
      const ids = caller(tokens, request);
      checkScope(body, ids, false);
      const name = artifactName(body);
      const record = records.find(ids.workflowRunBackendId, name, now());
      if (!record?.finalized) throw new TwirpError('not_found', `no artifact '${name}' in this workflow run`);
      await (await blobs()).remove(record.blobName);
      await records.remove(record);
      return { ok: true, artifact_id: String(record.databaseId) };
    },
  };
}
