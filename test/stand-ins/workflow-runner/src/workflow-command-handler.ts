// Obeys the workflow commands a step prints (`::add-mask::`, `::error::`,
// `::stop-commands::`, ...); any other line goes to the log as it is.
import { annotate, record } from './job-log.ts';
import type { JobState, RunEnvironment } from './run-model.ts';
import { REMOVED_COMMANDS, parseWorkflowCommand } from './workflow-commands.ts';

/** A handler for the lines of one process; it remembers a `::stop-commands::` token. */
export function outputLineHandler(run: RunEnvironment, job: JobState): (line: string) => void {
  const stopped: { token?: string } = {};
  return (line) => handleOutputLine(run, job, line, stopped);
}

function handleOutputLine(run: RunEnvironment, job: JobState, line: string, stopped: { token?: string }): void {
  if (stopped.token !== undefined) {
    if (line.trim() === `::${stopped.token}::`) stopped.token = undefined;
    else record(run, job, line);
    return;
  }
  const command = parseWorkflowCommand(line);
  if (!command) {
    record(run, job, line);
    return;
  }
  switch (command.name) {
    case 'add-mask':
      run.masker.add(command.message);
      return;
    case 'error':
    case 'warning':
    case 'notice':
      annotate(run, job, command.name, command.message, command.properties);
      return;
    case 'group':
      record(run, job, `##[group]${command.message}`);
      return;
    case 'endgroup':
      record(run, job, '##[endgroup]');
      return;
    case 'debug':
      record(run, job, `##[debug]${command.message}`);
      return;
    case 'stop-commands':
      stopped.token = command.message;
      return;
    default: {
      const replacement = REMOVED_COMMANDS[command.name];
      if (replacement) {
        annotate(run, job, 'error', `The \`${command.name}\` command is disabled; ${replacement}.`);
        return;
      }
      record(run, job, line);
    }
  }
}
