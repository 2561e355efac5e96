/**
 * An action's overall deadline. When it passes, its signal aborts whatever
 * GitHub request is in flight and any retry wait; from then on the client
 * sends only clean-up (mayRunAfterDeadline), once each, so nothing new is
 * made or published after the deadline while a draft, a claimed tag or a
 * deployment can still be put right.
 */

export class Deadline {
  readonly ms: number;
  readonly signal: AbortSignal;
  /** What the action is doing, for the error (set by the action; requests in flight say more). */
  stage: string;
  /** The request waiting for an answer, e.g. `GET /repos/octo/app/releases/tags/v1`. */
  waitingFor: string | undefined;
  /** The last request GitHub answered, to place a stall between requests. */
  lastAnswered: string | undefined;
  /** Aborts clean-up too, `graceMs` after the deadline: the action ends by then. */
  readonly graceSignal: AbortSignal;
  readonly graceMs: number;
  readonly #controller = new AbortController();
  readonly #grace = new AbortController();
  #timer: NodeJS.Timeout;

  constructor(ms: number, options: { stage?: string; graceMs?: number } = {}) {
    this.ms = ms;
    this.stage = options.stage ?? 'starting';
    this.graceMs = options.graceMs ?? 30_000;
    this.signal = this.#controller.signal;
    this.graceSignal = this.#grace.signal;
    this.#timer = setTimeout(() => {
      this.#controller.abort(new DeadlinePassedError(this));
      this.#timer = setTimeout(() => this.#grace.abort(new DeadlinePassedError(this)), this.graceMs);
      this.#timer.unref();
    }, ms);
    // The deadline alone never keeps the process alive.
    this.#timer.unref();
  }

  get passed(): boolean {
    return this.signal.aborted;
  }

  /** What was going on when it passed: the request without an answer, or the stage. */
  describe(): string {
    if (this.waitingFor !== undefined) {
      return `while waiting for GitHub to answer ${this.waitingFor}: the API did not answer in time`;
    }
    return `while ${this.stage}${this.lastAnswered === undefined ? '' : ` (after GitHub answered ${this.lastAnswered})`}`;
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}

/** Thrown in place of a request the deadline cut or refused. */
export class DeadlinePassedError extends Error {
  override readonly name = 'DeadlinePassedError';
  constructor(deadline: Deadline) {
    super(`the deadline passed ${deadline.describe()}`);
  }
}

/**
 * After the deadline only clean-up goes out: deleting (a draft, a claimed
 * tag, a cut asset) and marking a deployment failed or errored. Creating,
 * uploading, publishing and a deployment's success are refused.
 */
export function mayRunAfterDeadline(route: string, parameters: Record<string, unknown>): boolean {
  const [method = '', path = ''] = route.split(' ');
  if (method.toUpperCase() === 'DELETE') return true;
  return (
    method.toUpperCase() === 'POST' &&
    /\/deployments\/\{deployment_id\}\/statuses$/.test(path) &&
    (parameters['state'] === 'error' || parameters['state'] === 'failure')
  );
}
