/**
 * How an action reads its inputs: one reader type that every input parser
 * takes (so a test can hand it a table), the runner's reader, and the one
 * way a secret input is masked before anything can print it.
 */
import * as core from '@actions/core';

/** The value of one input, '' when it is not given. */
export type InputReader = (name: string) => string;

/** The runner's inputs (`INPUT_<NAME>`), trimmed, as @actions/core reads them. */
export const actionInput: InputReader = (name) => core.getInput(name);

/**
 * Registers a secret input's value with the log (core.setSecret) before the
 * action reads anything else, so not even an input error can show it.
 */
export function maskSecretInput(name: string, read: InputReader = actionInput): void {
  const value = read(name).trim();
  if (value !== '') core.setSecret(value);
}
