/**
 * Runs the deploy command with bash, streaming its output with every secret
 * value (and every line of a multi-line one) replaced by ***: the runner
 * masks its own log, but the command's output must be safe wherever it is
 * read.
 *
 * Spawned directly rather than through @actions/exec: its tool runner keeps
 * only the exit code (null for a command killed by a signal) and drops the
 * signal's name, which the failure message and the deployment status give.
 */
import { spawn } from 'node:child_process';
import { streamRedactor } from './redactor.ts';

export interface CommandResult {
  exitCode: number;
  signal: NodeJS.Signals | null;
}

export async function runCommand(
  script: string,
  options: { cwd: string; env: Record<string, string>; secrets: readonly string[]; signal?: AbortSignal | undefined },
): Promise<CommandResult> {
  // The same shell a workflow's `shell: bash` step uses.
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The action's deadline stops the command (SIGTERM), as a step's timeout-minutes would.
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const out = streamRedactor(options.secrets, (text) => process.stdout.write(text));
  const err = streamRedactor(options.secrets, (text) => process.stderr.write(text));
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      out.end();
      err.end();
      resolve({ exitCode: code ?? 128, signal });
    });
  });
}
