/**
 * The names the stages exchange, each defined once: a pattern, a maximum
 * length and the words that explain it. Every producer (build, release) and
 * every checker (deploy, the manifest validator) imports these, so what one
 * side writes the other accepts, and nothing else.
 *
 * The character sets are deliberately narrower than what Git or GitHub
 * allow: a name that passes can be printed in a log line, a markdown cell or
 * a shell word without starting a workflow command (`::`), a new line, a
 * command substitution (`$(…)`, backticks) or a link.
 */
import { ConfigurationError } from './errors.ts';
import { jsonCharEscape, replaceInvisible } from './sinks/visible.ts';

export interface NameRule {
  /** What the name is, for messages ("a release tag"). */
  readonly noun: string;
  /** The rule in words, written to follow "use" ("up to 128 letters, …"). */
  readonly description: string;
  readonly maxLength: number;
  readonly pattern: RegExp;
  /**
   * Whether a refused value may be quoted back in the error. Config keys are
   * never shown: the text before '=' on a broken line can be part of a secret.
   */
  readonly showRefused: boolean;
}

export function isName(rule: NameRule, value: string): boolean {
  return value.length >= 1 && value.length <= rule.maxLength && rule.pattern.test(value);
}

/**
 * The message for a refused name. `subject` says where it came from
 * ("Input 'tag'", "release.json: environment"); the value is quoted (escaped,
 * cut short) only when the rule allows it.
 */
export function nameError(rule: NameRule, value: string, subject: string): string {
  const got = rule.showRefused ? `; got ${quoteRefused(value)}` : '';
  return `${subject} must be ${rule.noun}: use ${rule.description}${got}.`;
}

/** The value itself when it is valid; a ConfigurationError naming the input otherwise. */
export function checkName(rule: NameRule, value: string, inputName: string): string {
  if (isName(rule, value)) return value;
  throw new ConfigurationError(nameError(rule, value, `Input '${inputName}'`));
}

/** A refused value as it may appear in an error: JSON-escaped (no new line, no control character), at most 60 characters. */
export function quoteRefused(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  // JSON escapes C0 controls, quotes and backslashes; every other character
  // the sinks' rule shows as an escape (DEL, C1, the separators, bidi
  // controls, zero-width characters, tags) is escaped on top, JSON's way.
  return replaceInvisible(JSON.stringify(cut), jsonCharEscape);
}

/**
 * A release tag. Git's ref-name rules (git check-ref-format) restricted to a
 * charset with no shell, URL or workflow-command meaning: ASCII letters,
 * digits, '.', '_', '+', '-'. Starts with a letter or digit (never '-', an
 * option to git and the CLIs; never '.'); no '..'; does not end with '.' or
 * '.lock'. No '/', so a tag is one path segment in every URL.
 */
export const TAG_NAME: NameRule = {
  noun: 'a release tag',
  description:
    "1 to 128 ASCII letters, digits, '.', '_', '+' or '-', starting with a letter or digit, with no '..' and not ending in '.' or '.lock' (e.g. v3 or v1.4.2)",
  maxLength: 128,
  pattern: /^(?!.*\.\.)(?!.*\.lock$)[A-Za-z0-9][A-Za-z0-9._+-]*(?<!\.)$/,
  showRefused: true,
};

/**
 * A release version: the tag without its leading 'v'. Semantic versions
 * (1.4.2, 1.4.2-rc.1+build.5), release numbers (7) and the timestamp scheme's
 * 20261121.234500[.N].
 */
