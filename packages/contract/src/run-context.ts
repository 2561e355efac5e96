/**
 * The workflow run an action is part of, read once from the variables the
 * runner sets (GitHub's "default environment variables"), with one set of
 * defaults for every action. The runner always sets GITHUB_REPOSITORY and
 * GITHUB_RUN_ID, so their absence means the action runs outside a job: that
 * is refused rather than guessed (a made-up run ID could mistake another
 * run's draft for this one's).
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError } from './errors.ts';
import { quoteRefused } from './names.ts';

export interface RunContext {
  /** owner/name. */
  repository: string;
  /** GITHUB_SHA, lower-cased; '' when unset (each action decides whether it needs it). */
  sha: string;
  /** GITHUB_REF; 'unknown' when unset. */
  ref: string;
  runId: string;
  /** '1' when unset. */
  runAttempt: string;
  /** GITHUB_ACTOR; 'unknown' when unset. */
  actor: string;
  /** No trailing slash; https://github.com when unset. */
  serverUrl: string;
  /** No trailing slash; https://api.github.com when unset. */
  apiUrl: string;
  /** Absolute; the current folder when unset. */
  workspace: string;
  /** Absolute; the system's temp folder when unset. */
  runnerTemp: string;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const NUMBER = /^[0-9]{1,20}$/;

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const value = (name: string): string => env[name]?.trim() ?? '';
  const need = (name: string, pattern: RegExp, what: string): string => {
    const text = value(name);
    if (text === '') {
      throw new ConfigurationError(`${name} is not set; this action runs inside a GitHub Actions job.`);
    }
    if (!pattern.test(text)) throw new ConfigurationError(`${name} must be ${what}; got ${quoteRefused(text)}.`);
    return text;
  };
  const url = (name: string, fallback: string): string => {
    const text = value(name) || fallback;
    let parsed: URL | undefined;
    try {
      parsed = new URL(text);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      throw new ConfigurationError(`${name} must be an http(s) URL; got ${quoteRefused(text)}.`);
    }
    return text.replace(/\/+$/, '');
  };
  const workspace = path.resolve(value('GITHUB_WORKSPACE') || process.cwd());
  return {
    repository: need('GITHUB_REPOSITORY', REPOSITORY, 'owner/name'),
    sha: value('GITHUB_SHA').toLowerCase(),
    ref: value('GITHUB_REF') || 'unknown',
    runId: need('GITHUB_RUN_ID', NUMBER, 'a number'),
    runAttempt: value('GITHUB_RUN_ATTEMPT') ? need('GITHUB_RUN_ATTEMPT', NUMBER, 'a number') : '1',
    actor: value('GITHUB_ACTOR') || 'unknown',
    serverUrl: url('GITHUB_SERVER_URL', 'https://github.com'),
    apiUrl: url('GITHUB_API_URL', 'https://api.github.com'),
    workspace,
    runnerTemp: path.resolve(value('RUNNER_TEMP') || tmpdir()),
  };
}

/**
 * A release's page, made from the run context and the tag, never read from
 * an API answer (whose `html_url` is text like any other): the value goes to
 * an output, a log line and a summary link.
 */
export function releasePageUrl(context: Pick<RunContext, 'serverUrl' | 'repository'>, tag: string): string {
  return `${context.serverUrl}/${context.repository}/releases/tag/${encodeURIComponent(tag)}`;
}
