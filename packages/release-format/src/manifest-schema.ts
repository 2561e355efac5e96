/**
 * release.json as a JSON Schema (draft 2020-12), made from the rules the
 * producers use (the contract's name rules and digest format), checked with
 * Ajv, and published as docs/release.schema.json (a test keeps the two
 * equal). Every rule JSON Schema can state is here; manifest.ts checks in
 * code only what it cannot: fields that depend on other fields, an order,
 * reserved names, and a URL or a date that must parse (RELEASE_SCHEMA's
 * description lists them).
 *
 * The validators are Ajv's code for this schema, generated ahead of time
 * (`node scripts/manifest-validators.ts`, into
 * generated/manifest-validators.js; a test fails when it is stale):
 * compiling the schema when an action starts cost more than the rest of a
 * small release's work on this machine (issue 26).
 */
import type { ErrorObject, SchemaObject } from 'ajv/dist/2020.js';
import {
  ATTACHMENT_NAME,
  BUILDER_WORKFLOW,
  CONFIG_KEY,
  DIGEST_PATTERN,
  ENVIRONMENT_NAME,
  type NameRule,
  TAG_NAME,
  VERSION,
  quoteRefused,
} from '@build-release-run/contract';
import { ARCHIVE_FORMATS, CONFIG_ASSET, IMAGE_FORMAT } from './names.ts';
import * as validators from './generated/manifest-validators.js';

export const MANIFEST_SCHEMA = 'build-release-run/release@1';

/**
 * The descriptions of the rules whose refused values are never quoted back
 * (a config key may be a fragment of a secret). By description, not by
 * object: the generated validators report copies of the schemas.
 */
const HIDDEN = new Set<string>();

function named(rule: NameRule): SchemaObject {
  const schema = {
    type: 'string',
    minLength: 1,
    maxLength: rule.maxLength,
    pattern: rule.pattern.source,
    description: `${rule.noun}: use ${rule.description}`,
  };
  if (!rule.showRefused) HIDDEN.add(schema.description);
  return schema;
}

const text = (pattern: RegExp, description: string, maxLength?: number): SchemaObject => ({
  type: 'string',
  minLength: 1,
  ...(maxLength === undefined ? {} : { maxLength }),
  pattern: pattern.source,
  description,
});

const configKeys: SchemaObject = {
  type: 'array',
  uniqueItems: true,
  items: { $ref: '#/$defs/configKey' },
  description: 'a list of config keys, sorted, each once',
};

/**
 * The fields' rules, as their producers write them: GITHUB_REF (git
 * check-ref-format, without spaces or controls), GITHUB_RUN_ID and
 * GITHUB_RUN_ATTEMPT (decimal), GITHUB_ACTOR (a login; bots end in [bot]),
 * the run's URL and Date.toISOString(). The release action writes 'unknown'
 * when the runner gives no ref or actor.
 */
