/**
 * How brr reads a release: the deploy action's reader (release-verify) with
 * the policy from the flags of the same names as deploy's inputs, read by
 * the same function. The repository's default branch comes from the event
 * payload when brr runs in a workflow; outside one, --source-ref is needed.
 * Without an event payload the trusted root is Sigstore's public-good one
 * (BRR_SIGSTORE_TRUSTED_ROOT names another).
 */
import { tmpdir } from 'node:os';
import type { ReadOptions } from '@build-release-run/release-verify';
import { readTrustInputs, sourceRefOf } from '@build-release-run/release-verify';
import type { PolicyFlags } from './args.ts';
import type { Connection } from './connect.ts';

export async function readOptionsOf(
  flags: PolicyFlags,
  connection: Connection,
  env: NodeJS.ProcessEnv,
): Promise<Omit<ReadOptions, 'workDir'>> {
  const trust = readTrustInputs((name) => flags[name]);
  // Resolved once, before any release is read: a missing source ref is the command's error, not each release's.
  if (trust.provenance.verify) trust.provenance.sourceRef = await sourceRefOf(trust.provenance, env);
  return {
    trust,
    registry: { given: { username: '', password: '' }, actor: undefined, token: connection.token },
    context: {
      runnerTemp: tmpdir(),
      serverUrl: connection.serverUrl,
      repository: connection.repository,
      visibility: 'public',
      cache: {},
    },
    env,
    log: { info: () => undefined },
  };
}

/** Deploy's words for its inputs, as brr's flags: "input 'source-ref'" → "--source-ref". */
export function asFlags(message: string): string {
  return message
    .replace(/\b[Ii]nput '(tag|from-release)' is /g, 'The tag is ')
    .replace(/(?:\b[Ii]nput )?'(verify-provenance|allow-mutable-release): (true|false)'/g, "'--$1 $2'")
    .replace(
      /\b([Ii])nput '(build-signer|release-signer|source-ref|trusted-builder|verify-provenance|allow-mutable-release)'/g,
      (_all, i: string, name: string) => `${i === 'I' ? 'Option' : 'option'} --${name}`,
    )
    .replace(
      /'(build-signer|release-signer|source-ref|trusted-builder|verify-provenance|allow-mutable-release)'/g,
      '--$1',
    );
}
