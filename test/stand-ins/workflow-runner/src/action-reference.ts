// What a `uses:` names, and where the runner finds it.
import path from 'node:path';
import { type StandIn, standInFor } from './standins.ts';

export type ActionReference =
  | { kind: 'stand-in'; standIn: StandIn }
  /** GitHub's own action, replaced by a node action of this package (stand-in-actions/). */
  | { kind: 'bundled'; dir: string }
  /** `./path`: relative to the workspace, so the repository must be checked out. */
  | { kind: 'local'; path: string }
  /**
   * `owner/repo[/path]@ref` of a repository the caller maps to a local folder
   * (e.g. this repository's published name, so that the example workflows run
   * as users copy them).
   */
  | { kind: 'mapped'; repository: string; dir: string; path: string; ref: string };

/** actions/upload-artifact and download-artifact: node actions over the official @actions/artifact. */
const BUNDLED = new Set(['actions/upload-artifact', 'actions/download-artifact']);

const REMOTE = /^([^/@\s]+)\/([^/@\s]+)((?:\/[^@\s]*)?)@(\S+)$/;

export function resolveActionReference(
  uses: string,
  actionRepositories: Readonly<Record<string, string>>,
): ActionReference | undefined {
  if (uses.startsWith('./')) return { kind: 'local', path: uses };
  const standIn = standInFor(uses);
  if (standIn) return { kind: 'stand-in', standIn };
  const name = uses.slice(0, Math.max(0, uses.indexOf('@'))).toLowerCase();
  if (BUNDLED.has(name)) {
    return { kind: 'bundled', dir: path.join(import.meta.dirname, 'stand-in-actions', name.split('/')[1]!) };
  }
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
