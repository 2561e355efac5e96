/**
 * Every release the release action makes carries, at the end of its body, an
 * HTML comment (invisible on the release page): a projection of its
 * release.json, plus the commit of the previous release.
 *
 * It does only the jobs nothing else can do without downloading each
 * candidate's release.json, all of them choosing among the releases of one
 * page of the list:
 *   - a re-run finding its own draft (drafts have no tag to look up);
 *   - a release finding the previous release of its environment;
 *   - deploy choosing `latest` of an environment.
 * Whatever the marker chooses is then read through the one reader of a
 * release (packages/release-verify): release.json verified, the config read
 * only through it. The body stays editable after publishing (even on an
 * immutable release), so a marker is a hint for choosing, never a fact to
 * deploy: each field is checked by the rule of the manifest field it
 * projects, and a chosen release whose release.json disagrees is refused.
 */
import { type ProjectedField, type ReleaseManifest, checkManifestField } from './manifest.ts';

export interface ReleaseMarker {
  /** release.json run.id: GITHUB_RUN_ID of the run that made the release. */
  run: ReleaseManifest['run']['id'];
  /** run.attempt: with createdAt, a resumed run rebuilds byte-identical assets. */
  attempt: ReleaseManifest['run']['attempt'];
  environment: ReleaseManifest['environment'];
  /** build.digest */
  digest: ReleaseManifest['build']['digest'];
  /** config.digest */
  config: ReleaseManifest['config']['digest'];
  /** build.commit */
  commit: ReleaseManifest['build']['commit'];
  createdAt: ReleaseManifest['createdAt'];
  /** previous, with the previous release's build.commit. */
  previous: (NonNullable<ReleaseManifest['previous']> & { commit: ReleaseManifest['build']['commit'] }) | null;
}

/** Which manifest field each marker field projects (its rule is that field's). */
const PROJECTS = {
  run: 'run.id',
  attempt: 'run.attempt',
  environment: 'environment',
  digest: 'build.digest',
  config: 'config.digest',
  commit: 'build.commit',
  createdAt: 'createdAt',
} as const satisfies Record<Exclude<keyof ReleaseMarker, 'previous'>, ProjectedField>;

const PREVIOUS_PROJECTS = {
  tag: 'previous.tag',
  buildDigest: 'previous.buildDigest',
  commit: 'build.commit',
} as const satisfies Record<keyof NonNullable<ReleaseMarker['previous']>, ProjectedField>;

const LABEL = 'build-release-run';
const OPEN = `<!-- ${LABEL} `;
const CLOSE = ' -->';

export function renderMarker(marker: ReleaseMarker): string {
  validateMarker(marker);
  // Valid fields cannot hold "-->"; escaped all the same, so nothing can end the comment early.
  return `${OPEN}${JSON.stringify(marker).replaceAll('-->', '--\\u003e')}${CLOSE}`;
}

/** The marker at the end of a release body; undefined when there is none or it breaks a manifest rule. */
export function parseMarker(body: string | null | undefined): ReleaseMarker | undefined {
  const text = markerText(body);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    validateMarker(value);
    return value;
  } catch {
    return undefined;
  }
}

/** The text of the last marker comment in `body`, unchecked. */
function markerText(body: string | null | undefined): string | undefined {
  if (!body) return undefined;
  const at = body.lastIndexOf(OPEN);
  if (at < 0) return undefined;
  const end = body.indexOf(CLOSE, at + OPEN.length);
  return end < 0 ? undefined : body.slice(at + OPEN.length, end);
}

/** Exactly the marker's fields, each by the rule of the manifest field it projects. */
export function validateMarker(value: unknown): asserts value is ReleaseMarker {
  const marker = fields(value, [...Object.keys(PROJECTS), 'previous']);
  for (const [name, field] of Object.entries(PROJECTS)) checkManifestField(field, marker[name]);
  if (marker.previous === null) return;
  const previous = fields(marker.previous, Object.keys(PREVIOUS_PROJECTS));
  for (const [name, field] of Object.entries(PREVIOUS_PROJECTS)) checkManifestField(field, previous[name]);
}

function fields(value: unknown, names: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('the release marker must be an object');
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== names.length || !names.every((name) => Object.hasOwn(record, name))) {
    throw new Error(`the release marker must have exactly the fields ${names.join(', ')}`);
  }
  return record;
}
