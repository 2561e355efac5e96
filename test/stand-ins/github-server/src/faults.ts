/**
 * Deterministic fault injection. A fault matches requests by operation (the
 * operationId of GitHub's description, e.g. `repos/upload-release-asset`, or
 * `storage` for the download of asset bytes) and optionally by method; it
 * counts the requests it matches and fires on the `nth` (1-based) and the
 * `times - 1` following ones.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FaultMatch {
  /** operationId, or `storage` for asset byte downloads; omitted: every request. */
  route?: string;
  method?: string;
  /** Fires from this matching request on (default 1). */
  nth?: number;
  /** How many consecutive matching requests it fires on (default 1). */
  times?: number;
}

export type Fault = FaultMatch &
  (
    | { kind: 'status'; status?: number }
    | { kind: 'secondary-rate-limit'; status?: 403 | 429; retryAfter?: number }
    | { kind: 'primary-rate-limit' }
    | { kind: 'reset'; afterBytes?: number }
    | { kind: 'slow'; delayMs: number }
    | { kind: 'upload-starter-502' }
    | { kind: 'break-response'; removeField: string }
  );

export type FaultKind = Fault['kind'];

interface Armed {
  id: number;
  fault: Fault;
  seen: number;
  fired: number;
}

/** The faults that fire on one request, by kind. */
export class ActiveFaults {
  readonly list: Fault[];

  constructor(list: Fault[]) {
    this.list = list;
  }

  get<K extends FaultKind>(kind: K): Extract<Fault, { kind: K }> | undefined {
    return this.list.find((f) => f.kind === kind) as Extract<Fault, { kind: K }> | undefined;
  }
}

export class FaultController {
  #armed: Armed[] = [];
  #nextId = 1;

  /** Arms a fault; returns its id (for `remove`). */
  add(fault: Fault): number {
    if ((fault.nth ?? 1) < 1 || (fault.times ?? 1) < 1) throw new Error('fault nth and times must be at least 1');
    const id = this.#nextId++;
    this.#armed.push({ id, fault, seen: 0, fired: 0 });
    return id;
  }

  remove(id: number): void {
    this.#armed = this.#armed.filter((a) => a.id !== id);
  }

  clear(): void {
    this.#armed = [];
  }

  /** How many times each armed fault has fired, by id. */
  fired(): Record<number, number> {
    return Object.fromEntries(this.#armed.map((a) => [a.id, a.fired]));
  }

  /** Counts this request against every armed fault and returns those that fire. */
  onRequest(route: string, method: string): ActiveFaults {
    const firing: Fault[] = [];
    for (const armed of this.#armed) {
      const { fault } = armed;
      if (fault.route !== undefined && fault.route !== route) continue;
      if (fault.method !== undefined && fault.method.toLowerCase() !== method.toLowerCase()) continue;
      armed.seen++;
      const first = fault.nth ?? 1;
      if (armed.seen >= first && armed.seen < first + (fault.times ?? 1)) {
        armed.fired++;
        firing.push(fault);
      }
    }
    return new ActiveFaults(firing);
  }
}

const FAULT_KINDS = new Set<string>([
  'status',
  'secondary-rate-limit',
  'primary-rate-limit',
  'reset',
  'slow',
  'upload-starter-502',
  'break-response',
]);

/** Checks a fault received as JSON on the control endpoint. */
export function parseFault(value: unknown): Fault {
  if (value === null || typeof value !== 'object') throw new Error('a fault is a JSON object');
  const fault = value as Record<string, unknown>;
  if (typeof fault.kind !== 'string' || !FAULT_KINDS.has(fault.kind)) {
    throw new Error(`fault kind must be one of ${[...FAULT_KINDS].join(', ')}`);
  }
  for (const key of ['nth', 'times', 'status', 'retryAfter', 'afterBytes', 'delayMs']) {
    if (fault[key] !== undefined && (typeof fault[key] !== 'number' || !Number.isInteger(fault[key]))) {
      throw new Error(`fault ${key} must be an integer`);
    }
  }
  if (fault.kind === 'slow' && typeof fault.delayMs !== 'number') throw new Error('a slow fault needs delayMs');
  if (fault.kind === 'break-response' && typeof fault.removeField !== 'string') {
    throw new Error('a break-response fault needs removeField');
  }
  return fault as unknown as Fault;
}

/**
 * Waits out a `slow` fault on this request. False when the client hung up
 * (or the server closed its connections) meanwhile: there is nobody left to
 * answer, and the request must not go on to touch storage that a closed
 * server may already have removed.
 */
export async function waitOutSlow(active: ActiveFaults, res: ServerResponse): Promise<boolean> {
  const slow = active.get('slow');
  if (slow === undefined) return true;
  const hungUp = new AbortController();
  const onClose = (): void => hungUp.abort();
  res.once('close', onClose);
  try {
    await sleep(slow.delayMs, undefined, { signal: hungUp.signal });
    return true;
  } catch {
    return false;
  } finally {
    res.off('close', onClose);
  }
}
