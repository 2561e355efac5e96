// Shells as `shell:` names them, with the runner's templates ({0} is the script file).
import { ConfigurationError } from '@build-release-run/contract';

export interface Shell {
  command: string;
  /** Arguments, with `{0}` where the script file goes. */
  args: string[];
  /** The script file's extension. */
  extension: string;
}

export function shellCommand(shell: string | undefined): Shell {
  switch (shell) {
    case undefined:
    case '':
      return { command: 'bash', args: ['-e', '{0}'], extension: '.sh' };
    case 'bash':
      return { command: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', '{0}'], extension: '.sh' };
    case 'sh':
      return { command: 'sh', args: ['-e', '{0}'], extension: '.sh' };
    case 'node':
      return { command: 'node', args: ['{0}'], extension: '.js' };
    case 'python':
      return { command: 'python3', args: ['{0}'], extension: '.py' };
    default: {
      if (!shell.includes('{0}')) {
        throw new ConfigurationError(`shell '${shell}' is not supported here; use bash, sh or a command with {0}.`);
      }
      const [command, ...args] = shell.split(/\s+/);
      return { command: command!, args, extension: '.sh' };
    }
  }
}
