/**
 * The one port through which the flows (release-flow, deploy-flow) talk to
 * the job's log. It is plain TypeScript so the flows stay free of
 * `@actions/*`; `coreLog` is the implementation the actions run with.
 */
import * as core from '@actions/core';

export interface ActionLog {
  info(message: string): void;
  warning(message: string): void;
  /** Registers a value the log must never show (core.setSecret). */
  mask(value: string): void;
}

export const coreLog: ActionLog = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  mask: (value) => core.setSecret(value),
};
