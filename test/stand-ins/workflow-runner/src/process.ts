import { spawn } from 'node:child_process';

export interface ProcessSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Milliseconds before the process is stopped (SIGTERM, then SIGKILL after 5 s). */
  timeoutMs?: number;
}

export interface ProcessResult {
  code: number;
  timedOut: boolean;
}

/**
 * Runs a process and hands each line it prints (stdout or stderr) to
 * `onLine`, as the runner reads them for workflow commands. Resolves with
 * the exit code; a process killed by a signal counts as failed.
 */
export function runProcess(spec: ProcessSpec, onLine: (line: string) => void): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a timeout stops the whole tree (a shell
    // waits for its foreground child before it acts on a signal).
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killTree = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    const timer =
      spec.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => {
              timedOut = true;
              killTree('SIGTERM');
              killer = setTimeout(() => killTree('SIGKILL'), 5000);
            },
            Math.max(0, spec.timeoutMs),
          );
    const pending = { stdout: '', stderr: '' };
    const feed = (stream: 'stdout' | 'stderr', chunk: Buffer): void => {
      const text = pending[stream] + chunk.toString('utf8');
      const lines = text.split('\n');
      pending[stream] = lines.pop() ?? '';
      for (const line of lines) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    };
    child.stdout.on('data', (chunk: Buffer) => feed('stdout', chunk));
    child.stderr.on('data', (chunk: Buffer) => feed('stderr', chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(killer);
      for (const rest of [pending.stdout, pending.stderr]) if (rest !== '') onLine(rest);
      resolve({ code: code ?? 1, timedOut });
    });
  });
}
