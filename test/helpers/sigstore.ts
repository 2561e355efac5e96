/**
 * A local Sigstore and the OIDC issuer it trusts, wired the way the runner
 * needs them: pass `runnerOptions` to runWorkflow so jobs that grant
 * `id-token: write` sign through this instance, and verify with `trustedRoot`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type OidcIssuer,
  type SigstoreServer,
  createOidcIssuer,
  startSigstoreServer,
} from '../../packages/sigstore-server/src/index.ts';

export interface TestSigstore {
  issuer: OidcIssuer;
  server: SigstoreServer;
  /** For runWorkflow: the issuer and the variable that points signing at this instance. */
  runnerOptions: { oidcIssuer: OidcIssuer; env: Record<string, string> };
  /** Writes the trusted root to `dir` and returns its path (deploy's test hook reads a file). */
  writeTrustedRoot(dir: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestSigstore(): Promise<TestSigstore> {
  const issuer = createOidcIssuer();
  const server = await startSigstoreServer({ trustedIssuers: [issuer] });
  return {
    issuer,
    server,
    runnerOptions: { oidcIssuer: issuer, env: { BRR_SIGSTORE_URL: server.url } },
    async writeTrustedRoot(dir) {
      const file = path.join(dir, 'trusted_root.json');
      await writeFile(file, JSON.stringify(server.trustedRoot));
      return file;
    },
    close: () => server.close(),
  };
}

/** The bundles the local GitHub server holds for a digest, read as `gh` reads them (404 is none). */
export async function storedBundles(
  apiUrl: string,
  token: string,
  repository: string,
  digest: string,
): Promise<unknown[]> {
  const response = await fetch(`${apiUrl}/repos/${repository}/attestations/${digest}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' },
  });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`listing attestations answered ${response.status}`);
  const body = (await response.json()) as { attestations: { bundle: unknown }[] };
  return body.attestations.map((a) => a.bundle);
}
