// Workflow commands a step prints on stdout: `::name key=value,...::message`.

export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  message: string;
}

function unescapeData(value: string): string {
  return value.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
}

function unescapeProperty(value: string): string {
  return value
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%3A', ':')
    .replaceAll('%2C', ',')
    .replaceAll('%25', '%');
}

/** The command on a line of output, or undefined when the line is plain output. */
export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const match = /^\s*::([A-Za-z0-9_-]+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!match) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    properties[pair.slice(0, equals).trim()] = unescapeProperty(pair.slice(equals + 1));
  }
  return { name: match[1]!.toLowerCase(), properties, message: unescapeData(match[3]!) };
}

/** Commands the runner no longer honours, with the replacement the message names. */
export const REMOVED_COMMANDS: Record<string, string> = {
  'set-output': 'write `name=value` to the file named by $GITHUB_OUTPUT',
  'save-state': 'write `name=value` to the file named by $GITHUB_STATE',
  'set-env': 'write `name=value` to the file named by $GITHUB_ENV',
  'add-path': 'append the directory to the file named by $GITHUB_PATH',
};

/** An annotation (error, warning, notice) as the run records it. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}
