// Command line: run a workflow file locally.
//   node test/stand-ins/workflow-runner/src/cli.ts <workflow.yml> [--repo DIR] [--event push|workflow_dispatch]
//     [--input NAME=VALUE]... [--secret NAME[=VALUE]]... [--var NAME=VALUE]...
//     [--api-url URL] [--token TOKEN] [--work-dir DIR] [--artifacts-dir DIR]
//     [--action-repo OWNER/REPO=DIR]... [--job ID]... [--job-tokens scoped|shared]
//     [--default-permissions restricted|permissive] [--json]
// A --secret without a value is read from the environment variable of that
// name, so secrets need not appear in the process list.
import { parseArgs } from 'node:util';
import { ConfigurationError, errorMessage } from '@build-release-run/contract';
import { type RunWorkflowResult, type WorkflowEvent, runWorkflow } from './run-workflow.ts';

const USAGE =
  'usage: cli.ts <workflow.yml> [--repo DIR] [--event push|workflow_dispatch] [--input NAME=VALUE]... ' +
  '[--secret NAME[=VALUE]]... [--var NAME=VALUE]... [--api-url URL] [--token TOKEN] [--work-dir DIR] ' +
  '[--artifacts-dir DIR] [--action-repo OWNER/REPO=DIR]... [--job ID]... [--job-tokens scoped|shared] ' +
  '[--default-permissions restricted|permissive] [--json]';

function pairs(values: string[] | undefined, option: string, fromEnv: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values ?? []) {
    const equals = value.indexOf('=');
    if (equals < 0 && fromEnv) {
      const fromEnvironment = process.env[value];
      if (fromEnvironment === undefined) {
        throw new ConfigurationError(`--${option} ${value}: no value given and no environment variable ${value}.`);
      }
      out[value] = fromEnvironment;
      continue;
    }
    if (equals <= 0) throw new ConfigurationError(`--${option} '${value}' must be NAME=VALUE.`);
    out[value.slice(0, equals)] = value.slice(equals + 1);
  }
  return out;
}

export function summarise(result: RunWorkflowResult): string {
  const lines = [`Workflow ${result.conclusion} (run ${result.runId}, files in ${result.workDir})`];
  for (const [id, job] of Object.entries(result.jobs)) {
    lines.push(`  ${id}: ${job.result}`);
    for (const [name, value] of Object.entries(job.outputs)) lines.push(`    ${name} = ${value}`);
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        repo: { type: 'string', default: '.' },
        event: { type: 'string', default: 'push' },
        input: { type: 'string', multiple: true },
        secret: { type: 'string', multiple: true },
        var: { type: 'string', multiple: true },
        'api-url': { type: 'string' },
        token: { type: 'string' },
        'work-dir': { type: 'string' },
        'artifacts-dir': { type: 'string' },
        'action-repo': { type: 'string', multiple: true },
        job: { type: 'string', multiple: true },
        'job-tokens': { type: 'string' },
        'default-permissions': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (parsed.positionals.length !== 1) throw new ConfigurationError(USAGE);
    const event = parsed.values.event;
    if (event !== 'push' && event !== 'workflow_dispatch') {
      throw new ConfigurationError(`--event must be push or workflow_dispatch; got '${event}'.`);
    }
    const jobTokens = parsed.values['job-tokens'];
    if (jobTokens !== undefined && jobTokens !== 'scoped' && jobTokens !== 'shared') {
      throw new ConfigurationError(`--job-tokens must be scoped or shared; got '${jobTokens}'.`);
    }
    const defaults = parsed.values['default-permissions'];
    if (defaults !== undefined && defaults !== 'restricted' && defaults !== 'permissive') {
      throw new ConfigurationError(`--default-permissions must be restricted or permissive; got '${defaults}'.`);
    }
    const json = parsed.values.json;
    const result = await runWorkflow({
      workflowFile: parsed.positionals[0]!,
      repoDir: parsed.values.repo,
      event: event as WorkflowEvent,
      inputs: pairs(parsed.values.input, 'input', false),
      secrets: pairs(parsed.values.secret, 'secret', true),
      vars: pairs(parsed.values.var, 'var', false),
      apiUrl: parsed.values['api-url'],
      token: parsed.values.token,
      workDir: parsed.values['work-dir'],
      artifactsDir: parsed.values['artifacts-dir'],
      actionRepositories: pairs(parsed.values['action-repo'], 'action-repo', false),
      jobs: parsed.values.job,
      ...(jobTokens ? { jobTokens } : {}),
      ...(defaults ? { defaultPermissions: defaults } : {}),
      onLine: json ? undefined : (job, line) => console.log(`[${job}] ${line}`),
    });
    if (json) console.log(JSON.stringify(result, null, 2));
    else console.log(summarise(result));
    return result.conclusion === 'success' ? 0 : 1;
  } catch (error: unknown) {
    console.error(errorMessage(error));
    return 2;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
