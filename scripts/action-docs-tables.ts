// Each action's inputs and outputs as markdown tables, generated from its
// action.yml, placed in the README between
//   <!-- action-docs:<name>:start --> and <!-- action-docs:<name>:end -->
// where <name> is the folder under actions/ (`root` for the root action.yml).
import { parse } from 'yaml';

interface ActionYaml {
  name?: string;
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown } | null>;
  outputs?: Record<string, { description?: string } | null>;
}

/** Text for a table cell: one line, `|` escaped, and `_` `*` escaped outside code spans. */
function cell(text: string): string {
  const oneLine = text
    .trim()
    .replace(/\r?\n\s*\r?\n/g, '<br><br>')
    .replace(/\s*\r?\n\s*/g, ' ')
    .replaceAll('|', '\\|');
  return oneLine
    .split('`')
    .map((part, index) => (index % 2 === 0 ? part.replace(/([_*])/g, '\\$1') : part))
    .join('`');
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function readAction(actionYaml: string): ActionYaml {
  return (parse(actionYaml) ?? {}) as ActionYaml;
}

/** The inputs table: name, required, default (`''` for an empty default), description. */
export function renderInputsTable(actionYaml: string): string {
  const inputs = Object.entries(readAction(actionYaml).inputs ?? {});
  const lines = ['| Input | Required | Default | Description |', '| --- | --- | --- | --- |'];
  for (const [name, input] of inputs) {
    const value = input?.default;
    const defaultText =
      value === undefined || value === null ? '' : value === '' ? "`''`" : code(String(value).replaceAll('|', '\\|'));
    lines.push(
      `| ${code(name)} | ${input?.required === true ? 'yes' : 'no'} | ${defaultText} | ${cell(input?.description ?? '')} |`,
    );
  }
  if (inputs.length === 0) lines.push('| _none_ | | | |');
  return lines.join('\n');
}

/**
 * The literal defaults of an action's inputs, as the runner gives them
 * (`INPUT_*`) when a step leaves them out; expression defaults (`${{ … }}`)
 * are left to the caller. Read leniently, as the runner reads action.yml
 * of actions it downloads (keys it does not know are ignored).
 */
export function literalInputDefaults(actionYaml: string): Record<string, string> {
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(readAction(actionYaml).inputs ?? {})) {
    const value = input?.default;
    if (value === undefined || value === null || String(value).includes('${{')) continue;
    defaults[name] = String(value);
  }
  return defaults;
}

export function renderOutputsTable(actionYaml: string): string {
  const outputs = Object.entries(readAction(actionYaml).outputs ?? {});
  const lines = ['| Output | Description |', '| --- | --- |'];
  for (const [name, output] of outputs) lines.push(`| ${code(name)} | ${cell(output?.description ?? '')} |`);
  if (outputs.length === 0) lines.push('| _none_ | |');
  return lines.join('\n');
}

/**
 * What goes between each kind of marker of an action: `<name>` holds both
 * tables, `<name>:inputs` and `<name>:outputs` one each.
 */
export function renderActionDocs(name: string, actionYaml: string): Record<string, string> {
  const inputs = renderInputsTable(actionYaml);
  const outputs = renderOutputsTable(actionYaml);
  return { [name]: `${inputs}\n\n${outputs}`, [`${name}:inputs`]: inputs, [`${name}:outputs`]: outputs };
}

export function markers(name: string, kind = 'action-docs'): { start: string; end: string } {
  return { start: `<!-- ${kind}:${name}:start -->`, end: `<!-- ${kind}:${name}:end -->` };
}

export type ReplaceOutcome = 'replaced' | 'no-markers';

/** Puts `body` between the action's markers; a README without them is left as it is. */
export function replaceBetweenMarkers(
  readme: string,
  name: string,
  body: string,
  kind = 'action-docs',
): { text: string; outcome: ReplaceOutcome } {
  const { start, end } = markers(name, kind);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from + start.length);
  if (from < 0 || to < 0) return { text: readme, outcome: 'no-markers' };
  const text = `${readme.slice(0, from + start.length)}\n\n${body}\n\n${readme.slice(to)}`;
  return { text, outcome: 'replaced' };
}
