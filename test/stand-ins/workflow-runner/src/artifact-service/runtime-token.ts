// ACTIONS_RUNTIME_TOKEN as @actions/artifact reads it: a JWT whose `scp`
// claim holds `Actions.Results:<workflow run backend id>:<job run backend id>`
// (toolkit packages/artifact/src/internal/shared/util.ts). The service signs
// it (HS256) and checks the signature on every request.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface BackendIds {
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
}

/** A stable UUID-shaped backend id for a name (GitHub's are UUIDs too). */
export function backendId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function backendIdsFor(runId: string, jobId: string): BackendIds {
  return {
    workflowRunBackendId: backendId(`run:${runId}`),
    workflowJobRunBackendId: backendId(`job:${runId}/${jobId}`),
  };
}

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

export class RuntimeTokens {
  readonly #key = randomBytes(32);

  issue(ids: BackendIds, now = Date.now()): string {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const iat = Math.floor(now / 1000);
    const payload = base64url(
      JSON.stringify({
        scp: `Actions.GenericRead:${ids.workflowRunBackendId} Actions.Results:${ids.workflowRunBackendId}:${ids.workflowJobRunBackendId}`,
        iat,
        nbf: iat,
        exp: iat + 6 * 3600,
      }),
    );
    return `${header}.${payload}.${this.#sign(`${header}.${payload}`)}`;
  }

  /** The backend ids of a token this service issued and that has not expired, or undefined. */
  verify(token: string, now = Date.now()): BackendIds | undefined {
    const [header, payload, signature, ...rest] = token.split('.');
    if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) return undefined;
    const expected = Buffer.from(this.#sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: { scp?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return undefined;
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < now || typeof claims.scp !== 'string') return undefined;
    for (const scope of claims.scp.split(' ')) {
      const [kind, run, job, ...more] = scope.split(':');
      if (kind === 'Actions.Results' && run && job && more.length === 0) {
        return { workflowRunBackendId: run, workflowJobRunBackendId: job };
      }
    }
    return undefined;
  }

  #sign(data: string): string {
    return createHmac('sha256', this.#key).update(data).digest('base64url');
  }
}
