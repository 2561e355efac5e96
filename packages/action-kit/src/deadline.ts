/**
 * Each action's overall deadline (input 'deadline-minutes'): the rule that
 * reads the input, and the wrapper that fails the action when the deadline
 * passes, saying what was running and what was (not) left behind. Not the
 * step's `timeout-minutes`, which kills the step without a word: this one
 * lets the action stop its requests, clean up and say why.
 */
import { ConfigurationError } from '@build-release-run/contract';
import { Deadline } from '@build-release-run/github-api';

export const DEADLINE_INPUT = 'deadline-minutes';

/** A job runs six hours at most on GitHub-hosted runners: a longer deadline is a mistake. */
const MAX_MINUTES = 360;

/** Minutes, a positive number (fractions allowed, e.g. 0.5); empty: `fallback`. */
export function parseDeadlineMinutes(text: string, fallback: number): number {
  const given = text.trim();
  if (given === '') return fallback;
  const minutes = /^\d+(\.\d+)?$/.test(given) ? Number(given) : Number.NaN;
  if (!(minutes > 0 && minutes <= MAX_MINUTES)) {
    throw new ConfigurationError(
      `Input '${DEADLINE_INPUT}' is '${given.slice(0, 40)}'; give the minutes the action may take, a number above 0 and at most ${MAX_MINUTES} (e.g. ${fallback}), or leave it empty for ${fallback}.`,
    );
  }
  return minutes;
}

export function startDeadline(minutes: number, stage: string): Deadline {
  return new Deadline(Math.round(minutes * 60_000), { stage });
}

export interface DeadlineReport {
  /** 'deploy', 'release', 'build'. */
  action: string;
  minutes: number;
  /** What the action leaves behind when it stops here: "No deployment ..." */
  leftBehind: string;
}

/**
 * The error an action fails with when its deadline passed. Work the deadline
 * could not abort (a library call that takes no signal) may still hold a
 * socket, so runAction ends the process once the failure is reported.
 */
export class ActionDeadlineError extends Error {
  override readonly name = 'ActionDeadlineError';
}

/** The text of ActionDeadlineError. */
export function deadlineMessage(deadline: Deadline, report: DeadlineReport): string {
  return (
    `The ${report.action} did not finish within its deadline (input '${DEADLINE_INPUT}': ${report.minutes}) ` +
    `and stopped ${deadline.describe()}. ${report.leftBehind} ` +
    `Run it again once the stall is over, or raise '${DEADLINE_INPUT}' if the ${report.action} needs longer.`
  );
}

/**
 * Runs `work` under `deadline`. When the deadline passes, the work's
 * requests are cut (the GitHub client holds the same deadline) and it has
 * the deadline's grace to clean up; then the action fails with
 * deadlineMessage, whatever the work threw.
 */
export async function withinDeadline<T>(
  deadline: Deadline,
  report: DeadlineReport,
  work: () => Promise<T>,
): Promise<T> {
  const graceOver = new Promise<never>((_resolve, reject) => {
    deadline.graceSignal.addEventListener(
      'abort',
      () => reject(new ActionDeadlineError(deadlineMessage(deadline, report))),
      {
        once: true,
      },
    );
  });
  graceOver.catch(() => undefined);
  try {
    return await Promise.race([work(), graceOver]);
  } catch (error) {
    if (deadline.passed) throw new ActionDeadlineError(deadlineMessage(deadline, report), { cause: error });
    throw error;
  } finally {
    deadline.stop();
  }
}

/**
 * Waits for a service call that takes no abort signal (@actions/artifact's
 * client has none, nor a timeout of its own for its requests): raced with
 * the deadline, so the action stops waiting when it passes, and the
 * deadline's error says which service did not answer to what. The call
 * itself is left behind; the process ends with the failure (runAction).
 */
export async function serviceAnswer<T>(
  deadline: Deadline | undefined,
  waiting: { service: string; for: string },
  call: () => Promise<T>,
): Promise<T> {
  if (deadline === undefined) return call();
  const stage = deadline.stage;
  deadline.stage = `waiting for ${waiting.service} to answer ${waiting.for}: ${waiting.service} did not answer in time`;
  deadline.signal.throwIfAborted();
  let stop = (): void => undefined;
  const passed = new Promise<never>((_resolve, reject) => {
    const abort = (): void => reject(deadline.signal.reason as Error);
    deadline.signal.addEventListener('abort', abort, { once: true });
    stop = () => deadline.signal.removeEventListener('abort', abort);
  });
  try {
    return await Promise.race([call(), passed]);
  } finally {
    stop();
    if (!deadline.passed) deadline.stage = stage;
  }
}