const DEFS = {
  tag: named(TAG_NAME),
  version: named(VERSION),
  environment: named(ENVIRONMENT_NAME),
  configKey: named(CONFIG_KEY),
  attachmentName: named(ATTACHMENT_NAME),
  builder: named(BUILDER_WORKFLOW),
  digest: text(DIGEST_PATTERN, 'a digest, sha256:<64 hex digits>'),
  size: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'a non-negative integer' },
  commit: text(/^[0-9a-f]{40}$/, '40 lowercase hex digits'),
  gitRef: text(
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    /^(?:unknown|refs\/(?!.*\.\.)(?!.*@\{)[^\s~^:?*[\\\u0000-\u001f\u007f]{1,250})$/,
    'a git ref such as refs/heads/main',
  ),
  runNumber: text(/^[0-9]{1,20}$/, 'a workflow run ID or attempt (decimal digits)'),
  runUrl: text(/^https?:\/\/\S+\/actions\/runs\/[0-9]+$/, 'the http(s) URL of a workflow run', 2048),
  actor: text(/^(?:unknown|[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?)$/, 'a GitHub login'),
  createdAt: text(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/,
    'an ISO 8601 UTC time such as 2026-01-02T03:04:05.000Z',
  ),
} satisfies Record<string, SchemaObject>;

type DefName = keyof typeof DEFS;
const ref = (name: DefName): SchemaObject => ({ $ref: `#/$defs/${name}` });

/** An object with exactly these fields (`optional` may be absent). */
function record(
  properties: Record<string, SchemaObject>,
  optional: readonly string[] = [],
  types: string | string[] = 'object',
): SchemaObject {
  return {
    type: types,
    additionalProperties: false,
    required: Object.keys(properties).filter((name) => !optional.includes(name)),
    properties,
  };
}

export const RELEASE_SCHEMA: SchemaObject = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: `release.json (${MANIFEST_SCHEMA})`,
  description:
    'What a build-release-run release is made of; deploy verifies the release against it. Checked in code beyond ' +
    'this schema: version is tag without one leading "v"; build.archive is <build name>-<first 12 hex of ' +
    'build.digest>.<format> (for an image, <last repository component>-<first 12 hex>.image.json); image is given ' +
    'exactly when build.format is "image", holds build.digest and follows the registry package\'s image record rule; ' +
    'attachments are sorted by name, each name once, none named like the build, config.env, release.json or ' +
    'SHA256SUMS; config.keys and config.secretKeys are sorted, reserved keys refused, no key in both; run.url parses ' +
    'as a URL with no invisible characters; createdAt is a real date.',
  ...record(
    {
      schema: { const: MANIFEST_SCHEMA, description: `"${MANIFEST_SCHEMA}"` },
      tag: ref('tag'),
      version: ref('version'),
      environment: ref('environment'),
      build: record(
        {
          digest: ref('digest'),
          archive: { type: 'string', minLength: 1, description: "the build's asset name" },
          format: {
            enum: [...ARCHIVE_FORMATS, IMAGE_FORMAT],
            description: `one of ${[...ARCHIVE_FORMATS, IMAGE_FORMAT].join(', ')}`,
          },
          size: ref('size'),
          commit: ref('commit'),
          ref: ref('gitRef'),
          // Present when the reusable build workflow made the build: deploy then
          // requires its attestation signed by that builder (SLSA Build L3).
          builder: ref('builder'),
        },
        ['builder'],
      ),
      image: {
        type: 'object',
        description: 'an object: the image deploy pulls by digest (registry, repository, digest, mediaType, platforms)',
      },
      config: record({
        asset: { const: CONFIG_ASSET, description: `"${CONFIG_ASSET}"` },
        digest: ref('digest'),
        keys: configKeys,
        secretKeys: configKeys,
      }),
      attachments: {
        type: 'array',
        minItems: 1,
        description: 'a non-empty list (absent when nothing is attached)',
        items: record({ name: ref('attachmentName'), digest: ref('digest'), size: ref('size') }),
      },
      previous: record({ tag: ref('tag'), buildDigest: ref('digest') }, [], ['object', 'null']),
      run: record({ id: ref('runNumber'), attempt: ref('runNumber'), url: ref('runUrl') }),
      actor: ref('actor'),
      createdAt: ref('createdAt'),
    },
    ['image', 'attachments'],
  ),
  $defs: DEFS,
};

type Validate = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };
const VALIDATORS = validators as unknown as Record<'manifest' | DefName, Validate>;

/** The names the generated module exports: the whole manifest, and each field rule. */
export const VALIDATOR_REFS: Readonly<Record<'manifest' | DefName, string>> = {
  manifest: '',
  ...(Object.fromEntries(Object.keys(DEFS).map((name) => [name, `#/$defs/${name}`])) as Record<DefName, string>),
};

/** Checks release.json's shape and every single field's rule; throws the first problem, naming the field. */
export function checkManifestSchema(value: unknown): void {
  const validate = VALIDATORS.manifest;
  if (!validate(value)) throw new Error(problemOf(validate.errors?.[0], ''));
}

/** Checks one value by a field rule of release.json (`field` names it in the error); returns it as text. */
export function checkByDef(name: DefName, value: unknown, field: string): string {
  const validate = VALIDATORS[name];
  if (!validate(value)) throw new Error(problemOf(validate.errors?.[0], field));
  return value as string;
}

export type ManifestDef = DefName;

/** `/build/digest` → `build.digest`, `/attachments/0/name` → `attachments[0].name`. */
function fieldOf(instancePath: string, prefix: string): string {
  const parts = instancePath.split('/').slice(1);
  return parts.reduce(
    (field, part) => (/^\d+$/.test(part) ? `${field}[${part}]` : field ? `${field}.${part}` : part),
    prefix,
  );
}

function problemOf(error: ErrorObject | undefined, prefix: string): string {
  if (error === undefined) return 'release.json: not a valid release manifest';
  const field = fieldOf(error.instancePath, prefix);
  const where = field === '' ? '' : `${field}.`;
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required') return `release.json: ${where}${params.missingProperty} is missing`;
  if (error.keyword === 'additionalProperties') {
    return `release.json: ${where}${quoteRefused(String(params.additionalProperty))} is not a field of ${MANIFEST_SCHEMA}`;
  }
  const schema = (error.parentSchema ?? {}) as SchemaObject;
  const what = typeof schema['description'] === 'string' ? schema['description'] : error.message;
  const hidden = typeof schema['description'] === 'string' && HIDDEN.has(schema['description']);
  const shown = typeof error.data === 'string' && !hidden ? `; got ${quoteRefused(error.data)}` : '';
  return `release.json: ${field === '' ? 'release.json' : field} must be ${what}${shown}`;
}