export const VERSION: NameRule = {
  noun: 'a release version',
  description:
    'a semantic version such as 1.4.2 (a pre-release and build suffix allowed), a release number such as 7, or a timestamp version such as 20261121.234500, up to 127 characters',
  maxLength: 127,
  // The semver.org grammar (no leading zeros in numeric pre-release
  // identifiers), release numbers, timestamp versions.
  pattern:
    /^(?:(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?|[1-9]\d*|\d{8}\.\d{6}(?:\.[1-9]\d*)?)$/,
  showRefused: true,
};

/**
 * A deploy target (GitHub environment) name. GitHub allows up to 255
 * characters; the charset here leaves out everything that means something
 * to a shell, markdown or the runner (quotes, '$', '`', ':', '<', '>', '|',
 * control characters including DEL, and any non-ASCII).
 */
export const ENVIRONMENT_NAME: NameRule = {
  noun: 'a deploy target (environment) name',
  description:
    "1 to 255 ASCII letters, digits, spaces, '.', '_', '-' or '/', starting and ending with a letter or digit (e.g. production, staging-eu)",
  maxLength: 255,
  pattern: /^[A-Za-z0-9](?:[A-Za-z0-9 ._/-]*[A-Za-z0-9])?$/,
  showRefused: true,
};

/**
 * A config key: an environment variable name as POSIX shells accept it.
 * Which of these a config may set is decided apart (release-format's
 * reserved keys).
 */
export const CONFIG_KEY: NameRule = {
  noun: 'a config key',
  description:
    'an environment variable name: 1 to 128 ASCII letters, digits and underscores, not starting with a digit (e.g. DATABASE_URL)',
  maxLength: 128,
  pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  showRefused: false,
};

/**
 * The base name of a build archive (the build action's `name`): it becomes a
 * file name and part of a release asset name.
 */
export const BUILD_NAME: NameRule = {
  noun: 'a build name',
  description: "1 to 100 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit",
  maxLength: 100,
  pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
  showRefused: true,
};

/**
 * A file attached to a release (the release action's `attach`): its asset
 * name, the file's own name. Narrow like a build name, so GitHub stores it
 * as given (it renames anything else) and it prints safely anywhere.
 */
export const ATTACHMENT_NAME: NameRule = { ...BUILD_NAME, noun: 'an attached file name' };

/** The workflow artifact that carries a build: `build-sha256-<64 hex>` (see artifactNameForDigest). */
export const ARTIFACT_NAME: NameRule = {
  noun: 'a build artifact name',
  description: "'build-sha256-' and the 64 lowercase hex digits of the build digest, as the build action names it",
  maxLength: 77,
  pattern: /^build-sha256-[0-9a-f]{64}$/,
  showRefused: true,
};

/**
 * An action input's id as action.yml declares it (letters, digits, '_', '-').
 * The runner passes it as INPUT_<id upper-cased, spaces as '_'>.
 */
export const INPUT_NAME: NameRule = {
  noun: 'an action input name',
  description: "1 to 100 ASCII letters, digits, '_' or '-', starting with a letter or '_'",
  maxLength: 100,
  pattern: /^[A-Za-z_][A-Za-z0-9_-]*$/,
  showRefused: true,
};

/**
 * A reusable workflow at a ref, as GitHub's OIDC token names the workflow a
 * job runs in (claim `job_workflow_ref`, which Fulcio writes into the
 * signing certificate): `owner/repo/.github/workflows/<file>@<ref>`, the ref
 * a branch or tag ref or a commit. The builder a release records
 * (release.json `build.builder`, release input 'builder').
 */
export const BUILDER_WORKFLOW: NameRule = {
  noun: 'a builder workflow',
  description:
    "owner/repo/.github/workflows/<file>.yml@<ref> (a branch or tag ref or a 40-hex commit), as the reusable build workflow's 'builder' output gives it",
  maxLength: 400,
  pattern:
    /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/\.github\/workflows\/[A-Za-z0-9_-][A-Za-z0-9_.-]*\.ya?ml@(?:refs\/(?:heads|tags)\/(?!.*\.\.)[A-Za-z0-9._/-]+|[0-9a-f]{40})$/,
  showRefused: true,
};

/** The environment variable the runner sets for an input (what @actions/core's getInput reads). */
export function inputVariableName(inputName: string): string {
  return `INPUT_${inputName.replace(/ /g, '_').toUpperCase()}`;
}

export const isTagName = (value: string): boolean => isName(TAG_NAME, value);
export const isVersion = (value: string): boolean => isName(VERSION, value);
export const isEnvironmentName = (value: string): boolean => isName(ENVIRONMENT_NAME, value);
export const isConfigKeyName = (value: string): boolean => isName(CONFIG_KEY, value);
export const isBuildName = (value: string): boolean => isName(BUILD_NAME, value);
export const isArtifactName = (value: string): boolean => isName(ARTIFACT_NAME, value);

export const checkTagName = (value: string, inputName: string): string => checkName(TAG_NAME, value, inputName);
export const checkEnvironmentName = (value: string, inputName: string): string =>
  checkName(ENVIRONMENT_NAME, value, inputName);
export const checkBuildName = (value: string, inputName: string): string => checkName(BUILD_NAME, value, inputName);
