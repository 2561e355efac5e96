/**
 * The step's outputs. A later step may put them in a `run:` line, so each
 * is set only when it passed the rule its producer used; anything else is a
 * bug or a hostile release, and fails the step instead of reaching a shell.
 */
import { isDigest, isTagName, isVersion } from '@build-release-run/contract';

export interface DeployOutputFacts {
  deploymentId: number;
  tag: string;
  version: string;
  digest: string;
  directory: string;
  previousTag: string | undefined;
}

export function deployOutputs(facts: DeployOutputFacts): Record<string, string> {
  const checks: [name: string, ok: boolean][] = [
    ['deployment-id', Number.isSafeInteger(facts.deploymentId) && facts.deploymentId > 0],
    ['tag', isTagName(facts.tag)],
    ['version', isVersion(facts.version)],
    ['digest', isDigest(facts.digest)],
    // Our own folder, named from the checked tag; it never holds a line break.
    ['directory', !/[\r\n]/.test(facts.directory)],
    ['previous-tag', facts.previousTag === undefined || isTagName(facts.previousTag)],
  ];
  const bad = checks.find(([, ok]) => !ok);
  if (bad !== undefined) throw new Error(`Output '${bad[0]}' did not pass its rule; no output was set.`);
  return {
    'deployment-id': String(facts.deploymentId),
    tag: facts.tag,
    version: facts.version,
    digest: facts.digest,
    directory: facts.directory,
    'previous-tag': facts.previousTag ?? '',
  };
}
