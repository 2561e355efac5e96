/**
 * Runs the deploy command with bash, streaming its output line by line with
 * every secret value replaced by ***: the runner masks its own log, but the
 * command's output must be safe wherever it is read.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number;
  signal: NodeJS.Signals | null;
}

export async function runCommand(
  script: string,
  options: { cwd: string; env: Record<string, string>; secrets: readonly string[] },
): Promise<CommandResult> {
  // The same shell a workflow's `shell: bash` step uses.
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = lineRedactor(options.secrets, (text) => process.stdout.write(text));
  const err = lineRedactor(options.secrets, (text) => process.stderr.write(text));
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

const MAX_PENDING = 64 * 1024;

/** Buffers up to a newline, so a secret split across chunks is still found. */
export function lineRedactor(secrets: readonly string[], write: (text: string) => void) {
  // Longest first, so a secret containing another is replaced whole.
  const values = [...new Set(secrets)].filter((value) => value !== '').sort((a, b) => b.length - a.length);
  const redact = (text: string): string => values.reduce((result, value) => result.split(value).join('***'), text);
  const longest = values[0]?.length ?? 0;
  let pending = '';
  return {
    push(chunk: Buffer | string): void {
      pending += chunk.toString();
      let end = pending.lastIndexOf('\n');
      if (end === -1) {
        // A very long line is flushed in parts, keeping a tail that may hold the start of a secret.
        if (pending.length <= MAX_PENDING) return;
        end = pending.length - longest - 1;
      }
      write(redact(pending.slice(0, end + 1)));
      pending = pending.slice(end + 1);
    },
    end(): void {
      if (pending !== '') write(redact(pending));
      pending = '';
    },
  };
}
