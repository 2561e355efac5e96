/**
 * `it` for suites against the local GitHub server: each test ends by
 * checking that none of the server's answers broke GitHub's description.
 * The check belongs to the test (not to afterEach): a violation turns into a
 * 500 that a client may retry past, so only the log tells, and it must fail
 * the test that caused it.
 */
import { expect, it as jestIt } from '@jest/globals';

interface Checked {
  responseViolations: readonly string[];
}

/** A test body; a row's values are passed as its arguments (the body's own annotations type them). */
type Body = (...args: never[]) => Promise<unknown> | void;

export interface ConformingIt {
  (name: string, body: () => Promise<unknown> | void, timeout?: number): void;
  each(table: readonly (readonly unknown[])[]): (name: string, body: Body, timeout?: number) => void;
}

export function conformingIt(server: () => Checked): ConformingIt {
  const checked =
    (body: Body) =>
    async (...args: unknown[]): Promise<void> => {
      await body(...(args as never[]));
      expect(server().responseViolations).toEqual([]);
    };
  const it = ((name: string, body: Body, timeout?: number) => jestIt(name, checked(body), timeout)) as ConformingIt;
  it.each = (table) => (name, body, timeout) =>
    (jestIt.each as unknown as (rows: readonly (readonly unknown[])[]) => (n: string, f: Body, t?: number) => void)(
      table,
    )(name, checked(body), timeout);
  return it;
}
