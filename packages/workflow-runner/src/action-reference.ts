// What a `uses:` names, and where the runner finds it.
import { type StandIn, standInFor } from './standins.ts';

export type ActionReference =
  | { kind: 'stand-in'; standIn: StandIn }
  /** `./path`: relative to the workspace, so the repository must be checked out. */
  | { kind: 'local'; path: string }
  /**
   * `owner/repo[/path]@ref` of a repository the caller maps to a local folder
   * (e.g. this repository's published name, so that the example workflows run
   * as users copy them).
   */
  | { kind: 'mapped'; repository: string; dir: string; path: string; ref: string };

const REMOTE = /^([^/@\s]+)\/([^/@\s]+)((?:\/[^@\s]*)?)@(\S+)$/;

export function resolveActionReference(
  uses: string,
  actionRepositories: Readonly<Record<string, string>>,
): ActionReference | undefined {
  if (uses.startsWith('./')) return { kind: 'local', path: uses };
  const standIn = standInFor(uses);
  if (standIn) return { kind: 'stand-in', standIn };
  const match = REMOTE.exec(uses);
  if (!match) return undefined;
  const repository = `${match[1]}/${match[2]}`;
  const key = Object.keys(actionRepositories).find((k) => k.toLowerCase() === repository.toLowerCase());
  if (key === undefined) return undefined;
  return {
    kind: 'mapped',
    repository: key,
    dir: actionRepositories[key]!,
    path: match[3]!.replace(/^\//, ''),
    ref: match[4]!,
  };
}
