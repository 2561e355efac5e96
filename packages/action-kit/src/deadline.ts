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

/** The error an action fails with when its deadline passed. */
export function deadlineMessage(deadline: Deadline, report: DeadlineReport): string {
  return (
    `The ${report.action} did not finish within its deadline (input '${DEADLINE_INPUT}': ${report.minutes}) ` +
    `and stopped ${deadline.describe()}. ${report.leftBehind} ` +
    `Run it again when GitHub answers, or raise '${DEADLINE_INPUT}' if the ${report.action} needs longer.`
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
    deadline.graceSignal.addEventListener('abort', () => reject(new Error(deadlineMessage(deadline, report))), {
      once: true,
    });
  });
  graceOver.catch(() => undefined);
  try {
    return await Promise.race([work(), graceOver]);
  } catch (error) {
    if (deadline.passed) throw new Error(deadlineMessage(deadline, report), { cause: error });
    throw error;
  } finally {
    deadline.stop();
  }
}
