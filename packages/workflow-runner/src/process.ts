import { spawn } from 'node:child_process';

export interface ProcessSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * Runs a process and hands each line it prints (stdout or stderr) to
 * `onLine`, as the runner reads them for workflow commands. Resolves with
 * the exit code; a process killed by a signal counts as failed.
 */
export function runProcess(spec: ProcessSpec, onLine: (line: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
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
      for (const rest of [pending.stdout, pending.stderr]) if (rest !== '') onLine(rest);
      resolve(code ?? 1);
    });
  });
}
